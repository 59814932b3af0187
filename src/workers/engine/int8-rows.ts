// The int8 copy of an embedding matrix that exact search scans first: each row quantised with its own
// scale (max |v| / 127), kept in one contiguous block of a SIMD kernel's wasm memory, with the bound on
// how far a quantised score can sit from the float32 one. VectorIndex re-ranks the best candidates in
// float32 and uses the bound to prove that no other row can enter the top k (exact results, not approximate).
import { createSimdKernel, type SimdKernel } from './simd-kernel';

/** The i32 accumulation of 127 x 32767 products stays exact for rows up to this many bytes. */
export const MAX_STRIDE_BYTES = 512;
const QUERY_BYTES = 2 * MAX_STRIDE_BYTES;
const PAGE_BYTES = 65536;

export interface QuantisedScan {
  /** Approximate score of each row i < n, up to the positive factor `queryScale` (view into wasm memory: read before the next scan). */
  scores: Float32Array;
  queryScale: number;
  /** |approximate - float32 score| <= errorBound for every row. */
  errorBound: number;
}

export class Int8Rows {
  private readonly kernel: SimdKernel;
  readonly strideBytes: number;
  private capRows = 0;
  private rowsOff = QUERY_BYTES;
  private scalesOff = QUERY_BYTES;
  private outOff = QUERY_BYTES;
  private n = 0;
  /** Largest ||v - scale * q||_2 and ||v||_2 over every row ever quantised (bounds only grow). */
  private maxRowError = 0;
  private maxRowNorm = 0;

  private constructor(kernel: SimdKernel, readonly dim: number) {
    this.kernel = kernel;
    this.strideBytes = Math.ceil(dim / 32) * 32;
  }

  /** null where WebAssembly SIMD is missing or the rows are too wide for exact i32 sums. */
  static create(dim: number): Int8Rows | null {
    if (Math.ceil(dim / 32) * 32 > MAX_STRIDE_BYTES) return null;
    const k = createSimdKernel();
    return k ? new Int8Rows(k, dim) : null;
  }

  get rows(): number {
    return this.n;
  }

  get bytes(): number {
    return this.n * this.strideBytes;
  }

  /** Quantises vector (length dim) into row `row` (row <= rows: overwrite or append). */
  set(row: number, vector: Float32Array): void {
    if (row > this.n) throw new Error(`int8 rows: row ${row} past the end (${this.n})`);
    if (row === this.n) this.reserve(row + 1);
    const d = this.dim;
    let maxAbs = 0;
    let norm2 = 0;
    for (let j = 0; j < d; j++) {
      const a = Math.abs(vector[j]);
      if (a > maxAbs) maxAbs = a;
      norm2 += vector[j] * vector[j];
    }
    const scale = Math.fround(maxAbs / 127);
    const q = new Int8Array(this.kernel.memory.buffer, this.rowsOff + row * this.strideBytes, this.strideBytes);
    let err2 = 0;
    for (let j = 0; j < d; j++) {
      const v = scale > 0 ? Math.max(-127, Math.min(127, Math.round(vector[j] / scale))) : 0;
      q[j] = v;
      err2 += (vector[j] - scale * v) ** 2;
    }
    q.fill(0, d);
    new Float32Array(this.kernel.memory.buffer, this.scalesOff, this.capRows)[row] = scale;
    this.maxRowError = Math.max(this.maxRowError, Math.sqrt(err2));
    this.maxRowNorm = Math.max(this.maxRowNorm, Math.sqrt(norm2));
    if (row === this.n) this.n++;
  }

  /** Scores every row against `query` (int16-quantised) in one SIMD pass. */
  scan(query: Float32Array): QuantisedScan {
    const d = this.dim;
    let maxAbs = 0;
    let qNorm2 = 0;
    for (let j = 0; j < d; j++) {
      maxAbs = Math.max(maxAbs, Math.abs(query[j]));
      qNorm2 += query[j] * query[j];
    }
    const queryScale = maxAbs / 32767;
    const q16 = new Int16Array(this.kernel.memory.buffer, 0, this.strideBytes);
    let qErr2 = 0;
    for (let j = 0; j < d; j++) {
      const v = queryScale > 0 ? Math.round(query[j] / queryScale) : 0;
      q16[j] = v;
      qErr2 += (query[j] - queryScale * v) ** 2;
    }
    q16.fill(0, d);
    this.kernel.scan(this.rowsOff, this.n, this.strideBytes, 0, this.scalesOff, this.outOff);
    // <x, q> - <x^, q^> = <x, q - q^> + <x - x^, q^> and ||q^|| <= ||q|| + ||q - q^||: Cauchy-Schwarz on each term.
    const qErr = Math.sqrt(qErr2);
    const errorBound = this.maxRowNorm * qErr + Math.sqrt(qNorm2) * this.maxRowError + this.maxRowError * qErr;
    return { scores: new Float32Array(this.kernel.memory.buffer, this.outOff, this.n), queryScale, errorBound };
  }

  /** Reads the int8 block once (a wrapping i32 sum): the memory-bandwidth anchor of a scan. */
  sumBytes(): number {
    const nBytes = Math.floor(this.bytes / 64) * 64;
    return this.kernel.sum(this.rowsOff, nBytes);
  }

  clear(): void {
    this.n = 0;
  }

  private reserve(rows: number): void {
    if (rows <= this.capRows) return;
    const cap = Math.max(rows, this.capRows * 2, 1024);
    const rowsOff = QUERY_BYTES;
    const scalesOff = rowsOff + cap * this.strideBytes;
    const outOff = scalesOff + cap * 4;
    const need = outOff + cap * 4;
    const have = this.kernel.memory.buffer.byteLength;
    if (need > have) this.kernel.memory.grow(Math.ceil((need - have) / PAGE_BYTES));
    // Rows stay where they are; the scales move up past the larger row block (copyWithin handles overlap).
    new Uint8Array(this.kernel.memory.buffer).copyWithin(scalesOff, this.scalesOff, this.scalesOff + this.n * 4);
    this.capRows = cap;
    this.rowsOff = rowsOff;
    this.scalesOff = scalesOff;
    this.outOff = outOff;
  }
}
