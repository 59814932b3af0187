// Browser model runtime for the engine worker: picks the backend (forced, saved or auto with a reason),
// loads the shipped weights from the app's origin (plus a fine-tuned version's parameters from IndexedDB),
// warms the kernels up, and watches the WebGPU device so a loss is reported instead of hanging.
import { initBackend } from '../../model/backend';
import { buildEncodersForVersion } from '../../model/finetune/version-model';
import type { MedbindEncoders, WeightSource } from '../../model/types';
import { ECG_LEADS, ECG_SAMPLES, CXR_SIZE_PX } from '../../formats/types';
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

async function warmUp(enc: MedbindEncoders): Promise<void> {
  await enc.embedText(['warm up']);
  await enc.embedEcg(new Float32Array(ECG_LEADS.length * ECG_SAMPLES), 1);
  await enc.embedCxr(new Float32Array(CXR_SIZE_PX * CXR_SIZE_PX), 1);
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
  const encoders = await buildEncodersForVersion(shipped, stored ?? null);
  await warmUp(encoders);
  return { info: { backend: init.backend, adapter: init.adapter, reason: init.reason }, encoders };
}
