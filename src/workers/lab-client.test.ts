// The lab client over a FakeWorker running the real lab handlers in-process: typed calls settle, progress
// arrives, a fine-tuning run can be paused and cancelled through the client, errors arrive typed.
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLabClient } from './lab-client';
import { labHandlers } from './lab/handlers';
import { ecgPrompts, fillLibrary, makeLab, tinyWeights, waitFor } from './lab/fixtures';
import type { FinetuneProgress } from './lab/methods';
import { RpcError } from './protocol';
import { serveRpc } from './rpc-worker';
import { FakeWorker } from './testing/fake-worker';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('lab client', () => {
  it('runs zero-shot and a pausable, cancellable fine-tuning job through the worker protocol', async () => {
    const { lab, db } = await makeLab(tinyWeights());
    await fillLibrary(db, 12);
    const worker = new FakeWorker();
    serveRpc(labHandlers(lab), worker.scope);
    const client = createLabClient({ spawn: () => worker, search: '' });
    try {
      const versions = await client.listVersions();
      expect(versions).toEqual([expect.objectContaining({ id: 'base-1', shipped: true, active: true })]);
      const zs = await client.zeroShotRun({ promptSet: ecgPrompts }).promise;
      expect(zs.nLabelled).toBe(12);

      const progress: FinetuneProgress[] = [];
      const job = client.finetune(
        { set: { modality: 'ecg', column: 'labels' }, promptSet: ecgPrompts, k: 2, seed: 1, objective: 'cross-entropy', scope: 'projection', epochs: 500, batchSize: 4, learningRate: 0.01, weightDecay: 0, patience: 0 },
        (p) => progress.push(p),
      );
      await waitFor(() => progress.some((p) => (p.epoch?.epoch ?? 0) >= 1));
      await client.pauseFinetune();
      await waitFor(() => progress.some((p) => p.paused === true));
      const nPaused = progress.filter((p) => p.epoch).length;
      await new Promise((r) => setTimeout(r, 100));
      expect(progress.filter((p) => p.epoch).length).toBeLessThanOrEqual(nPaused + 1); // at most the epoch in flight
      await client.resumeFinetune();
      await client.cancelFinetune();
      const out = await job.promise;
      expect(out.status).toBe('cancelled');
      expect(out.version).toBeNull();

      const err = await client.exportVersion('base-1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RpcError);
      expect((err as RpcError).code).toBe('bad-input');
      expect((err as RpcError).message).toMatch(/no stored weight files/);
    } finally {
      client.dispose();
    }
  }, 60_000);
});
