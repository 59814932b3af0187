// Chooses and initialises the tfjs backend in the browser and in Node, says which one runs and why,
// and registers the training kernels. WebGPU is used only on a hardware adapter; a software fallback
// (SwiftShader) is slower than wasm, so 'auto' then picks wasm and says so.
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { configureWasm as configureWasmPlatform, runtimeName, startWasm } from '#model-platform';
import { registerTrainingKernels } from './kernels';
import type { BackendName } from './types';

export type BackendRequest = 'auto' | BackendName;

export interface BackendInit {
  backend: BackendName;
  /** "vendor / architecture" of the WebGPU adapter, null for other backends. */
  adapter: string | null;
  reason: string;
}

let wasmConfigured = false;

async function configureWasm(): Promise<void> {
  if (wasmConfigured) return;
  await configureWasmPlatform();
  wasmConfigured = true;
}

interface AdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<{ vendor?: string; architecture?: string; description?: string }>;
}

/** Probes navigator.gpu: null when there is no adapter; otherwise its description and whether it is software. */
export async function probeWebGpu(): Promise<{ adapter: string; software: boolean } | null> {
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } }).navigator?.gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return null;
  type Info = { vendor?: string; architecture?: string; description?: string };
  const info: Info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo().catch((): Info => ({})) : {});
  const vendor = info.vendor || 'unknown vendor';
  const arch = info.architecture || info.description || 'unknown architecture';
  const text = `${vendor} / ${arch}`;
  const software = adapter.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|software|fallback/i.test(`${text} ${info.description ?? ''}`);
  return { adapter: text, software };
}

async function trySet(name: BackendName): Promise<boolean> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'wasm') await configureWasm();
  const set = () => tf.setBackend(name).catch(() => false);
  const ok = name === 'wasm' ? await startWasm(set) : await set();
  if (ok) await tf.ready();
  return ok;
}

function finish(backend: BackendName, adapter: string | null, reason: string): BackendInit {
  if (backend === 'cpu' || backend === 'wasm') registerTrainingKernels(backend);
  if (backend === 'wasm') {
    const threads = getThreadsCount();
    reason = `${reason} (${threads} thread${threads === 1 ? '' : 's'})`;
  }
  return { backend, adapter, reason };
}

/**
 * 'auto': browser -> webgpu on a hardware adapter, else wasm (reason given); Node -> wasm.
 * A forced choice that cannot start throws (never a silent fallback).
 */
export async function initBackend(choice: BackendRequest): Promise<BackendInit> {
  if (choice === 'cpu' || choice === 'wasm') {
    if (!(await trySet(choice))) throw new Error(`backend: tf.setBackend('${choice}') failed`);
    return finish(choice, null, `${choice} requested`);
  }
  if (choice === 'webgpu') {
    const probe = await probeWebGpu();
    if (!probe) throw new Error('backend: WebGPU requested but no adapter is available');
    if (!(await trySet('webgpu'))) throw new Error(`backend: tf.setBackend('webgpu') failed on ${probe.adapter}`);
    return finish('webgpu', probe.adapter, `webgpu requested (${probe.software ? 'software' : 'hardware'} adapter ${probe.adapter})`);
  }
  let why = 'running in Node: wasm is the fast training backend';
  if (runtimeName === 'browser') {
    const probe = await probeWebGpu();
    if (!probe) why = 'WebGPU is not available in this browser; using wasm';
    else if (probe.software) why = `WebGPU adapter is a software fallback (${probe.adapter}); using wasm`;
    else if (await trySet('webgpu')) return finish('webgpu', probe.adapter, `hardware WebGPU adapter ${probe.adapter}`);
    else why = `WebGPU adapter ${probe.adapter} failed to initialise; using wasm`;
  }
  if (await trySet('wasm')) return finish('wasm', null, why);
  if (await trySet('cpu')) return finish('cpu', null, `${why}; wasm failed to initialise, using cpu`);
  throw new Error('backend: no tfjs backend could be initialised');
}
