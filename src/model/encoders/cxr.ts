// CXR encoder: a convolution-free Swin-like hierarchy (fast to train with matmuls on wasm).
// [n, 224, 224] -> 8x8 patches (reshape/transpose) -> linear -> token MLP -> 2x2 patch merges
// (reshape/transpose + LN + linear) down to a 7x7 grid -> CLS + positions -> transformer -> CLS head.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { clsHead, layerNorm, linear, mlpBlock, transformer, withClsAndPos } from '../layers';
import type { Params } from '../params';

/** Non-overlapping 2x2 merge of a token grid: [n, H, W, C] -> [n, H/2, W/2, 4C]. */
export function mergeGrid2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return x
    .reshape([n, h / 2, 2, w / 2, 2, c])
    .transpose([0, 1, 3, 2, 4, 5])
    .reshape([n, h / 2, w / 2, 4 * c]) as tf.Tensor4D;
}

/** pixels [n, sizePx, sizePx] or [n, sizePx*sizePx] -> embeddings [n, embedDim], L2-normalised. */
export function cxrForward(p: Params, c: MedbindConfig, pixels: tf.Tensor): tf.Tensor2D {
  const x = c.cxr;
  const n = pixels.shape[0];
  const g = x.sizePx / x.patchPx;
  const pp = x.patchPx;
  let h = pixels
    .reshape([n, g, pp, g, pp])
    .transpose([0, 1, 3, 2, 4])
    .reshape([n, g, g, pp * pp]);
  h = layerNorm(p, 'cxr/patch/ln', linear(p, 'cxr/patch', h));
  const d = x.stageDims;
  for (let i = 0; i < d.length; i++) {
    if (i > 0) {
      h = mergeGrid2x2(h as tf.Tensor4D);
      h = linear(p, `cxr/stage${i}/merge`, layerNorm(p, `cxr/stage${i}/merge/ln`, h));
    }
    if (i < d.length - 1) h = mlpBlock(p, `cxr/stage${i}/mlp`, h);
  }
  const [, side, , dim] = h.shape;
  const tokens = withClsAndPos(p, 'cxr', h.reshape([n, side * side, dim]) as tf.Tensor3D);
  const out = transformer(p, 'cxr/tf', tokens, x.depth, x.heads, null);
  return clsHead(p, 'cxr/head', out);
}
