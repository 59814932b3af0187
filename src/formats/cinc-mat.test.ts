import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseMatV4Int16 } from './cinc-mat';
import { SHARED_DATA_DIR } from './testing';

const MAT = `${SHARED_DATA_DIR}/cinc2021-sample/records/E07500.mat`;

describe('parseMatV4Int16', () => {
  it("reads the Challenge 'val' matrix: 12 x 5000 int16 after 24 bytes, interleaved by lead", () => {
    const r = parseMatV4Int16(new Uint8Array(readFileSync(MAT)), 'E07500.mat');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value).toMatchObject({ name: 'val', rows: 12, cols: 5000, dataOffsetBytes: 24 });
    // Initial values from E07500.hea: I -68, II -58, ... V6 -156.
    expect(Array.from(r.value.data.subarray(0, 12))).toEqual([-68, -58, 9, 63, -39, -24, 156, 97, -146, -68, -48, -156]);
  });

  it('rejects other MATLAB types and truncated data', () => {
    const b = new Uint8Array(readFileSync(MAT));
    const other = b.slice();
    other[0] = 0; // type code 0 = double
    expect(parseMatV4Int16(other, 'x.mat').ok).toBe(false);
    const short = parseMatV4Int16(b.slice(0, 1000), 'x.mat');
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.error.message).toMatch(/truncated/);
  });

  it('fuzz (fixed seed): random headers never throw and never allocate beyond the file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), (b) => {
        const r = parseMatV4Int16(b, 'f.mat');
        if (r.ok) expect(r.value.data.length * 2).toBeLessThanOrEqual(b.length);
      }),
      { seed: 5, numRuns: 500 },
    );
  });
});
