// Browser model runtime for the engine worker: picks the backend (forced, saved or auto with a reason),
// loads the shipped weights from the app's origin (plus a fine-tuned version's parameters from IndexedDB;
// weights whose preprocessing differs from the app's are refused),
// warms the kernels up, and watches the WebGPU device so a loss is reported instead of hanging.
import { initBackend } from '../../model/backend';
import { buildEncodersForVersion } from '../../model/finetune/version-model';
import type { MedbindEncoders, WeightSource } from '../../model/types';
import { CODE_PREPROCESSING } from '../../model/preprocessing-check';
import type { StudioDb } from '../../storage/db';
import { getVersion } from '../../storage/versions';
import type { BackendChoice } from '../api';
import type { LoadedModel } from './service';
import { watchDeviceLoss } from '../shared/device';

/** Weights served by the app itself: `${BASE_URL}weights/<name>`. */
export function originWeights(baseUrl: string, origin: string): WeightSource {
  const base = new URL(`${baseUrl.replace(/\/?$/, '/')}weights/`, origin + '/');
  return {
    async readFile(name) {
      const url = new URL(name, base);
      if (url.origin !== base.origin) throw new Error(`weights: "${name}" points outside the app's origin`);
      const res = await fetch(url);
      if (!res.ok) throw new Error(`weights: ${url.pathname} answered HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

/** One input of each kind, shaped by the preprocessing the weights were checked against at load. */
async function warmUp(enc: MedbindEncoders): Promise<void> {
  const { ecg, cxr } = CODE_PREPROCESSING;
  await enc.embedText(['warm up']);
  await enc.embedEcg(new Float32Array(ecg.leads.length * ecg.nSamples), 1);
  await enc.embedCxr(new Float32Array(cxr.sizePx * cxr.sizePx), 1);
}

export interface RuntimeHooks {
  onDeviceLost(reason: string): void;
}

/**
 * Backend + encoders of `active`: the shipped weights, with a fine-tuned version's stored parameters
 * applied when `active` names one (an unknown id falls back to the shipped weights).
 */
export async function loadBrowserModel(
  choice: BackendChoice,
  db: StudioDb,
  active: string | undefined,
  hooks: RuntimeHooks,
  shipped: WeightSource,
): Promise<LoadedModel> {
  const init = await initBackend(choice);
  if (init.backend === 'webgpu') watchDeviceLoss(hooks.onDeviceLost);
  const stored = active ? await getVersion(db, active) : undefined;
  // Weights trained on other inputs than the app's preprocessing makes are refused here, by name.
  const encoders = await buildEncodersForVersion(shipped, stored ?? null, { preprocessing: CODE_PREPROCESSING });
  await warmUp(encoders);
  return { info: { backend: init.backend, adapter: init.adapter, reason: init.reason }, encoders };
}
