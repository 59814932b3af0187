// Building blocks of the encoders written with raw tf ops over named parameters: linear, LayerNorm,
// GELU, multi-head attention, pre-LN transformer blocks. Only ops with fast kernels on cpu, wasm and
// webgpu are used (MatMul, rank-4 Transpose, Reshape, Slice of contiguous runs, Softmax).
import * as tf from '@tensorflow/tfjs';
import type { Params } from './params';

export function get(p: Params, name: string): tf.Tensor {
  const t = p.get(name);
  if (!t) throw new Error(`model: missing parameter "${name}"`);
  return t;
}

/** x [..., nIn] -> [..., nOut] */
export function linear(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  const w = get(p, `${name}/w`) as tf.Tensor2D;
  const shape = x.shape;
  const x2 = x.reshape([-1, shape[shape.length - 1]]) as tf.Tensor2D;
  // Not tf.fused.matMul: on wasm its _FusedMatMul measured 20-40% slower than MatMul + Add (e.g.
  // [800,512]@[512,128]: 6.7 vs 4.9 ms CPU, one thread), and slowed every encoder when tried.
  const y = tf.add(tf.matMul(x2, w), get(p, `${name}/b`));
  return y.reshape([...shape.slice(0, -1), w.shape[1]]);
}

/** LayerNorm over the last axis, eps 1e-5. */
export function layerNorm(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  const axis = x.rank - 1;
  const mean = tf.mean(x, axis, true);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), axis, true);
  const normed = tf.mul(centred, tf.rsqrt(tf.add(variance, 1e-5)));
  return tf.add(tf.mul(normed, get(p, `${name}/g`)), get(p, `${name}/b`));
}

/**
 * GELU, tanh approximation: 0.5 x (1 + tanh(u)), u = sqrt(2/pi) (x + 0.044715 x^3), written as
 * x * sigmoid(2u) (the same function, since 0.5 (1 + tanh(u)) = sigmoid(2u)): wasm's Sigmoid is a fast
 * XNNPACK kernel where its Tanh is a scalar loop, and the form saves two elementwise ops.
 */
export function gelu(x: tf.Tensor): tf.Tensor {
  const twoU = tf.mul(x, tf.add(tf.mul(tf.square(x), GELU_C3), GELU_C1));
  return tf.mul(x, tf.sigmoid(twoU));
}
/** 2 sqrt(2/pi) and 2 sqrt(2/pi) 0.044715: 2u = x (C1 + C3 x^2). */
const GELU_C1 = 2 * Math.sqrt(2 / Math.PI);
const GELU_C3 = GELU_C1 * 0.044715;

/** The stock tanh form of the GELU (reference for parity tests). */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.square(x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
}

/** Residual token MLP: x + fc2(gelu(fc1(LN(x)))). */
export function mlpBlock(p: Params, name: string, x: tf.Tensor): tf.Tensor {
  const h = gelu(linear(p, `${name}/fc1`, layerNorm(p, `${name}/ln`, x)));
  return tf.add(x, linear(p, `${name}/fc2`, h));
}

/**
 * Optional low-rank update of an attention block's query and value projections: given the block name and
 * its normalised input x [n*T, d], returns deltas [n*T, d] added to q and v (null: none). Absent, the
 * attention is exactly the plain one.
 */
export type AttentionAdapter = (block: string, x: tf.Tensor2D) => { dq: tf.Tensor2D | null; dv: tf.Tensor2D | null };

/**
 * Multi-head self-attention. x [n, T, d]; keyMaskAdd [n, 1, 1, T] (0 = attend, large negative = padding)
 * or null. Returns [n, T, d].
 */
export function attention(p: Params, name: string, x: tf.Tensor3D, heads: number, keyMaskAdd: tf.Tensor | null, adapter?: AttentionAdapter): tf.Tensor3D {
  const [n, T, d] = x.shape;
  const dh = d / heads;
  let qkv = linear(p, `${name}/qkv`, x).reshape([n * T, 3 * d]);
  if (adapter) {
    const { dq, dv } = adapter(name, x.reshape([n * T, d]) as tf.Tensor2D);
    if (dq || dv) {
      const zero = tf.zeros([n * T, d]);
      qkv = tf.add(qkv, tf.concat([dq ?? zero, zero, dv ?? zero], 1)); // q += dq, v += dv (k + 0 is exact)
    }
  }
  // One transpose for all three: [n, T, 3h, dh] -> [n, 3h, T, dh]; q, k, v are then contiguous runs of
  // h*T*dh values per item (cheap slices; a split on the last axis and three transposes were not).
  const heads3 = qkv.reshape([n, T, 3 * heads, dh]).transpose([0, 2, 1, 3]).reshape([n, 3, heads * T * dh]);
  const part = (i: number) => tf.slice(heads3, [0, i, 0], [n, 1, heads * T * dh]).reshape([n * heads, T, dh]) as tf.Tensor3D;
  const [qh, kh, vh] = [part(0), part(1), part(2)]; // [n*h, T, dh]
  let scores = tf.mul(tf.matMul(qh, kh, false, true), 1 / Math.sqrt(dh)); // q k^T: no transpose materialised on wasm
  if (keyMaskAdd) scores = tf.add(scores.reshape([n, heads, T, T]), keyMaskAdd).reshape([n * heads, T, T]);
  const attn = tf.softmax(scores as tf.Tensor3D);
  const out = tf.matMul(attn as tf.Tensor3D, vh); // [n*h, T, dh]
  const merged = out.reshape([n, heads, T, dh]).transpose([0, 2, 1, 3]).reshape([n, T, d]);
  return linear(p, `${name}/proj`, merged) as tf.Tensor3D;
}

/** Pre-LN transformer encoder (depth blocks + final LN). x [n, T, d] -> [n, T, d]. */
export function transformer(p: Params, prefix: string, x: tf.Tensor3D, depth: number, heads: number, keyMaskAdd: tf.Tensor | null, adapter?: AttentionAdapter): tf.Tensor3D {
  let h = x;
  for (let i = 0; i < depth; i++) {
    const b = `${prefix}/block${i}`;
    h = tf.add(h, attention(p, b, layerNorm(p, `${b}/ln1`, h) as tf.Tensor3D, heads, keyMaskAdd, adapter));
    h = mlpBlock(p, `${b}/mlp`, h) as tf.Tensor3D;
  }
  return layerNorm(p, `${prefix}/lnf`, h) as tf.Tensor3D;
}

/** Prepends the learned CLS token and adds learned positions. tokens [n, T, d] -> [n, T+1, d]. */
export function withClsAndPos(p: Params, prefix: string, tokens: tf.Tensor3D): tf.Tensor3D {
  const [n, , d] = tokens.shape;
  const cls = tf.broadcastTo(get(p, `${prefix}/cls`).reshape([1, 1, d]), [n, 1, d]);
  return tf.add(tf.concat([cls, tokens], 1), get(p, `${prefix}/pos`)) as tf.Tensor3D;
}

/** CLS row -> linear projection -> L2 normalisation. h [n, T, d] -> [n, embedDim]. */
export function clsHead(p: Params, name: string, h: tf.Tensor3D): tf.Tensor2D {
  const [n, , d] = h.shape;
  const cls = tf.slice(h, [0, 0, 0], [n, 1, d]).reshape([n, d]);
  return l2Normalize(linear(p, name, cls) as tf.Tensor2D);
}

export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), 1e-12))) as tf.Tensor2D;
}
