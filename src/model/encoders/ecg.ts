// ECG encoder: the paper's "vanilla transformer over time tokens" with a stem in front, since 1000 tokens
// of attention are too heavy. Two stems (config ecg.stem):
// - 'conv1d' (default): a residual 1-D convolutional stem in the xresnet1d spirit, the inductive bias that
//   works on small ECG sets: per stage conv(k) -> LN -> GELU -> average pooling -> a pre-norm residual conv;
//   [n, 12, 1000] -> [n, 50, C] -> linear to the transformer width -> CLS + positions -> transformer -> CLS head.
// - 'patch': 10-sample patches of all leads -> linear -> token MLP -> merge pairs (the first shipped model).
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { clsHead, get, layerNorm, linear, mlpBlock, transformer, withClsAndPos } from '../layers';
import type { Params } from '../params';

/**
 * 'same'-padded stride-1 conv over time: x [n, T, Cin], w [k, Cin, Cout] -> [n, T, Cout]. Written as
 * im2col (k shifted slices concatenated) + one MatMul, the same result as tf.conv1d(x, w, 1, 'same') but
 * with matmul-speed gradients on wasm (measured 1.5 s vs 2.4 s for a batch-32 ECG training step).
 */
export function conv1dSame(p: Params, name: string, x: tf.Tensor3D): tf.Tensor3D {
  const w = get(p, `${name}/w`) as tf.Tensor3D;
  const [k, cin, cout] = w.shape;
  const [n, t] = x.shape;
  const half = (k - 1) / 2;
  const padded = tf.pad(x, [[0, 0], [half, half], [0, 0]]);
  const cols = tf.concat(Array.from({ length: k }, (_, j) => tf.slice(padded, [0, j, 0], [n, t, cin])), 2);
  const y = tf.matMul(cols.reshape([n * t, k * cin]) as tf.Tensor2D, w.reshape([k * cin, cout]) as tf.Tensor2D);
  return tf.add(y, get(p, `${name}/b`)).reshape([n, t, cout]) as tf.Tensor3D;
}

/** Average pooling by `factor` over time: [n, T, C] -> [n, T/factor, C] (reshape + mean: fast gradients everywhere). */
export function avgPool(x: tf.Tensor3D, factor: number): tf.Tensor3D {
  if (factor === 1) return x;
  const [n, t, c] = x.shape;
  return tf.mean(x.reshape([n, t / factor, factor, c]), 2) as tf.Tensor3D;
}

function convStem(p: Params, c: MedbindConfig, x: tf.Tensor3D): tf.Tensor3D {
  const ch = c.ecg.convChannels!;
  let h = x;
  for (let i = 0; i < ch.length; i++) {
    const s = `ecg/conv${i}`;
    h = avgPool(tf.relu(layerNorm(p, `${s}/ln`, conv1dSame(p, s, h))) as tf.Tensor3D, c.ecg.convPools![i]);
    h = tf.add(h, conv1dSame(p, `${s}/res`, tf.relu(layerNorm(p, `${s}/res/ln`, h)) as tf.Tensor3D)) as tf.Tensor3D;
  }
  return linear(p, 'ecg/proj', layerNorm(p, 'ecg/proj/ln', h)) as tf.Tensor3D;
}

function patchStem(p: Params, c: MedbindConfig, signals: tf.Tensor, n: number): tf.Tensor3D {
  const e = c.ecg;
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
  return linear(p, 'ecg/merge', layerNorm(p, 'ecg/merge/ln', h)) as tf.Tensor3D;
}

/** signals [n, leads, nSamples] or [n, leads*nSamples] (lead-major) -> embeddings [n, embedDim]. */
export function ecgForward(p: Params, c: MedbindConfig, signals: tf.Tensor): tf.Tensor2D {
  const e = c.ecg;
  const n = signals.shape[0];
  const h =
    e.stem === 'conv1d'
      ? convStem(p, c, signals.reshape([n, e.leads.length, e.nSamples]).transpose([0, 2, 1]) as tf.Tensor3D)
      : patchStem(p, c, signals, n);
  const tokens = withClsAndPos(p, 'ecg', h);
  const out = transformer(p, 'ecg/tf', tokens, e.depth, e.heads, null);
  return clsHead(p, 'ecg/head', out);
}
