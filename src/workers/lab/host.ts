// The lab's model host: loads the shipped weights once and builds each version's parameter map on top of
// them (overridden tensors only), keeping the few most recent versions (a comparison needs two).
import type * as tf from '@tensorflow/tfjs';
import { encodersFromParams } from '../../model/encoders/runtime';
import type { LoadedWeights } from '../../model/load';
import { applyOverrides, versionOverrides, type VersionRecord } from '../../model/finetune/version-model';
import type { ModelHost, VersionModel } from './model-host';

const KEEP_VERSIONS = 3;

export class VersionHost implements ModelHost {
  private baseP: Promise<LoadedWeights> | null = null;
  private readonly cache = new Map<string, { model: Promise<VersionModel>; owned: tf.Tensor[] }>();

  constructor(
    private readonly loadBase: () => Promise<LoadedWeights>,
    /** The stored record of a fine-tuned version (undefined when unknown). */
    private readonly getVersion: (id: string) => Promise<VersionRecord | undefined>,
  ) {}

  private base(): Promise<LoadedWeights> {
    this.baseP ??= this.loadBase().catch((e) => {
      this.baseP = null;
      throw e;
    });
    return this.baseP;
  }

  async shippedVersion(): Promise<string> {
    return (await this.base()).manifest.version;
  }

  model(version: string): Promise<VersionModel> {
    const hit = this.cache.get(version);
    if (hit) {
      this.cache.delete(version);
      this.cache.set(version, hit); // most recent last
      return hit.model;
    }
    const entry = { model: null as unknown as Promise<VersionModel>, owned: [] as tf.Tensor[] };
    entry.model = (async (): Promise<VersionModel> => {
      const base = await this.base();
      const shipped = base.manifest.version;
      let record: VersionRecord | null = null;
      if (version !== shipped) {
        record = (await this.getVersion(version)) ?? null;
        if (!record) throw Object.assign(new Error(`no model version "${version}"`), { code: 'bad-input' });
      }
      const overrides = versionOverrides(record);
      const vp = applyOverrides(base.params, overrides, version);
      entry.owned = vp.owned;
      const encoders = encodersFromParams(vp.params, base.config, base.tokenizer, version, { ownsParams: false });
      return { version, config: base.config, params: vp.params, encoders, overrides, tokenizer: base.tokenizer };
    })();
    entry.model.catch(() => this.cache.delete(version));
    this.cache.set(version, entry);
    while (this.cache.size > KEEP_VERSIONS) {
      const [oldId, old] = this.cache.entries().next().value as [string, typeof entry];
      this.cache.delete(oldId);
      void old.model.then((m) => {
        m.encoders.dispose();
        for (const t of old.owned) t.dispose();
      }, () => undefined);
    }
    return entry.model;
  }

  /** Drops a version's tensors (e.g. after it was deleted). */
  forget(version: string): void {
    const e = this.cache.get(version);
    if (!e) return;
    this.cache.delete(version);
    void e.model.then((m) => {
      m.encoders.dispose();
      for (const t of e.owned) t.dispose();
    }, () => undefined);
  }
}
