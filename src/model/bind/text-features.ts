// Frozen pre-projection features of the text encoder (its CLS row before text/head), by the same probe-head
// trick as finetune/features.ts: the forward with head [I | 0], bias [0.., 1] gives L2-normalise([cls, 1]),
// from which cls = out[:, :d] / out[:, d]. Pair binding trains text/head on these, so the text anchor moves
// with the CXR and ECG heads instead of staying where the base model left it.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { textForward } from '../encoders/text';
import type { Params } from '../params';
import type { Tokenizer } from '../tokenizer';

export const TEXT_HEAD_PARAMS: [string, string] = ['text/head/w', 'text/head/b'];

/** texts -> CLS features [n, text.dim] (synchronous tf ops; the caller owns the result). */
export function textClsFeatures(p: Params, c: MedbindConfig, tokenizer: Tokenizer, texts: string[]): tf.Tensor2D {
  const d = c.text.dim;
  const tok = tokenizer.encodeBatch(texts, c.text.lengthBucket, c.text.maxTokens);
  return tf.tidy(() => {
    const probed = new Map(p);
    probed.set(TEXT_HEAD_PARAMS[0], tf.concat([tf.eye(d), tf.zeros([d, 1])], 1));
    probed.set(TEXT_HEAD_PARAMS[1], tf.concat([tf.zeros([d]), tf.ones([1])]));
    const out = textForward(probed, c, tf.tensor2d(tok.ids, [tok.n, tok.T], 'int32'));
    const n = out.shape[0];
    return tf.div(out.slice([0, 0], [n, d]), out.slice([0, d], [n, 1])) as tf.Tensor2D;
  });
}

/** Text features of many texts in chunks (async reads, no dataSync): [n, text.dim] row-major. */
export async function textFeatureRows(p: Params, c: MedbindConfig, tokenizer: Tokenizer, texts: string[], chunk = 32): Promise<Float32Array> {
  const d = c.text.dim;
  const out = new Float32Array(texts.length * d);
  for (let s = 0; s < texts.length; s += chunk) {
    const f = textClsFeatures(p, c, tokenizer, texts.slice(s, s + chunk));
    try {
      out.set((await f.data()) as Float32Array, s * d);
    } finally {
      f.dispose();
    }
  }
  return out;
}
