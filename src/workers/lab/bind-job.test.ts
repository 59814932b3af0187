// Pair binding in the lab on a tiny real model and a fake-indexeddb library: the match report, a stored
// version with the pairing's lineage, activation, untouched base weights and a flat tensor count.
import 'fake-indexeddb/auto';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../model/weights';
import { getVersion } from '../../storage/versions';
import { fillLibrary, makeLab, tinyWeights } from './fixtures';
import type { BindSpec } from './methods';

const never = { signal: new AbortController().signal, progress: () => undefined };
const csv = (rows: string[]) => new TextEncoder().encode(['cxr_id,ecg_id', ...rows].join('\n'));
const spec = (bytes: Uint8Array, over: Partial<BindSpec> = {}): BindSpec => ({
  source: { kind: 'csv', fileName: 'my-pairs.csv', bytes }, valFrac: 0.34, splitSeed: 4, seed: 1, epochs: 3, batchSize: 4,
  learningRate: 0.01, weightDecay: 0.01, patience: 0, ...over,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

async function hashParams(p: ReadonlyMap<string, tf.Tensor>): Promise<string> {
  const parts: string[] = [];
  for (const k of [...p.keys()].sort()) parts.push(`${k}:${await sha256Hex(new Uint8Array(((await p.get(k)!.data()) as Float32Array).buffer.slice(0)))}`);
  return parts.join('\n');
}

describe('Lab.bind', () => {
  it('matches, splits, trains, stores a version with the pairing lineage; base weights untouched; no tensor leak', async () => {
    const weights = tinyWeights();
    const { lab, db } = await makeLab(weights);
    await fillLibrary(db, 12);
    const rows = [0, 1, 2, 3, 4, 5].map((i) => `toy-cxr/${i},toy-ecg/${i}`);
    const bytes = csv([...rows, 'toy-cxr/9,toy-ecg/1', 'toy-cxr/1,toy-cxr/2']);
    const report = await lab.matchPairs({ kind: 'csv', fileName: 'my-pairs.csv', bytes });
    expect(report.pairs).toHaveLength(6);
    expect(report.unmatched).toEqual([
      { line: 8, reason: 'CXR "toy-cxr/9" is not in the library' },
      { line: 9, reason: '"toy-cxr/2" in the ECG column is a CXR item' },
    ]);
    const baseHash = await hashParams(weights.params);
    await lab.bind(spec(bytes, { epochs: 1 }), never); // loads the model and fills the feature cache
    const before = tf.memory().numTensors;
    const out = await lab.bind(spec(bytes), never);
    expect(tf.memory().numTensors).toBe(before);
    expect(await hashParams(weights.params)).toBe(baseHash);
    expect(out.status).toBe('done');
    expect(out.counts).toMatchObject({ total: 8, matched: 6 });
    expect(out.counts.train + out.counts.val).toBe(6);
    expect(out.counts.val).toBeGreaterThanOrEqual(1);
    expect(out.before.cxrToEcg.n).toBe(out.counts.val);
    expect(out.after!.cxrToEcg.recall['R@1'].estimate).toBeGreaterThanOrEqual(0);
    expect(out.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    const v = (await getVersion(db, out.version!.id))!;
    expect(v.id).toMatch(/^bind-\d+$/);
    expect(v.parent).toBe('base-1');
    expect(v.lineage).toMatchObject({ kind: 'pair-binding', base: 'base-1', pairing: { file: 'my-pairs.csv', pairs: 6, splitSeed: 4 }, trainedParams: ['cxr/head/b', 'cxr/head/w', 'ecg/head/b', 'ecg/head/w', 'text/head/b', 'text/head/w'] });
    expect((await lab.listVersions()).map((x) => x.id)).toContain(v.id);
  }, 60_000);

  it('refuses a pairing with too few usable pairs, naming the counts', async () => {
    const { lab, db } = await makeLab(tinyWeights());
    await fillLibrary(db, 4);
    await expect(lab.bind(spec(csv(['toy-cxr/0,toy-ecg/0', 'toy-cxr/1,toy-ecg/1'])), never)).rejects.toThrow(/at least 3 pairs .* 2 of 2/);
    await expect(lab.matchPairs({ kind: 'csv', fileName: 'x.csv', bytes: new TextEncoder().encode('a,b\n') })).rejects.toThrow(/x\.csv: line 1: needs a CXR column/);
  }, 30_000);
});
