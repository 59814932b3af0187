// Exact data-parallel MEDBind training step with the "gradient cache" scheme: replicas embed their shards
// without gradients, the coordinator computes the full-batch loss (TMCL over every row's text, EMCL over
// the paired rows) and its gradient w.r.t. each embedding, replicas back-propagate their rows' embedding
// gradients, and the summed parameter gradients drive one AdamW update; the new values are sent back so
// every copy stays identical. Contrastive negatives therefore span the whole batch, as in trainStep.
import * as tf from '@tensorflow/tfjs';
import { checkBatch, lossFromEmbeddings, type LossParts, type TrainBatch, type Trainer } from '../train';
import { VECTOR_KEYS, type ShardInput, type ShardVectors } from './replica';

/** A replica seen from the coordinator (in-process, or a worker thread behind messages). */
export interface ReplicaClient {
  forward(shard: ShardInput): Promise<ShardVectors>;
  /** Parameter gradients for the embedding gradients of the last forward's rows. */
  backward(grads: ShardVectors): Promise<Record<string, Float32Array>>;
  setParams(values: Record<string, Float32Array>): Promise<void>;
  dispose(): Promise<void>;
}

/** [start, end) of k contiguous, near-equal parts of n rows (order kept, so pair u stays row u). */
export function splitRows(n: number, k: number): [number, number][] {
  return Array.from({ length: k }, (_, i) => [Math.floor((i * n) / k), Math.floor(((i + 1) * n) / k)] as [number, number]);
}

/** Current parameter values by name (copies). */
export async function paramValues(params: ReadonlyMap<string, tf.Tensor>): Promise<Record<string, Float32Array>> {
  const out: Record<string, Float32Array> = {};
  for (const [k, v] of params) out[k] = (await v.data()) as Float32Array;
  return out;
}

export function paramShapes(params: ReadonlyMap<string, tf.Tensor>): Record<string, number[]> {
  return Object.fromEntries([...params].map(([k, v]) => [k, v.shape]));
}

/** Splits an (augmented) batch into one shard per replica, with token ids from the whole batch's tokenisation. */
export function shardBatch(trainer: Trainer, b: TrainBatch, k: number): ShardInput[] {
  const c = trainer.config;
  const nc = b.cxr?.n ?? 0;
  const ne = b.ecg?.n ?? 0;
  const cxrLen = c.cxr.sizePx * c.cxr.sizePx;
  const ecgLen = c.ecg.leads.length * c.ecg.nSamples;
  const tok = trainer.tokenizer.encodeBatch([...(b.cxr?.texts ?? []), ...(b.ecg?.texts ?? [])], c.text.lengthBucket, c.text.maxTokens);
  const cs = splitRows(nc, k);
  const es = splitRows(ne, k);
  return cs.map(([c0, c1], i) => {
    const [e0, e1] = es[i];
    const ids = new Int32Array((c1 - c0 + e1 - e0) * tok.T);
    ids.set(tok.ids.subarray(c0 * tok.T, c1 * tok.T), 0);
    ids.set(tok.ids.subarray((nc + e0) * tok.T, (nc + e1) * tok.T), (c1 - c0) * tok.T);
    return {
      cxr: b.cxr && c1 > c0 ? { pixels: b.cxr.pixels.slice(c0 * cxrLen, c1 * cxrLen), n: c1 - c0 } : undefined,
      ecg: b.ecg && e1 > e0 ? { signals: b.ecg.signals.slice(e0 * ecgLen, e1 * ecgLen), n: e1 - e0 } : undefined,
      tokens: { ids, n: c1 - c0 + e1 - e0, T: tok.T },
    };
  });
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/**
 * One training step of `trainer` (which holds the master parameters and AdamW state) computed by the
 * replicas; the replicas must hold the trainer's current parameter values. Same loss, gradients and update
 * as trainer.trainStep(b) up to float rounding.
 */
export async function parallelTrainStep(trainer: Trainer, replicas: ReplicaClient[], b: TrainBatch, augment = true): Promise<LossParts> {
  const c = trainer.config;
  checkBatch(c, b);
  const t0 = performance.now();
  const ab = augment ? trainer.augmentBatch(b) : b;
  const shards = shardBatch(trainer, ab, replicas.length);
  const embs = await Promise.all(replicas.map((r, i) => r.forward(shards[i])));
  const d = c.embedDim;
  const present = VECTOR_KEYS.filter((k) => embs.some((e) => e[k].length > 0));
  const full = Object.fromEntries(present.map((k) => [k, concat(embs.map((e) => e[k]))])) as Partial<ShardVectors>;

  // Loss and its gradient w.r.t. every embedding row of the whole batch.
  const { terms, grads } = tf.tidy(() => {
    const xs = present.map((k) => tf.tensor2d(full[k]!, [full[k]!.length / d, d]));
    let kept: tf.Scalar[] = [];
    const { grads: gs } = tf.valueAndGrads((...ts: tf.Tensor[]) => {
      const e = { tCxr: null, zCxr: null, tEcg: null, zEcg: null } as Record<(typeof VECTOR_KEYS)[number], tf.Tensor2D | null>;
      present.forEach((k, i) => (e[k] = ts[i] as tf.Tensor2D));
      kept = lossFromEmbeddings(c, ab, e);
      kept.forEach((t) => tf.keep(t));
      return kept[0];
    })(xs);
    return { terms: kept, grads: gs };
  });
  let parts: number[];
  const gFull: Partial<ShardVectors> = {};
  try {
    parts = await Promise.all(terms.map(async (t) => (await t.data())[0]));
    for (let i = 0; i < present.length; i++) gFull[present[i]] = (await grads[i].data()) as Float32Array;
  } finally {
    terms.forEach((t) => t.dispose());
    grads.forEach((t) => t.dispose());
  }

  // Each replica's rows of the embedding gradients -> parameter gradients, summed.
  const offsets = Object.fromEntries(present.map((k) => [k, 0])) as Record<string, number>;
  const shardGrads = embs.map((e) => {
    const g = {} as ShardVectors;
    for (const k of VECTOR_KEYS) {
      const len = e[k].length;
      g[k] = len > 0 ? gFull[k]!.slice(offsets[k], offsets[k] + len) : new Float32Array(0);
      if (len > 0) offsets[k] += len;
    }
    return g;
  });
  const paramGrads = await Promise.all(replicas.map((r, i) => r.backward(shardGrads[i])));
  const sum: Record<string, Float32Array> = {};
  for (const pg of paramGrads) {
    for (const [name, g] of Object.entries(pg)) {
      const acc = sum[name];
      if (!acc) sum[name] = Float32Array.from(g);
      else for (let j = 0; j < g.length; j++) acc[j] += g[j];
    }
  }
  const { step, lr } = tf.tidy(() => {
    const shapes = paramShapes(trainer.params);
    const gt: Record<string, tf.Tensor> = {};
    for (const [name, g] of Object.entries(sum)) gt[name] = tf.tensor(g, shapes[name]);
    return trainer.applyGradients(gt);
  });
  const values = await paramValues(trainer.params);
  await Promise.all(replicas.map((r) => r.setParams(values)));
  const [total, tmclCxr, tmclEcg, em] = parts;
  return { step, lr, total, tmclCxr, tmclEcg, emcl: em, ms: performance.now() - t0 };
}
