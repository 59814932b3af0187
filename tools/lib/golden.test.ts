// The shipped weights must not drift silently: embeddings of the golden demo items and texts, computed by
// today's runtime, must match those stored beside the weights within 1e-3.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../src/model/backend';
import { loadEncoders } from '../../src/model/load';
import { computeGolden, GOLDEN_TOLERANCE, maxGoldenDiff, type GoldenJson } from './golden';
import { fileWeightSource } from './weights-fs';

describe('golden embeddings of the shipped weights', () => {
  it('the runtime reproduces public/weights/golden.json within 1e-3', async () => {
    const stored = JSON.parse(await readFile('public/weights/golden.json', 'utf8')) as GoldenJson;
    await initBackend('wasm');
    const enc = await loadEncoders(fileWeightSource('public/weights'));
    try {
      expect(enc.version).toBe(stored.version);
      expect(stored.items.filter((i) => i.modality === 'cxr')).toHaveLength(4);
      expect(stored.items.filter((i) => i.modality === 'ecg')).toHaveLength(4);
      expect(stored.texts).toHaveLength(4);
      const now = await computeGolden(enc, 'public/demo', stored.items.map((i) => i.id));
      expect(maxGoldenDiff(stored, now)).toBeLessThan(GOLDEN_TOLERANCE);
      // The comparison can fail: a perturbed copy is caught.
      const moved = { ...stored, texts: stored.texts.map((t, i) => (i === 0 ? { ...t, vector: t.vector.map((v, k) => (k === 0 ? v + 2e-3 : v)) } : t)) };
      expect(maxGoldenDiff(moved, now)).toBeGreaterThan(GOLDEN_TOLERANCE);
    } finally {
      enc.dispose();
    }
  });
});
