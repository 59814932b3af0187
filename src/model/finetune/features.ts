// Frozen pre-projection features for fine-tuning: runs the shared encoder forward up to its CLS feature.
// The encoders end in clsHead = L2-normalise(linear(CLS)), which loses the feature's norm; running the same
// forward with a probe head [I | 0] and bias [0.., 1] gives L2-normalise([cls, 1]), from which cls is
// recovered exactly as out[:, :d] / out[:, d]. No second copy of the encoder code is needed.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { cxrForward } from '../encoders/cxr';
import { ecgForward } from '../encoders/ecg';
import { l2Normalize, linear } from '../layers';
import type { Params } from '../params';

export type ImageOrSignal = 'ecg' | 'cxr';

/** Width of the CLS feature of an encoder (the projection head's input). */
export function featureDim(c: MedbindConfig, modality: ImageOrSignal): number {
  return modality === 'ecg' ? c.ecg.dim : c.cxr.stageDims[c.cxr.stageDims.length - 1];
}

/** Names of the projection-head parameters of a modality in the shared parameter map. */
export function headParamNames(modality: ImageOrSignal): [string, string] {
  return [`${modality}/head/w`, `${modality}/head/b`];
}

/**
 * inputs: ECG [n, 12*1000] or CXR [n, 224*224] (preprocessed) -> CLS features [n, featureDim] (before the
 * projection head). Synchronous tf ops; the caller owns the result (call inside tf.tidy or dispose it).
 */
export function clsFeatures(p: Params, c: MedbindConfig, modality: ImageOrSignal, inputs: tf.Tensor): tf.Tensor2D {
  const d = featureDim(c, modality);
  const [wName, bName] = headParamNames(modality);
  return tf.tidy(() => {
    const probeW = tf.concat([tf.eye(d), tf.zeros([d, 1])], 1);
    const probeB = tf.concat([tf.zeros([d]), tf.ones([1])]);
    const probed = new Map(p);
    probed.set(wName, probeW);
    probed.set(bName, probeB);
    const out = modality === 'ecg' ? ecgForward(probed, c, inputs) : cxrForward(probed, c, inputs);
    const n = out.shape[0];
    return tf.div(out.slice([0, 0], [n, d]), out.slice([0, d], [n, 1])) as tf.Tensor2D;
  });
}

/** The projection head on features: [n, featureDim] -> L2-normalised [n, embedDim] (same ops as clsHead). */
export function projectFeatures(p: Params, modality: ImageOrSignal, feats: tf.Tensor2D): tf.Tensor2D {
  return l2Normalize(linear(p, `${modality}/head`, feats) as tf.Tensor2D);
}
