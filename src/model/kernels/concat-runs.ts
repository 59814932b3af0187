// Concat for wasm as strided heap copies. The stock kernel makes a subarray per input per outer index
// and copies it with set(): the ECG stem's im2col (7 inputs of [32, 1000, 12] along the last axis) is
// 224,000 such calls. Here each input is one wasm loop of memory.copy (copy-runs.ts), or where that is
// unavailable a JS loop. Strings, bool and a lone input keep the stock kernel.
import type * as tf from '@tensorflow/tfjs';
import { copyRunsFor } from './copy-runs';

interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array; asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}


let concatCalls = 0;
/** How many Concat calls this kernel served (lets tests prove the path ran). */
export const concatRunsCalls = () => concatCalls;

export function makeConcatRuns(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const all = Object.values(args.inputs) as tf.TensorInfo[];
    const rank = all[0]?.shape.length ?? 0;
    const axisAttr = (args.attrs as unknown as { axis: number | number[] }).axis;
    const axis0 = Array.isArray(axisAttr) ? axisAttr[0] : axisAttr;
    if (rank === 0 || !Number.isInteger(axis0) || axis0 < -rank || axis0 >= rank) return original(args);
    const axis = (axis0 + rank) % rank;
    const dtype = all[0].dtype;
    const consistent = all.every((t) => t.dtype === dtype && t.shape.length === rank && t.shape.every((d, i) => i === axis || d === all[0].shape[i]));
    const parts = all.filter((t) => t.shape.every((d) => d > 0));
    if ((dtype !== 'float32' && dtype !== 'int32') || !consistent || parts.length < 2) return original(args); // the stock kernel reports bad input
    const w = args.backend as unknown as WasmHeapBackend;
    const outShape = [...all[0].shape];
    outShape[axis] = all.reduce((a, t) => a + t.shape[axis], 0);
    const outer = outShape.slice(0, axis).reduce((p, d) => p * d, 1);
    const runs = parts.map((t) => t.shape.slice(axis).reduce((p, d) => p * d, 1));
    const rowLen = runs.reduce((a, r) => a + r, 0);
    const out = w.makeOutput(outShape, dtype);
    concatCalls++;
    const memory = w.wasm?.wasmMemory ?? w.wasm?.asm?.memory;
    const wasmCopy = memory instanceof WebAssembly.Memory ? copyRunsFor(memory) : null;
    if (wasmCopy) {
      let dstByte = w.dataIdMap.get(out.dataId)!.memoryOffset;
      for (let i = 0; i < parts.length; i++) {
        wasmCopy.runs(dstByte, w.dataIdMap.get(parts[i].dataId)!.memoryOffset, outer, runs[i] * 4, rowLen * 4);
        dstByte += runs[i] * 4;
      }
      return out;
    }
    // Offsets after makeOutput (which may grow the heap); one 4-byte view serves float32 and int32 alike.
    const heap = new Int32Array(w.wasm.HEAPU8.buffer);
    const dst = w.dataIdMap.get(out.dataId)!.memoryOffset >>> 2; // integer indices (a double index is a slow path)
    let col = 0;
    for (let i = 0; i < parts.length; i++) {
      const run = runs[i];
      let s = w.dataIdMap.get(parts[i].dataId)!.memoryOffset >>> 2;
      let d = dst + col;
      for (let o = 0; o < outer; o++, s += run, d += rowLen) heap.copyWithin(d, s, s + run);
      col += run;
    }
    return out;
  };
}
