// Frozen pre-projection features (CLS) per model version and item, computed once from the stored model
// inputs and kept in memory for repeated fine-tuning runs on the same data. Bounded (oldest entries out).
import * as tf from '@tensorflow/tfjs';
import { clsFeatures, featureDim, type ImageOrSignal } from '../../model/finetune/features';
import type { StudioDb } from '../../storage/db';
import type { StoredItem } from '../../storage/types';
import type { VersionModel } from './model-host';
import { modelInputs } from './vectors';
import { cancelled } from '../shared/errors';
import { splitRows, stackRows } from '../shared/embed-rows';

const MAX_ENTRIES = 50_000;

export class FeatureCache {
  private readonly rows = new Map<string, Float32Array>();

  get size(): number {
    return this.rows.size;
  }

  clear(): void {
    this.rows.clear();
  }

  /**
   * Features [n, featDim] of `items` (all of `modality`) in order. Items without a stored input are
   * reported in `missing` and left out of the result.
   */
  async features(
    db: StudioDb,
    m: VersionModel,
    modality: ImageOrSignal,
    items: readonly StoredItem[],
    opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; batchSize?: number } = {},
  ): Promise<{ feats: Float32Array; featDim: number; kept: StoredItem[]; computed: number }> {
    const d = featureDim(m.config, modality);
    const key = (id: string) => `${m.version}|${modality}|${id}`;
    const todo = items.filter((it) => !this.rows.has(key(it.id)));
    const batch = Math.max(1, opts.batchSize ?? 32);
    let computed = 0;
    opts.onProgress?.(0, todo.length);
    for (let s = 0; s < todo.length; s += batch) {
      if (opts.signal?.aborted) throw cancelled();
      const part = todo.slice(s, s + batch);
      const inputs = await modelInputs(db, part);
      const ok = part.map((it, j) => ({ it, x: inputs[j] })).filter((r) => r.x);
      if (ok.length) {
        const len = ok[0].x!.length;
        const x = stackRows(ok.map((r) => r.x!));
        const f = tf.tidy(() => clsFeatures(m.params, m.config, modality, tf.tensor2d(x, [ok.length, len])));
        let values: Float32Array;
        try {
          values = (await f.data()) as Float32Array;
        } finally {
          f.dispose();
        }
        splitRows(values, ok.length, d).forEach((v, j) => this.rows.set(key(ok[j].it.id), v));
        computed += ok.length;
      }
      opts.onProgress?.(Math.min(todo.length, s + batch), todo.length);
    }
    while (this.rows.size > MAX_ENTRIES) this.rows.delete(this.rows.keys().next().value as string);
    const kept = items.filter((it) => this.rows.has(key(it.id)));
    const feats = new Float32Array(kept.length * d);
    kept.forEach((it, i) => feats.set(this.rows.get(key(it.id))!, i * d));
    return { feats, featDim: d, kept, computed };
  }
}
