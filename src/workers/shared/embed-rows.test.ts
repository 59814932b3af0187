import { describe, expect, it } from 'vitest';
import { projectionEncoders } from '../testing/projection-encoders';
import { embedInputs, splitRows, stackRows } from './embed-rows';

describe('stack -> embed -> split', () => {
  it('gives each input the vector it gets when embedded alone', async () => {
    const enc = projectionEncoders('v', 8, 3);
    const inputs = [0, 1, 2].map((k) => Float32Array.from({ length: 70 }, (_, i) => Math.sin(i * (k + 1))));
    const batched = await embedInputs(enc, 'ecg', inputs);
    for (let k = 0; k < 3; k++) expect(Array.from(batched[k])).toEqual(Array.from((await embedInputs(enc, 'ecg', [inputs[k]]))[0]));
    expect(await embedInputs(enc, 'cxr', [])).toEqual([]);
  });

  it('refuses rows of different lengths and splits in order', () => {
    expect(() => stackRows([new Float32Array(3), new Float32Array(4)])).toThrow(/row 1 has 4 values, row 0 has 3/);
    expect(splitRows(Float32Array.from([1, 2, 3, 4]), 2, 2).map((r) => Array.from(r))).toEqual([[1, 2], [3, 4]]);
  });
});
