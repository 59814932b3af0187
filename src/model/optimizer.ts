// AdamW (decoupled weight decay, Loshchilov & Hutter) over the named parameter map, with a linear-warmup
// + cosine learning-rate schedule given as data (TrainConfig). Written out so that its state can be
// checkpointed and resumed exactly.
import * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from './config';
import { ADAMW_UPDATE, type AdamWUpdateAttrs } from './kernels/adamw-update';
import type { ParamMap, ParamSpec } from './params';

/** Learning rate at a 0-based step: linear warmup to peakLr, then cosine decay to minLrFrac * peakLr. */
export function lrAt(step: number, c: Pick<TrainConfig, 'peakLr' | 'warmupSteps' | 'totalSteps' | 'minLrFrac'>): number {
  if (c.warmupSteps > 0 && step < c.warmupSteps) return (c.peakLr * (step + 1)) / c.warmupSteps;
  const span = Math.max(1, c.totalSteps - c.warmupSteps);
  const progress = Math.min(1, Math.max(0, (step - c.warmupSteps) / span));
  const minLr = c.peakLr * c.minLrFrac;
  return minLr + 0.5 * (c.peakLr - minLr) * (1 + Math.cos(Math.PI * progress));
}

export interface AdamWState {
  /** Number of updates applied so far. */
  t: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export class AdamW {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly decay = new Map<string, boolean>();
  t = 0;

  constructor(private readonly params: ParamMap, specs: ParamSpec[], private readonly c: TrainConfig) {
    for (const s of specs) {
      if (!params.has(s.name)) continue;
      this.decay.set(s.name, s.decay);
      const zeros = tf.zeros(s.shape);
      this.m.set(s.name, tf.variable(zeros, false));
      this.v.set(s.name, tf.variable(zeros, false));
      zeros.dispose();
    }
  }

  /** One update with learning rate lr; grads are keyed by parameter name (missing ones are skipped). */
  apply(grads: Record<string, tf.Tensor>, lr: number): void {
    this.t += 1;
    const { beta1: b1, beta2: b2, epsilon, weightDecay } = this.c;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    if (tf.getKernel(ADAMW_UPDATE, tf.getBackend())) {
      this.applyFused(grads, { beta1: b1, beta2: b2, bc1, bc2, epsilon, lr, weightDecay: 0 });
      return;
    }
    tf.tidy(() => {
      for (const [name, g] of Object.entries(grads)) {
        const p = this.params.get(name);
        const m = this.m.get(name);
        const v = this.v.get(name);
        if (!p || !m || !v) continue;
        m.assign(tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1)));
        v.assign(tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2)));
        let update = tf.div(tf.div(m, bc1), tf.add(tf.sqrt(tf.div(v, bc2)), epsilon));
        if (this.decay.get(name) && weightDecay > 0) update = tf.add(update, tf.mul(p, weightDecay));
        p.assign(tf.sub(p, tf.mul(update, lr)));
      }
    });
  }

  /** The same update as one kernel per parameter (kernels/adamw-update.ts). */
  private applyFused(grads: Record<string, tf.Tensor>, attrs: AdamWUpdateAttrs): void {
    for (const [name, g] of Object.entries(grads)) {
      const p = this.params.get(name);
      const m = this.m.get(name);
      const v = this.v.get(name);
      if (!p || !m || !v) continue;
      const weightDecay = this.decay.get(name) && this.c.weightDecay > 0 ? this.c.weightDecay : 0;
      const inputs = { p, m, v, g } as unknown as tf.NamedTensorMap;
      const [p1, m1, v1] = tf.engine().runKernel(ADAMW_UPDATE, inputs, { ...attrs, weightDecay } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      m.assign(m1);
      v.assign(v1);
      p.assign(p1);
      for (const t of [p1, m1, v1]) t.dispose();
    }
  }

  async exportState(): Promise<AdamWState> {
    const m: Record<string, Float32Array> = {};
    const v: Record<string, Float32Array> = {};
    for (const [k, t] of this.m) m[k] = (await t.data()) as Float32Array;
    for (const [k, t] of this.v) v[k] = (await t.data()) as Float32Array;
    return { t: this.t, m, v };
  }

  importState(s: AdamWState): void {
    tf.tidy(() => {
      for (const [k, t] of this.m) if (s.m[k]) t.assign(tf.tensor(s.m[k], t.shape));
      for (const [k, t] of this.v) if (s.v[k]) t.assign(tf.tensor(s.v[k], t.shape));
    });
    this.t = s.t;
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
  }
}
