// The supervisor's heartbeat over the fake worker: a worker that stops without an error event (closed
// from inside, or stopped for memory) is noticed, replaced, and idempotent calls run again on the new
// one while the others fail with a message that says what happened; a busy but answering worker is kept.
import { describe, expect, it } from 'vitest';
import { RpcClient } from './rpc-client';
import { serveRpc, type Handlers } from './rpc-worker';
import { RpcError } from './protocol';
import { FakeWorker } from './testing/fake-worker';

type Api = {
  search: { params: { q: string }; result: string };
  hang: { params: null; result: never };
  work: { params: { ms: number }; result: number };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup() {
  const workers: FakeWorker[] = [];
  const restarts: string[] = [];
  const handlers: Handlers<Api> = {
    search: ({ q }) => `results for ${q}`,
    hang: () => new Promise<never>(() => undefined),
    // Async work that keeps the worker's event loop free, like an ingest between batches.
    work: async ({ ms }) => {
      await sleep(ms);
      return ms;
    },
  };
  const rpc = new RpcClient<Api>({
    spawn: () => {
      const w = new FakeWorker();
      serveRpc(handlers, w.scope);
      workers.push(w);
      return w;
    },
    heartbeatMs: 10,
    silentLimitMs: 60,
    defaultTimeoutMs: 0,
    onRestart: (reason) => restarts.push(reason),
  });
  return { rpc, workers, restarts };
}

describe('worker watchdog', () => {
  it('replaces a worker that closed itself; the idempotent search answers, the other call fails clearly', async () => {
    const { rpc, workers, restarts } = setup();
    expect(await rpc.call('search', { q: 'warm' }).promise).toBe('results for warm');
    const hanging = rpc.call('hang', null).promise.catch((e: unknown) => e);
    workers[0].closeFromInside();
    const search = rpc.call('search', { q: 'cardiomegaly' }, { idempotent: true }).promise;

    expect(await search).toBe('results for cardiomegaly');
    const err = (await hanging) as RpcError;
    expect(err).toBeInstanceOf(RpcError);
    expect(err.code).toBe('crashed');
    expect(err.message).toMatch(/^hang: the worker stopped answering for \d+ s/);
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(restarts).toHaveLength(1);
    expect(rpc.inFlight).toBe(0);
  });

  it('keeps a worker that is busy but answers its pings', async () => {
    const { rpc, workers, restarts } = setup();
    expect(await rpc.call('work', { ms: 300 }).promise).toBe(300); // 5x the silence limit
    expect(workers).toHaveLength(1);
    expect(restarts).toEqual([]);
  });

  it('stops pinging when nothing is pending', async () => {
    const { rpc, workers } = setup();
    await rpc.call('search', { q: 'x' }).promise;
    const sentBefore = workers[0].sent.length;
    await sleep(80);
    expect(workers[0].sent.length).toBe(sentBefore);
  });
});
