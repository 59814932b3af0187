// ECG encoder: the paper's "vanilla transformer over time tokens" with a patch stem in front, since
// 1000 tokens of attention are too heavy: [n, 12, 1000] -> 10-sample patches of all leads -> linear ->
// token MLP -> merge pairs of tokens -> CLS + positions -> transformer -> CLS head.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { clsHead, layerNorm, linear, mlpBlock, transformer, withClsAndPos } from '../layers';
import type { Params } from '../params';

/** signals [n, leads, nSamples] or [n, leads*nSamples] (lead-major) -> embeddings [n, embedDim]. */
export function ecgForward(p: Params, c: MedbindConfig, signals: tf.Tensor): tf.Tensor2D {
  const e = c.ecg;
  const n = signals.shape[0];
  const nLeads = e.leads.length;
  const nPatch = e.nSamples / e.patchSamples;
  let h = signals
    .reshape([n, nLeads, nPatch, e.patchSamples])
    .transpose([0, 2, 1, 3])
    .reshape([n, nPatch, nLeads * e.patchSamples]);
  h = layerNorm(p, 'ecg/patch/ln', linear(p, 'ecg/patch', h));
  h = mlpBlock(p, 'ecg/stem/mlp', h);
  const nTok = nPatch / e.mergeTokens;
  h = h.reshape([n, nTok, e.mergeTokens * e.stemDim]);
  h = linear(p, 'ecg/merge', layerNorm(p, 'ecg/merge/ln', h));
  const tokens = withClsAndPos(p, 'ecg', h as tf.Tensor3D);
  const out = transformer(p, 'ecg/tf', tokens, e.depth, e.heads, null);
  return clsHead(p, 'ecg/head', out);
}
