// How the tfjs wasm backend finds its binaries and threads in the browser (the app and its workers).
// Chosen by package.json "imports" (#model-platform): bundlers and the browser type-check take this file,
// Node takes wasm.node.ts, so browser code never names a node:* module.
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** XNNPACK's thread pool: past ~8 threads small matmuls stop scaling. */
const MAX_WASM_THREADS = 8;

export const runtimeName: 'browser' | 'node' = 'browser';

export async function configureWasm(): Promise<void> {
  const { repairThreadedFactory, wasmFileUrls } = await import('../wasm-assets');
  // Threads need cross-origin isolation (SharedArrayBuffer); tfjs checks that itself. Without the
  // repair (see wasm-assets.ts) the bundled threaded build cannot start: use the single-thread SIMD build.
  if (!repairThreadedFactory()) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
  setThreadsCount(Math.max(1, Math.min(cores, MAX_WASM_THREADS)));
  setWasmPaths(wasmFileUrls);
}

/** Starts the wasm backend with the thread cap at the logical core count (see withLogicalCoreCount). */
export async function startWasm(set: () => Promise<boolean>): Promise<boolean> {
  const { withLogicalCoreCount } = await import('../wasm-assets');
  return withLogicalCoreCount(set);
}
