// Sum for wasm over the leading axes (a bias gradient: [rows, cols] -> [cols], or [n, t, c] -> [c]) as
// SIMD column sums read in place (simd-colsum.ts). The stock kernel first transposes the input so that
// the reduced axes are innermost, then sums strided rows. Other reductions, a column count that is not a
// multiple of 4 and a machine without wasm SIMD keep the stock kernel.
import type * as tf from '@tensorflow/tfjs';
import { simdColsumFor, type SimdColsum } from './simd-colsum';

interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array; asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

let simdCalls = 0;
/** How many Sum calls the SIMD column sum served (lets tests prove the path ran). */
export const leadingSumCalls = () => simdCalls;

function kernelOf(w: WasmHeapBackend): SimdColsum | null {
  const memory = w.wasm?.wasmMemory ?? w.wasm?.asm?.memory;
  return memory instanceof WebAssembly.Memory ? simdColsumFor(memory) : null;
}

export function makeLeadingSum(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = [...new Set((Array.isArray(axis) ? axis : [axis]).map((a) => (a < 0 ? a + rank : a)))].sort((p, q) => p - q);
    // Leading and not all of them (a full reduction is one row: the stock kernel's fast case).
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) return original(args);
    const rows = x.shape.slice(0, axes.length).reduce((p, d) => p * d, 1);
    const kept = x.shape.slice(axes.length);
    const cols = kept.reduce((p, d) => p * d, 1);
    const w = args.backend as unknown as WasmHeapBackend;
    const kernel = rows > 0 && cols > 0 && cols % 4 === 0 ? kernelOf(w) : null;
    if (!kernel) return original(args);
    const out = w.makeOutput(keepDims ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    // Offsets after makeOutput: it may grow the heap, which moves nothing (offsets stay valid).
    simdCalls++;
    kernel.colsum(w.dataIdMap.get(x.dataId)!.memoryOffset, w.dataIdMap.get(out.dataId)!.memoryOffset, rows, cols);
    return out;
  };
}
