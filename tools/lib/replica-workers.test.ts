import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend';
import type { ReplicaClient } from '../../src/model/parallel/step';
import { paramShapes, paramValues, parallelTrainStep } from '../../src/model/parallel/step';
import { tinyBatch, tinyConfig, tinyTokenizer } from '../../src/model/testing/tiny';
import { createTrainer } from '../../src/model/train';
import { startReplicaWorkers } from './replica-workers';

let workers: ReplicaClient[] = [];

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.dispose()));
});

describe('replica worker threads', () => {
  it('two workers give the loss and update of a single-process trainStep (BD, paired rows)', async () => {
    const c = tinyConfig();
    const single = createTrainer(c, 11, tinyTokenizer(), { augment: false });
    const master = createTrainer(c, 11, tinyTokenizer());
    workers = await startReplicaWorkers(2, master.config, await paramValues(master.params), paramShapes(master.params));
    const b = { ...tinyBatch(c, 10, 4), paired: 7 };
    for (let s = 0; s < 2; s++) {
      const ref = await single.trainStep(b);
      const par = await parallelTrainStep(master, workers, b, false);
      expect(par.emcl).toBeGreaterThan(0);
      expect(par.total).toBeCloseTo(ref.total, 5);
      const a = await paramValues(single.params);
      const m = await paramValues(master.params);
      let diff = 0;
      for (const k of Object.keys(a)) for (let i = 0; i < a[k].length; i++) diff = Math.max(diff, Math.abs(a[k][i] - m[k][i]));
      expect(diff).toBeLessThan(1e-5);
    }
    single.dispose();
    master.dispose();
  }, 60_000);
});
