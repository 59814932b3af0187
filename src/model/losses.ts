// MEDBind losses (Gao et al., arXiv 2403.12894, Sec. 2): TMCL (text-modality contrastive, supervised-
// contrastive form with identical-text positives) and EMCL (CXR-ECG contrastive with the n/m factor).
// Choice the paper leaves open: every sum over anchors is AVERAGED (divided by the number of anchors:
// n for TMCL, m for EMCL), so the loss scale does not depend on the batch size.
import * as tf from '@tensorflow/tfjs';

/**
 * Positive-set weights: w[i][p] = 1/|P(i)| when textIds[i] == textIds[p], else 0.
 * P(i) = i's own pair plus every item in the batch with an identical text. Returns [n, n].
 */
export function positiveWeights(textIds: ArrayLike<number>): tf.Tensor2D {
  const n = textIds.length;
  const w = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    let size = 0;
    for (let p = 0; p < n; p++) if (textIds[p] === textIds[i]) size++;
    for (let p = 0; p < n; p++) if (textIds[p] === textIds[i]) w[i * n + p] = 1 / size;
  }
  return tf.tensor2d(w, [n, n]);
}

/**
 * One direction of TMCL, Eq. (1): L^{a->b} = -(1/n) sum_i 1/|P(i)| sum_{p in P(i)}
 *   log( exp(a_i . b_p / tau) / sum_{l=1..n} exp(a_i . b_l / tau) ).
 * a, b [n, d] L2-normalised; posW from positiveWeights. Returns a scalar.
 */
export function tmclDirectional(a: tf.Tensor2D, b: tf.Tensor2D, posW: tf.Tensor2D, tau: number): tf.Scalar {
  return tf.tidy(() => {
    const logits = tf.div(tf.matMul(a, b, false, true), tau);
    const logProb = tf.logSoftmax(logits, 1);
    return tf.neg(tf.div(tf.sum(tf.mul(posW, logProb)), a.shape[0])) as tf.Scalar;
  });
}

/**
 * Symmetric TMCL for one modality j: L^{t_j->z_j} + L^{z_j->t_j}. t (texts) and z (modality) [n, d],
 * row i of t is the report of row i of z; textIds[i] identifies identical texts. The positive relation is
 * symmetric, so the same weights serve both directions.
 */
export function tmcl(t: tf.Tensor2D, z: tf.Tensor2D, textIds: ArrayLike<number>, tau: number): tf.Scalar {
  return tf.tidy(() => {
    const posW = positiveWeights(textIds);
    return tf.add(tmclDirectional(t, z, posW, tau), tmclDirectional(z, t, posW, tau)) as tf.Scalar;
  });
}

/**
 * Symmetric EMCL, Eq. (2): L^{c->e} = -(1/m) sum_{u=1..m} log( exp(zc_u . ze_u / tau) /
 *   ((n/m) sum_{q=1..m} exp(zc_u . ze_q / tau)) ), plus L^{e->c}.
 * zc, ze [m, d]: the m paired CXR/ECG rows (row u of each is one pair); n = batch size.
 * With m = 0 the loss is 0. The n/m factor adds the constant log(n/m) per direction (no gradient).
 */
export function emcl(zc: tf.Tensor2D, ze: tf.Tensor2D, n: number, tau: number): tf.Scalar {
  const m = zc.shape[0];
  if (m !== ze.shape[0]) throw new Error(`emcl: ${m} CXR rows vs ${ze.shape[0]} ECG rows`);
  if (m === 0) return tf.scalar(0);
  return tf.tidy(() => {
    const logits = tf.div(tf.matMul(zc, ze, false, true), tau);
    const eye = tf.eye(m);
    const c2e = tf.neg(tf.div(tf.sum(tf.mul(eye, tf.logSoftmax(logits, 1))), m));
    const e2c = tf.neg(tf.div(tf.sum(tf.mul(eye, tf.logSoftmax(tf.transpose(logits), 1))), m));
    return tf.add(tf.add(c2e, e2c), 2 * Math.log(n / m)) as tf.Scalar;
  });
}

/** Assigns equal integer ids to identical strings (first occurrence order). */
export function textIdsOf(texts: string[]): Int32Array {
  const seen = new Map<string, number>();
  return Int32Array.from(texts, (t) => {
    let id = seen.get(t);
    if (id === undefined) seen.set(t, (id = seen.size));
    return id;
  });
}
