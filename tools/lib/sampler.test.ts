import { describe, expect, it } from 'vitest';
import type { DatasetItem } from '../../src/formats/types';
import { CXR_INPUT_LEN, ECG_INPUT_LEN, type PreparedItem } from './prepared';
import { BatchSampler, sqrtInverseFrequency } from './sampler';

function item(id: string, modality: 'ecg' | 'cxr', labels: string[]): PreparedItem {
  const it = { id, dataset: 'set', modality, labels, text: labels.join(' '), textVariants: [], split: 'train', patientKey: id, files: [] } as unknown as DatasetItem;
  return { item: it, input: new Float32Array(modality === 'ecg' ? ECG_INPUT_LEN : CXR_INPUT_LEN) };
}

describe('class-balanced ECG sampling', () => {
  const ecg = [...Array.from({ length: 90 }, (_, i) => item(`n${i}`, 'ecg', ['NORM'])), ...Array.from({ length: 10 }, (_, i) => item(`h${i}`, 'ecg', ['HYP']))];

  it('weights items by 1/sqrt of their label-set count', () => {
    const w = sqrtInverseFrequency(ecg);
    expect(w[0]).toBeCloseTo(1 / Math.sqrt(90), 10);
    expect(w[95]).toBeCloseTo(1 / Math.sqrt(10), 10);
  });

  it('draws the rare class at its sqrt share (25% instead of 10%), deterministically', () => {
    const s = new BatchSampler([], ecg, [], { batchCxr: 0, batchEcg: 10, pairedPerBatch: 0, seed: 3, ecgWeights: sqrtInverseFrequency(ecg) });
    let hyp = 0;
    let total = 0;
    for (let step = 0; step < 150; step++) {
      const b = s.batch(step);
      hyp += b.ecg!.texts.filter((t) => t === 'HYP').length;
      total += b.ecg!.n;
    }
    expect(hyp / total).toBeGreaterThan(0.2);
    expect(hyp / total).toBeLessThan(0.32);
    expect(s.batch(7)).toEqual(new BatchSampler([], ecg, [], { batchCxr: 0, batchEcg: 10, pairedPerBatch: 0, seed: 3, ecgWeights: sqrtInverseFrequency(ecg) }).batch(7));
    expect(() => new BatchSampler([], ecg, [], { batchCxr: 0, batchEcg: 10, pairedPerBatch: 0, seed: 3, ecgWeights: [1] })).toThrow(/1 ECG weights for 100/);
  });
});
