// BatchMatMul for wasm. Two stock weaknesses: XNNPACK's plain matmul is ~10x faster than its transposed
// path (and every matmul gradient uses transpose flags), and a batch > 1 (attention's [n*heads, T, dh])
// runs as a scalar loop. So: batches > 1 go to the SIMD kernels of simd-matmul.ts, which read the tfjs
// heap in place (a @ b, or a @ b^T without materialising the transpose); batch 1 keeps XNNPACK with any
// transpose materialised first (by the banded wasm transpose of transpose-2d.ts).
import * as tf from '@tensorflow/tfjs';
import { simdMatmulFor, type SimdMatmul } from './simd-matmul';
import { transpose2dFor } from './transpose-2d';

interface WasmBackendLike {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object): boolean;
}

function memoryOf(backend: WasmBackendLike): WebAssembly.Memory | null {
  const memory = backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? memory : null;
}
function kernelsOf(backend: WasmBackendLike): SimdMatmul | null {
  const memory = memoryOf(backend);
  return memory ? simdMatmulFor(memory) : null;
}

/** x with its last two dims swapped by the banded wasm transpose (one call per matrix), or null without it. */
function transposeLastTwo(w: WasmBackendLike, x: tf.TensorInfo): tf.TensorInfo | null {
  const memory = memoryOf(w);
  const k = memory && x.dtype === 'float32' ? transpose2dFor(memory) : null;
  const r = x.shape.length;
  const [rows, cols] = [x.shape[r - 2], x.shape[r - 1]];
  if (!k || rows === 0 || cols === 0) return null;
  const out = w.makeOutput([...x.shape.slice(0, -2), cols, rows], 'float32');
  const src = w.dataIdMap.get(x.dataId)!.memoryOffset;
  const dst = w.dataIdMap.get(out.dataId)!.memoryOffset;
  const bytes = rows * cols * 4;
  for (let t = 0, n = size(x.shape.slice(0, -2)); t < n; t++) k.t2d(src + t * bytes, dst + t * bytes, rows, cols);
  return out;
}

let simdCalls = 0;
/** How many BatchMatMul calls the SIMD kernels served (lets tests prove the path ran). */
export const simdBatchMatMulCalls = () => simdCalls;

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

export function makeTransposingBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const w = backend as unknown as WasmBackendLike;
    const transpose = tf.getKernel('Transpose', 'wasm');
    const t = (x: tf.TensorInfo) => {
      const banded = transposeLastTwo(w, x);
      if (banded) return banded;
      const perm = x.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
      return transpose!.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const temps: tf.TensorInfo[] = [];
    const materialised = (x: tf.TensorInfo) => {
      const y = t(x);
      temps.push(y);
      return y;
    };
    try {
      const batched = simdBatched(w, a, b, transposeA, transposeB, transpose ? materialised : null);
      if (batched) return batched;
      if (!transposeA && !transposeB) return original({ inputs, backend, attrs });
      if (!transpose) return original({ inputs, backend, attrs });
      const at = transposeA ? materialised(a) : a;
      const bt = transposeB ? materialised(b) : b;
      return original({ inputs: { a: at, b: bt }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const x of temps) w.disposeData(x.dataId);
    }
  };
}

/**
 * The SIMD path for a batch > 1 with equal batch dimensions (or one side a single matrix), or null
 * when it does not apply (batch 1, broadcasting batch shapes, sizes the kernels cannot tile, no SIMD).
 */
function simdBatched(
  w: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  materialise: ((x: tf.TensorInfo) => tf.TensorInfo) | null,
): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = size(outerA);
  const batchB = size(outerB);
  const batch = Math.max(batchA, batchB);
  if (batch <= 1) return null;
  const sameOuter = outerA.length === outerB.length && outerA.every((d, i) => d === outerB[i]);
  // Broadcasting: only one whole side a single matrix of no higher rank (the output takes the other's dims).
  const single = batchA === 1 ? outerA : outerB;
  const many = batchA === 1 ? outerB : outerA;
  if (!sameOuter && (Math.min(batchA, batchB) !== 1 || single.length > many.length)) return null;
  const outShape = [...many, 0, 0];
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if ((transposeB ? b.shape[rb - 1] : b.shape[rb - 2]) !== k) return null; // the stock kernel reports it
  if (m === 0 || k === 0 || n === 0) return null;
  // Forms: nt needs K % 4 == 0 (b read row by row), nn needs N % 4 == 0.
  let form: 'nn' | 'nt';
  if (transposeB) form = k % 4 === 0 ? 'nt' : 'nn';
  else form = n % 4 === 0 ? 'nn' : 'nt';
  if ((form === 'nn' && n % 4 !== 0) || (form === 'nt' && k % 4 !== 0)) return null;
  const needsTransposeB = (form === 'nt') !== transposeB;
  if ((transposeA || needsTransposeB) && !materialise) return null;
  const kernels = kernelsOf(w);
  if (!kernels) return null;
  const aIn = transposeA ? materialise!(a) : a;
  const bIn = needsTransposeB ? materialise!(b) : b;
  outShape[outShape.length - 2] = m;
  outShape[outShape.length - 1] = n;
  const out = w.makeOutput(outShape, 'float32');
  // Offsets after makeOutput: it may grow the heap, which moves nothing (offsets stay valid).
  const off = (x: tf.TensorInfo) => w.dataIdMap.get(x.dataId)!.memoryOffset;
  const aStep = batchA === 1 ? 0 : m * k * 4;
  const bStep = batchB === 1 ? 0 : k * n * 4;
  simdCalls++;
  kernels[form](off(aIn), off(bIn), off(out), batch, m, k, n, aStep, bStep);
  return out;
}
