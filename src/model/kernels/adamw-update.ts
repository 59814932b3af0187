// One AdamW update of a parameter as a single pass (cpu and wasm): new m, v and weight from the old ones
// and the gradient, where the optimizer's elementwise ops took ~13 kernels (and as many full-size
// temporaries) per parameter. Arithmetic in float64, each result stored as float32; the optimizer falls
// back to those ops on a backend without this kernel.
import type * as tf from '@tensorflow/tfjs';
import { kernelIo, sizeOf, type Values } from './io';

export const ADAMW_UPDATE = 'MedbindAdamWUpdate';

export interface AdamWUpdateAttrs {
  beta1: number;
  beta2: number;
  /** Bias corrections 1 - beta^t of this step. */
  bc1: number;
  bc2: number;
  epsilon: number;
  lr: number;
  /** Decoupled weight decay of this parameter (0 for none). */
  weightDecay: number;
}

/** outP, outM, outV from p, m, v and the gradient g (all of one length). */
export function adamwUpdateValues(p: Values, m: Values, v: Values, g: Values, outP: Values, outM: Values, outV: Values, a: AdamWUpdateAttrs): void {
  const { beta1: b1, beta2: b2, bc1, bc2, epsilon, lr, weightDecay: wd } = a;
  const c1 = 1 - b1;
  const c2 = 1 - b2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = m[i] * b1 + gi * c1;
    const vi = v[i] * b2 + gi * gi * c2;
    outM[i] = mi;
    outV[i] = vi;
    outP[i] = p[i] - lr * (mi / bc1 / (Math.sqrt(vi / bc2) + epsilon) + wd * p[i]);
  }
}

export const adamwUpdateKernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { p, m, v, g } = inputs as Record<'p' | 'm' | 'v' | 'g', tf.TensorInfo>;
  for (const [k, t] of Object.entries({ m, v, g })) {
    if (t.dtype !== 'float32' || sizeOf(t.shape) !== sizeOf(p.shape)) throw new Error(`${ADAMW_UPDATE}: ${k} [${t.shape}] ${t.dtype} does not match the parameter [${p.shape}]`);
  }
  if (p.dtype !== 'float32') throw new Error(`${ADAMW_UPDATE}: the parameter is ${p.dtype}, not float32`);
  const io = kernelIo(backend);
  const outs = [io.alloc(p.shape, 'float32'), io.alloc(p.shape, 'float32'), io.alloc(p.shape, 'float32')];
  // Views after every allocation (a wasm heap that grew has a new buffer).
  const w = backend as unknown as { typedArrayFromHeap?: (t: tf.TensorInfo) => Values };
  const view = (t: tf.TensorInfo) => (io.kind === 'wasm' ? w.typedArrayFromHeap!(t) : io.read(t));
  const [oP, oM, oV] = outs.map((o) => o.view());
  adamwUpdateValues(view(p), view(m), view(v), view(g), oP, oM, oV, attrs as unknown as AdamWUpdateAttrs);
  return outs.map((o) => o.info);
};
