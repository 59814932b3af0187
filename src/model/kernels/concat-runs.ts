// Concat for wasm as a copy loop over the heap. The stock kernel makes a subarray per input per outer
// index and copies it with set(): the ECG stem's im2col (7 inputs of [32, 1000, 12] along the last axis)
// is 224,000 such calls, ~40 ms of a training step. Short runs here are copied element by element,
// long ones with copyWithin. Strings, bool and a lone input keep the stock kernel.
import type * as tf from '@tensorflow/tfjs';

interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** Below this many elements a run is copied by a loop (a copyWithin call costs more). */
const LOOP_RUN = 64;

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
    // Offsets after makeOutput (which may grow the heap); one 4-byte view serves float32 and int32 alike.
    const heap = new Int32Array(w.wasm.HEAPU8.buffer);
    const dst = w.dataIdMap.get(out.dataId)!.memoryOffset / 4;
    let col = 0;
    for (let i = 0; i < parts.length; i++) {
      const run = runs[i];
      let s = w.dataIdMap.get(parts[i].dataId)!.memoryOffset / 4;
      let d = dst + col;
      if (run < LOOP_RUN) {
        for (let o = 0; o < outer; o++, s += run, d += rowLen) for (let k = 0; k < run; k++) heap[d + k] = heap[s + k];
      } else {
        for (let o = 0; o < outer; o++, s += run, d += rowLen) heap.copyWithin(d, s, s + run);
      }
      col += run;
    }
    return out;
  };
}
