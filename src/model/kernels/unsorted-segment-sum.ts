// UnsortedSegmentSum as one scatter-add pass (the embedding gradient of tf.gather). The stock cpu
// kernel loops over every segment and the wasm backend has none.
import type * as tf from '@tensorflow/tfjs';
import { kernelIo, sizeOf } from './io';

export function unsortedSegmentSumValues(x: ArrayLike<number>, ids: ArrayLike<number>, inner: number, numSegments: number, out: Float32Array | Int32Array): void {
  for (let s = 0; s < ids.length; s++) {
    const seg = ids[s];
    if (seg < 0 || seg >= numSegments) continue; // out-of-range ids are dropped, as in TensorFlow
    const src = s * inner;
    const dst = seg * inner;
    for (let k = 0; k < inner; k++) out[dst + k] += x[src + k];
  }
}

export const unsortedSegmentSumKernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const io = kernelIo(backend);
  const nIds = sizeOf(segmentIds.shape);
  const inner = nIds === 0 ? 0 : sizeOf(x.shape) / nIds;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const xv = io.read(x);
  const ids = io.read(segmentIds);
  const out = io.alloc(outShape, dtype);
  unsortedSegmentSumValues(xv, ids, inner, numSegments, out.view());
  return out.info;
};
