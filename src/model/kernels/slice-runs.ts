// Slice for wasm as copies of contiguous runs inside the heap. The stock kernel first reads its whole
// input out of the heap (readSync copies it), then slices the copy: attention's q/k/v slices of the fused
// projection copied 3x their own size each, and ranks past 4 fell to a per-element loop.
import type * as tf from '@tensorflow/tfjs';

interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

/** begin/size as the Slice kernel receives them (size -1: to the end); null when they do not fit x. */
function parse(shape: readonly number[], begin: readonly number[], size: readonly number[]): { begin: number[]; size: number[] } | null {
  if (begin.length !== shape.length || size.length !== shape.length) return null;
  const b: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    const bi = begin[i];
    const si = size[i] === -1 ? shape[i] - bi : size[i];
    if (!Number.isInteger(bi) || !Number.isInteger(si) || bi < 0 || si < 0 || bi + si > shape[i]) return null;
    b.push(bi);
    s.push(si);
  }
  return { begin: b, size: s };
}

export function makeSliceRuns(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: tf.TensorInfo };
    const { begin, size } = attrs as unknown as { begin: number[]; size: number[] };
    const w = backend as unknown as WasmHeapBackend;
    if (x.dtype !== 'float32' && x.dtype !== 'int32') return original(args);
    const p = parse(x.shape, typeof begin === 'number' ? [begin] : begin, typeof size === 'number' ? [size] : size);
    if (!p || x.shape.length === 0) return original(args);
    const rank = x.shape.length;
    const out = w.makeOutput(p.size, x.dtype);
    const total = p.size.reduce((a, d) => a * d, 1);
    if (total === 0) return out;
    // Row-major strides of x; the run is the trailing block that is taken whole plus one partial axis.
    const strides = new Array<number>(rank);
    strides[rank - 1] = 1;
    for (let i = rank - 2; i >= 0; i--) strides[i] = strides[i + 1] * x.shape[i + 1];
    let axis = rank - 1;
    while (axis > 0 && p.begin[axis] === 0 && p.size[axis] === x.shape[axis]) axis--;
    const run = p.size[axis] * strides[axis];
    // Element views of the current heap (makeOutput may have grown it); float32 and int32 are both 4 bytes.
    const heap = new Int32Array(w.wasm.HEAPU8.buffer);
    const src = w.dataIdMap.get(x.dataId)!.memoryOffset / 4;
    let dst = w.dataIdMap.get(out.dataId)!.memoryOffset / 4;
    const idx = new Array<number>(axis).fill(0); // odometer over the axes before `axis`
    const base = p.begin.reduce((acc, bi, i) => acc + bi * strides[i], 0);
    for (let done = 0; done < total; done += run) {
      let from = src + base;
      for (let i = 0; i < axis; i++) from += idx[i] * strides[i];
      heap.copyWithin(dst, from, from + run);
      dst += run;
      for (let i = axis - 1; i >= 0; i--) {
        if (++idx[i] < p.size[i]) break;
        idx[i] = 0;
      }
    }
    return out;
  };
}

/**
 * SplitV for wasm as one run-copying slice per part (the stock kernel calls its own Slice, which copies
 * the whole input out of the heap once per part: the gradient of every concat, e.g. the conv stem's im2col).
 */
export function makeSplitRuns(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const { x } = inputs as { x: tf.TensorInfo };
    const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
    const rank = x.shape.length;
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || rank === 0 || !Number.isInteger(axis) || axis < -rank || axis >= rank) return original(args);
    const ax = (axis + rank) % rank;
    const dim = x.shape[ax];
    let sizes: number[];
    if (typeof numOrSizeSplits === 'number') {
      if (numOrSizeSplits <= 0 || dim % numOrSizeSplits !== 0) return original(args); // the stock kernel reports it
      sizes = new Array<number>(numOrSizeSplits).fill(dim / numOrSizeSplits);
    } else {
      sizes = [...numOrSizeSplits];
      const free = sizes.indexOf(-1);
      if (free >= 0) sizes[free] = dim - sizes.reduce((a, s, i) => (i === free ? a : a + s), 0);
      if (sizes.some((s) => !Number.isInteger(s) || s < 0) || sizes.reduce((a, s) => a + s, 0) !== dim) return original(args);
    }
    const slice = makeSliceRuns(() => {
      throw new Error('kernels: SplitV part outside its input');
    });
    const begin = new Array<number>(rank).fill(0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[ax] = s;
      const part = slice({ inputs: { x }, backend, attrs: { begin: [...begin], size } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
      begin[ax] += s;
      return part;
    });
  };
}
