// A model version = the shipped weights with some parameters overridden (a fine-tuned version stores only
// the parameters it changed). Builds the parameter map and the MedbindEncoders of a version, so search,
// the explorer and the lab all embed with the same weights.
import * as tf from '@tensorflow/tfjs';
import { encodersFromParams, type RuntimeOptions } from '../encoders/runtime';
import { loadWeights, type LoadOptions, type LoadedWeights } from '../load';
import type { MedbindEncoders, WeightSource } from '../types';
import type { ParamArrays } from './trainer';
import { decodeParamFiles } from './version-files';

/** The part of a stored model version this module needs (structurally a StoredModelVersion). */
export interface VersionRecord {
  id: string;
  files?: { name: string; bytes: Uint8Array }[];
}

/** The parameters a version overrides, decoded from its weight files (empty for none). */
export function versionOverrides(v: VersionRecord | null): ParamArrays {
  if (!v?.files?.length) return {};
  const r = decodeParamFiles(v.files);
  if (!r.ok) throw new Error(`model version ${v.id}: ${r.error}`);
  return r.value;
}

export interface VersionParams {
  /** Base tensors shared, overridden ones new. */
  params: Map<string, tf.Tensor>;
  /** The new tensors (dispose these, not the shared base ones, when the version is dropped). */
  owned: tf.Tensor[];
}

/** base params + overrides; every override must name a base parameter of the same shape. */
export function applyOverrides(base: ReadonlyMap<string, tf.Tensor>, overrides: ParamArrays, versionId: string): VersionParams {
  for (const [name, p] of Object.entries(overrides)) {
    const t = base.get(name);
    if (!t) throw new Error(`model version ${versionId}: parameter "${name}" does not exist in the shipped model`);
    if (t.shape.join('x') !== p.shape.join('x')) throw new Error(`model version ${versionId}: parameter "${name}" has shape [${p.shape}], the shipped model has [${t.shape}]`);
  }
  const params = new Map(base);
  const owned: tf.Tensor[] = [];
  for (const [name, p] of Object.entries(overrides)) {
    const t = tf.tensor(p.values, p.shape, 'float32');
    owned.push(t);
    params.set(name, t);
  }
  return { params, owned };
}

/**
 * The encoders of a version: shipped weights (from `shipped`, e.g. public/weights) with the version's
 * stored parameters applied. `version` null or without files gives the shipped model. The encoders own
 * every tensor (dispose() frees them). The backend must be initialised first.
 */
export async function buildEncodersForVersion(shipped: WeightSource, version: VersionRecord | null, opts: RuntimeOptions & LoadOptions = {}): Promise<MedbindEncoders> {
  const base = await loadWeights(shipped, opts);
  return encodersForLoadedVersion(base, version, opts);
}

/** As buildEncodersForVersion, from already loaded shipped weights (their tensors pass to the encoders). */
export function encodersForLoadedVersion(base: LoadedWeights, version: VersionRecord | null, opts: RuntimeOptions = {}): MedbindEncoders {
  let vp: VersionParams;
  try {
    vp = applyOverrides(base.params, versionOverrides(version), version?.id ?? base.manifest.version);
  } catch (e) {
    for (const t of base.params.values()) t.dispose();
    throw e;
  }
  // Replaced base tensors are no longer reachable from the version's map: free them now.
  for (const [name, t] of base.params) if (vp.params.get(name) !== t) t.dispose();
  const id = version?.files?.length ? version.id : base.manifest.version;
  return encodersFromParams(vp.params, base.config, base.tokenizer, id, { ...opts, ownsParams: opts.ownsParams ?? true });
}
