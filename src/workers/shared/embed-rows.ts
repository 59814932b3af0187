// Stack -> embed -> split, written once: model inputs of one modality (each a flat Float32Array of the
// same length) go to the encoders as one [n, len] batch, and the [n, embedDim] output comes back as one
// vector per input, in order. Used by ingest, re-embedding and the lab's item vectors.
import type { MedbindEncoders } from '../../model/types';

/** Copies equal-length rows into one [n, len] array. */
export function stackRows(rows: readonly Float32Array[]): Float32Array {
  if (rows.length === 0) return new Float32Array(0);
  const len = rows[0].length;
  const x = new Float32Array(rows.length * len);
  rows.forEach((r, i) => {
    if (r.length !== len) throw new Error(`model inputs of one batch differ in length: row ${i} has ${r.length} values, row 0 has ${len}`);
    x.set(r, i * len);
  });
  return x;
}

/** Splits [n, d] into n vectors (copies, so the batch buffer can be freed). */
export function splitRows(flat: Float32Array, n: number, d: number): Float32Array[] {
  return Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d));
}

/** One embedding per input, in order: [embedDim] each. */
export async function embedInputs(encoders: MedbindEncoders, modality: 'ecg' | 'cxr', inputs: readonly Float32Array[]): Promise<Float32Array[]> {
  if (inputs.length === 0) return [];
  const x = stackRows(inputs);
  const out = modality === 'ecg' ? await encoders.embedEcg(x, inputs.length) : await encoders.embedCxr(x, inputs.length);
  return splitRows(out.vectors, inputs.length, encoders.embedDim);
}
