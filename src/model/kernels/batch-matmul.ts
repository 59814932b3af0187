// BatchMatMul for wasm with transpose flags: XNNPACK's plain matmul is ~10x faster than its transposed
// path, and every matmul gradient uses transpose flags. Materialise the transposes, then multiply plainly.
import * as tf from '@tensorflow/tfjs';

export function makeTransposingBatchMatMul(original: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original({ inputs, backend, attrs });
    const transpose = tf.getKernel('Transpose', 'wasm');
    if (!transpose) return original({ inputs, backend, attrs });
    const t = (x: tf.TensorInfo) => {
      const perm = x.shape.map((_, i) => i);
      const r = perm.length;
      [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
      return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
    };
    const at = transposeA ? t(a) : a;
    const bt = transposeB ? t(b) : b;
    try {
      return original({ inputs: { a: at, b: bt }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      const disposeData = (backend as { disposeData(id: object): boolean }).disposeData.bind(backend);
      if (at !== a) disposeData(at.dataId);
      if (bt !== b) disposeData(bt.dataId);
    }
  };
}
