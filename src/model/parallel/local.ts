// A replica in the calling thread behind the ReplicaClient interface (tests, and a fallback where no
// worker threads exist); results equal those of a replica in a worker.
import { Replica, type ShardInput, type ShardVectors } from './replica';
import type { ReplicaClient } from './step';

export function localReplica(replica: Replica): ReplicaClient {
  return {
    forward: (s: ShardInput) => replica.forward(s),
    backward: (g: ShardVectors) => replica.backward(g),
    async setParams(values) {
      replica.setParams(values);
    },
    async dispose() {
      replica.dispose();
    },
  };
}
