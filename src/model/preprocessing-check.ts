// Weights are trained on inputs of one shape and sampling (ECG rate, samples, lead order; CXR size and
// channels). manifest.json records that preprocessing block; at load it must agree with the config the
// manifest carries and with the preprocessing the app's code performs, or the encoders would silently
// read inputs they were never trained on. A mismatch refuses the weights with every differing field named.
import type { MedbindConfig } from './config';
import type { WeightsManifest } from './types';
import { CXR_SIZE_PX, ECG_FS_HZ, ECG_LEADS, ECG_SAMPLES } from '../formats/types';

export type Preprocessing = WeightsManifest['preprocessing'];

/** What the app's preprocessing code feeds the encoders (src/model/preprocess.ts). */
export const CODE_PREPROCESSING: Preprocessing = {
  ecg: { fsHz: ECG_FS_HZ, nSamples: ECG_SAMPLES, leads: [...ECG_LEADS] },
  cxr: { sizePx: CXR_SIZE_PX, channels: 1 },
};

/** The preprocessing a model configuration expects (the one source of the model's input shapes). */
export function preprocessingOf(c: MedbindConfig): Preprocessing {
  return { ecg: { fsHz: c.ecg.fsHz, nSamples: c.ecg.nSamples, leads: [...c.ecg.leads] }, cxr: { sizePx: c.cxr.sizePx, channels: 1 } };
}

/** Lines "ecg.fsHz: 250 in the weights, 100 expected" for every field that differs (empty when equal). */
export function preprocessingDifferences(got: unknown, want: Preprocessing): string[] {
  const g = (got ?? {}) as { ecg?: Record<string, unknown>; cxr?: Record<string, unknown> };
  const out: string[] = [];
  const show = (v: unknown) => (v === undefined ? 'missing' : JSON.stringify(v));
  for (const part of ['ecg', 'cxr'] as const) {
    for (const [k, v] of Object.entries(want[part])) {
      const have = g[part]?.[k];
      if (JSON.stringify(have) !== JSON.stringify(v)) out.push(`${part}.${k}: ${show(have)} in the weights, ${show(v)} expected`);
    }
  }
  return out;
}

/** Throws a clear error when the manifest's preprocessing block differs from `want` (named by `against`). */
export function checkPreprocessing(manifestFile: string, got: unknown, want: Preprocessing, against: string): void {
  const diff = preprocessingDifferences(got, want);
  if (diff.length) {
    throw new Error(`weights: the preprocessing block of ${manifestFile} differs from ${against} (${diff.join('; ')}); these weights expect other model inputs and are refused`);
  }
}
