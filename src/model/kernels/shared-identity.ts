// Identity for wasm as a shared reference (one more owner of the same heap block), as the cpu backend
// does. The stock wasm kernel copies its input, and the engine calls Identity for every tensor it saves for
// the backward pass: ~1,100 copies per training step, 7-15% of its kernel time. tfjs tensors are immutable
// and no kernel writes into its inputs, so sharing is safe (Reshape shares the same way).
import type * as tf from '@tensorflow/tfjs';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function makeSharedIdentity(original: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return original(args);
    (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  };
}
