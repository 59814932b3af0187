// LoRA on the text encoder's attention: h = xW + (alpha/r) * x A B for the query and value parts of each
// block's fused qkv projection; W stays frozen. The adapter plugs into layers.attention, which keeps its
// plain behaviour when no adapter is given. mergedQkv gives the dense oracle W + (alpha/r) A B.
import * as tf from '@tensorflow/tfjs';
import { get, type AttentionAdapter } from '../layers';
import type { Params } from '../params';
import { loraName } from './params';

/** Block name "text/tf/block3" -> 3 (null for other names). */
function blockIndex(name: string): number | null {
  const m = /\/block(\d+)$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** The adapter over trainable LoRA factors in `lora` (names from params.loraName), scaled by alpha / rank. */
export function loraAdapter(lora: Params, alpha: number, rank: number): AttentionAdapter {
  const scale = alpha / rank;
  return (block, x) => {
    const i = blockIndex(block);
    if (i === null || !lora.has(loraName(i, 'q', 'A'))) return { dq: null, dv: null };
    const delta = (which: 'q' | 'v') =>
      tf.mul(tf.matMul(tf.matMul(x, get(lora, loraName(i, which, 'A')) as tf.Tensor2D), get(lora, loraName(i, which, 'B')) as tf.Tensor2D), scale) as tf.Tensor2D;
    return { dq: delta('q'), dv: delta('v') };
  };
}

/**
 * Dense oracle: the fused qkv weight [d, 3d] of block i with the LoRA updates merged into its query
 * (columns 0..d-1) and value (columns 2d..3d-1) parts.
 */
export function mergedQkv(base: Params, prefix: string, lora: Params, i: number, alpha: number, rank: number): tf.Tensor2D {
  return tf.tidy(() => {
    const w = get(base, `${prefix}/block${i}/qkv/w`) as tf.Tensor2D;
    const d = w.shape[0];
    const ab = (which: 'q' | 'v') => tf.mul(tf.matMul(get(lora, loraName(i, which, 'A')) as tf.Tensor2D, get(lora, loraName(i, which, 'B')) as tf.Tensor2D), alpha / rank);
    const [wq, wk, wv] = tf.split(w, [d, d, d], 1);
    return tf.concat([tf.add(wq, ab('q')), wk, tf.add(wv, ab('v'))], 1) as tf.Tensor2D;
  });
}
