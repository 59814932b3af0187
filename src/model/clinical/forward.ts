// The clinical predictor's forward pass: the text encoder's token + position embeddings, then k soft tokens
// per modality (a trainable linear map of the frozen 256-d embedding) placed right after each row's text
// (positions len .. len + k*m - 1), a padding mask that hides only the text's padding, the shared
// transformer with LoRA on query/value, and a classification head on the pooled ([CLS]) output.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { get, linear, transformer } from '../layers';
import type { Params } from '../params';
import { PAD_ID } from '../tokenizer';
import { loraAdapter } from './lora';
import { HEAD_NAME, softProjName } from './params';
import type { SoftModality } from './types';

export interface ForwardOptions {
  rank: number;
  alpha: number;
  softTokens: number;
  modalities: readonly SoftModality[];
}

export interface ClinicalBatch {
  /** [n, T] int32 token ids, [CLS] first, [PAD] after the text. */
  ids: tf.Tensor2D;
  /** [n] int32: tokens before the padding in each row. */
  lengths: tf.Tensor1D;
  /** [n, embedDim] frozen embedding per modality in use. */
  embeddings: Partial<Record<SoftModality, tf.Tensor2D>>;
}

/**
 * The input sequence: h [n, T + k*m, d] = [text tokens | soft tokens] with their position embeddings,
 * and maskAdd [n, 1, 1, T + k*m] (0 = attended, -1e9 = text padding). The soft tokens sit after the text
 * in position (attention itself is order-free, so their place in the tensor does not matter).
 */
export function clinicalSequence(base: Params, c: MedbindConfig, train: Params, o: ForwardOptions, b: ClinicalBatch): { h: tf.Tensor3D; maskAdd: tf.Tensor4D } {
  const d = c.text.dim;
  const [n, T] = b.ids.shape;
  const k = o.softTokens;
  const K = k * o.modalities.length;
  if (T + K > c.text.maxTokens) throw new Error(`clinical model: ${T} text tokens + ${K} soft tokens > maxTokens ${c.text.maxTokens}`);
  const pos = get(base, 'text/pos');
  const tok = tf.gather(get(base, 'text/tok'), b.ids.reshape([n * T])).reshape([n, T, d]);
  const parts: tf.Tensor3D[] = [tf.add(tok, tf.slice(pos, [0, 0], [T, d])) as tf.Tensor3D];
  o.modalities.forEach((m, mi) => {
    const e = b.embeddings[m];
    if (!e) throw new Error(`clinical model: no ${m.toUpperCase()} embeddings for soft tokens`);
    const soft = linear(train, softProjName(m), e).reshape([n, k, d]);
    const offsets = tf.range(mi * k, (mi + 1) * k, 1, 'int32').reshape([1, k]);
    const posIds = tf.add(b.lengths.reshape([n, 1]), offsets).reshape([n * k]) as tf.Tensor1D;
    parts.push(tf.add(soft, tf.gather(pos, posIds).reshape([n, k, d])) as tf.Tensor3D);
  });
  const h = (parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as tf.Tensor3D;
  const textMask = tf.mul(tf.cast(tf.equal(b.ids, PAD_ID), 'float32'), -1e9);
  const mask = K > 0 ? tf.concat([textMask, tf.zeros([n, K])], 1) : textMask;
  return { h, maskAdd: mask.reshape([n, 1, 1, T + K]) as tf.Tensor4D };
}

/** The pooled output: the [CLS] row of the final LayerNorm, [n, d]. */
export function clinicalPooled(base: Params, c: MedbindConfig, train: Params, o: ForwardOptions, b: ClinicalBatch): tf.Tensor2D {
  const { h, maskAdd } = clinicalSequence(base, c, train, o, b);
  const out = transformer(base, 'text/tf', h, c.text.depth, c.text.heads, maskAdd, loraAdapter(train, o.alpha, o.rank));
  const [n, , d] = out.shape;
  return tf.slice(out, [0, 0, 0], [n, 1, d]).reshape([n, d]);
}

/** Class logits [n, C]. Plain tf ops (call inside tidy or a gradient). */
export function clinicalLogits(base: Params, c: MedbindConfig, train: Params, o: ForwardOptions, b: ClinicalBatch): tf.Tensor2D {
  return linear(train, HEAD_NAME, clinicalPooled(base, c, train, o, b)) as tf.Tensor2D;
}
