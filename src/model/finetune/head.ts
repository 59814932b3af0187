// Trainable heads for local fine-tuning, built from the shared parameter map: the modality's projection
// head alone, or the head plus the encoder's final LayerNorm (whose input is recovered exactly from the
// cached CLS feature, since LN(x)*g + b is invertible per feature when g has no zeros).
import * as tf from '@tensorflow/tfjs';
import { get } from '../layers';
import type { Params } from '../params';
import { headParamNames, projectFeatures, type ImageOrSignal } from './features';
import type { ParamArrays, TrainableHead } from './trainer';

export type HeadScope = 'projection' | 'projection+final-norm';

const finalNormNames = (m: ImageOrSignal): [string, string] => [`${m}/tf/lnf/g`, `${m}/tf/lnf/b`];

/** Names of the parameters a scope trains (a fine-tuned version stores exactly these). */
export function scopeParamNames(modality: ImageOrSignal, scope: HeadScope): string[] {
  const names = [...headParamNames(modality)];
  if (scope === 'projection+final-norm') names.push(...finalNormNames(modality));
  return names;
}

/** Copies the current values of the named parameters out of a parameter map (async: no dataSync). */
export async function readParams(p: Params, names: string[]): Promise<ParamArrays> {
  const out: ParamArrays = {};
  for (const n of names) {
    const t = get(p, n);
    out[n] = { shape: t.shape.slice(), values: new Float32Array(await t.data()) };
  }
  return out;
}

/**
 * A head over cached CLS features (see clsFeatures). With 'projection+final-norm' the features are first
 * mapped back through the base LayerNorm affine ((f - b0) / g0) and then through the trainable one.
 */
export async function makeHead(base: Params, modality: ImageOrSignal, scope: HeadScope): Promise<TrainableHead> {
  const initial = await readParams(base, scopeParamNames(modality, scope));
  const [gName, bName] = finalNormNames(modality);
  const g0 = scope === 'projection+final-norm' ? initial[gName] : null;
  const b0 = scope === 'projection+final-norm' ? initial[bName] : null;
  if (g0 && g0.values.some((v) => Math.abs(v) < 1e-6)) throw new Error(`finetune: ${gName} has a zero gain; train the projection only`);
  return {
    initial,
    embed(params: Record<string, tf.Tensor>, feats: tf.Tensor2D): tf.Tensor2D {
      let f: tf.Tensor2D = feats;
      if (g0 && b0) {
        const normed = tf.div(tf.sub(feats, tf.tensor1d(b0.values)), tf.tensor1d(g0.values));
        f = tf.add(tf.mul(normed, params[gName]), params[bName]) as tf.Tensor2D;
      }
      return projectFeatures(new Map(Object.entries(params)), modality, f);
    },
  };
}
