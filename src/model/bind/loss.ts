// The pair-binding objective: TMCL(CXR-text) + TMCL(ECG-text) + EMCL(CXR-ECG), the same functions from
// losses.ts that pretraining uses (MEDBind_BD), over a batch of n CXR rows and n ECG rows whose first m
// rows are the CXR-ECG pairs (the paper's Eq. 2 with its n/m factor).
import * as tf from '@tensorflow/tfjs';
import { emcl, tmcl } from '../losses';

export interface BindBatchEmbeddings {
  /** [nCxr, d] CXR embeddings and [nCxr, d] embeddings of their report texts. */
  zCxr: tf.Tensor2D;
  tCxr: tf.Tensor2D;
  zEcg: tf.Tensor2D;
  tEcg: tf.Tensor2D;
  /** Identical-text ids of the CXR rows and of the ECG rows (TMCL positives). */
  cxrTextIds: ArrayLike<number>;
  ecgTextIds: ArrayLike<number>;
  /** Rows 0..m-1 of zCxr and zEcg are pairs. */
  m: number;
}

/** [total, tmclCxr, tmclEcg, emcl] scalars; differentiable in the embeddings. Call inside a tape or tidy. */
export function bindLoss(e: BindBatchEmbeddings, tau: number): tf.Scalar[] {
  const d = e.zCxr.shape[1];
  const n = Math.max(e.zCxr.shape[0], e.zEcg.shape[0]);
  if (e.m > e.zCxr.shape[0] || e.m > e.zEcg.shape[0]) throw new Error(`bindLoss: ${e.m} pairs exceed the batch (${e.zCxr.shape[0]} CXR, ${e.zEcg.shape[0]} ECG rows)`);
  const tc = tmcl(e.tCxr, e.zCxr, e.cxrTextIds, tau);
  const te = tmcl(e.tEcg, e.zEcg, e.ecgTextIds, tau);
  const em = emcl(tf.slice(e.zCxr, [0, 0], [e.m, d]), tf.slice(e.zEcg, [0, 0], [e.m, d]), n, tau);
  return [tf.addN([tc, te, em]) as tf.Scalar, tc, te, em];
}
