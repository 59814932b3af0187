// Text encoder: token embeddings + learned positions -> pre-LN transformer with a padding mask ->
// CLS head. Token ids come from tokenizer.ts ([CLS] first, [PAD] = 0 after the text).
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { clsHead, get, transformer } from '../layers';
import type { Params } from '../params';
import { PAD_ID } from '../tokenizer';

/** ids [n, T] int32 (T <= maxTokens) -> embeddings [n, embedDim]. */
export function textForward(p: Params, c: MedbindConfig, ids: tf.Tensor2D): tf.Tensor2D {
  const t = c.text;
  const [n, T] = ids.shape;
  if (T > t.maxTokens) throw new Error(`text encoder: ${T} tokens > maxTokens ${t.maxTokens}`);
  const tok = tf.gather(get(p, 'text/tok'), ids.reshape([n * T])).reshape([n, T, t.dim]);
  const pos = tf.slice(get(p, 'text/pos'), [0, 0], [T, t.dim]);
  const h = tf.add(tok, pos) as tf.Tensor3D;
  const maskAdd = tf.mul(tf.cast(tf.equal(ids, PAD_ID), 'float32'), -1e9).reshape([n, 1, 1, T]);
  const out = transformer(p, 'text/tf', h, t.depth, t.heads, maskAdd);
  return clsHead(p, 'text/head', out);
}
