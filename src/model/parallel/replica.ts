// One copy of the encoder parameters for exact data-parallel training ("gradient cache"): it embeds its
// shard of the batch without gradients, and later re-runs the same forward with gradients to turn the
// loss gradient w.r.t. its embeddings into parameter gradients. Plain tfjs (browser-safe); the Node
// pretraining CLI runs one per worker thread.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { cxrForward } from '../encoders/cxr';
import { ecgForward } from '../encoders/ecg';
import { textForward } from '../encoders/text';
import type { BatchEmbeddings } from '../train';

/** A replica's rows: preprocessed (already augmented) inputs and their token ids (CXR texts first, then ECG texts). */
export interface ShardInput {
  cxr?: { pixels: Float32Array; n: number };
  ecg?: { signals: Float32Array; n: number };
  /** ids [nCxr + nEcg, T], tokenised with the whole batch so that every shard has the same T. */
  tokens: { ids: Int32Array; n: number; T: number };
}

/** Row-major [n, embedDim] arrays (length 0 where the shard has no such rows); also used for their gradients. */
export interface ShardVectors {
  tCxr: Float32Array;
  zCxr: Float32Array;
  tEcg: Float32Array;
  zEcg: Float32Array;
}

export const VECTOR_KEYS = ['tCxr', 'zCxr', 'tEcg', 'zEcg'] as const;

/** Encodes a shard; call inside a tape/tidy. */
export function embedShard(params: ReadonlyMap<string, tf.Tensor>, c: MedbindConfig, s: ShardInput): BatchEmbeddings {
  const nc = s.cxr?.n ?? 0;
  const ne = s.ecg?.n ?? 0;
  if (s.tokens.n !== nc + ne) throw new Error(`replica: ${s.tokens.n} token rows for ${nc} CXR + ${ne} ECG rows`);
  const side = c.cxr.sizePx;
  const tAll = nc + ne > 0 ? textForward(params, c, tf.tensor2d(s.tokens.ids, [s.tokens.n, s.tokens.T], 'int32')) : null;
  return {
    tCxr: nc > 0 ? tf.slice(tAll!, [0, 0], [nc, c.embedDim]) : null,
    zCxr: nc > 0 ? cxrForward(params, c, tf.tensor3d(s.cxr!.pixels, [nc, side, side])) : null,
    tEcg: ne > 0 ? tf.slice(tAll!, [nc, 0], [ne, c.embedDim]) : null,
    zEcg: ne > 0 ? ecgForward(params, c, tf.tensor3d(s.ecg!.signals, [ne, c.ecg.leads.length, c.ecg.nSamples])) : null,
  };
}

export class Replica {
  private readonly params = new Map<string, tf.Variable>();
  private shard: ShardInput | null = null;

  /** config must carry the tokenizer's vocabSize; values hold every parameter by name. */
  constructor(private readonly c: MedbindConfig, values: Record<string, Float32Array>, shapes: Record<string, number[]>) {
    for (const [name, shape] of Object.entries(shapes)) {
      const init = tf.tensor(values[name], shape, 'float32');
      this.params.set(name, tf.variable(init, true));
      init.dispose();
    }
  }

  setParams(values: Record<string, Float32Array>): void {
    tf.tidy(() => {
      for (const [name, v] of this.params) if (values[name]) v.assign(tf.tensor(values[name], v.shape));
    });
  }

  /** Embeddings of the shard without gradients; the shard is kept for backward(). */
  async forward(s: ShardInput): Promise<ShardVectors> {
    this.shard = s;
    const e = tf.tidy(() => {
      const emb = embedShard(this.params, this.c, s);
      return VECTOR_KEYS.map((k) => emb[k] ?? tf.zeros([0, this.c.embedDim]));
    });
    const out = {} as ShardVectors;
    try {
      for (let i = 0; i < VECTOR_KEYS.length; i++) out[VECTOR_KEYS[i]] = (await e[i].data()) as Float32Array;
    } finally {
      e.forEach((t) => t.dispose());
    }
    return out;
  }

  /** Parameter gradients of sum(z * dLoss/dz) over the last forward's embeddings (the same forward, re-run on the tape). */
  async backward(g: ShardVectors): Promise<Record<string, Float32Array>> {
    const s = this.shard;
    if (!s) throw new Error('replica: backward() before forward()');
    const names = [...this.params.keys()];
    const vars = names.map((n) => this.params.get(n)!);
    const grads = tf.tidy(() => {
      const { grads: byVar } = tf.variableGrads(() => {
        const e = embedShard(this.params, this.c, s);
        const terms = VECTOR_KEYS.filter((k) => e[k] && g[k].length > 0).map((k) => tf.sum(tf.mul(e[k]!, tf.tensor2d(g[k], e[k]!.shape as [number, number]))));
        return (terms.length ? tf.addN(terms) : tf.scalar(0)) as tf.Scalar;
      }, vars);
      const out: Record<string, tf.Tensor> = {};
      names.forEach((n, i) => {
        const t = byVar[vars[i].name];
        if (t) out[n] = t;
      });
      return out;
    });
    const out: Record<string, Float32Array> = {};
    try {
      for (const [n, t] of Object.entries(grads)) out[n] = (await t.data()) as Float32Array;
    } finally {
      Object.values(grads).forEach((t) => t.dispose());
    }
    return out;
  }

  dispose(): void {
    for (const v of this.params.values()) v.dispose();
    this.params.clear();
  }
}
