// Browser-only: the tfjs wasm binaries as URLs that Vite emits into the build (same origin, CSP-safe),
// and the repair that lets the threaded build run once bundled.
//
// Why the threaded build broke: tfjs hands each pthread worker the module factory as a Blob of
// `"var WasmBackendModuleThreadedSimd = " + factory.toString()`. Bundled and minified, the factory's source
// refers to names of its enclosing scope (renamed to e.g. `e`), so the worker dies with "e is not defined".
// The fix gives the factory a toString that returns the original, self-contained source of the module
// (shipped as a string in this bundle), so the Blob defines the factory exactly as the unbundled file does.
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as threadedModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js';
import threadedSource from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?raw';

export const wasmFileUrls = {
  'tfjs-backend-wasm.wasm': wasmUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
};

const DECL = 'var WasmBackendModuleThreadedSimd = ';
const EXPORTS = "if (typeof exports === 'object'";

/** The factory expression of the unbundled module file: "(() => { ... })()", or null if its shape is unknown. */
export function threadedFactorySource(src: string): string | null {
  const start = src.indexOf(DECL);
  const tail = src.indexOf(EXPORTS);
  if (start < 0 || tail < 0) return null;
  const end = src.lastIndexOf('})();', tail);
  if (end < start) return null;
  return src.slice(start + DECL.length, end + '})()'.length);
}

let repaired: boolean | undefined;

/** Makes the threaded factory's toString self-contained; false (use single-thread SIMD) if that cannot be done. */
export function repairThreadedFactory(): boolean {
  if (repaired !== undefined) return repaired;
  const ns = threadedModule as unknown as { default?: unknown };
  const factory = (ns.default ?? ns) as unknown;
  const expr = threadedFactorySource(threadedSource);
  repaired = typeof factory === 'function' && expr !== null;
  if (repaired) Object.defineProperty(factory, 'toString', { value: () => expr, configurable: true });
  return repaired;
}

/**
 * Runs `init` (the wasm backend's start) while navigator.hardwareConcurrency reads twice its value, then
 * restores it. tfjs caps its thread pool at hardwareConcurrency / 2 (it assumes two hardware threads per
 * core), which leaves a 2-vCPU machine on one thread; with this the cap is the logical core count, and the
 * pool size is what setThreadsCount asked for (at most 8 threads, tfjs's pre-created pthread workers).
 */
export async function withLogicalCoreCount<T>(init: () => Promise<T>): Promise<T> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const cores = nav?.hardwareConcurrency;
  if (!nav || !cores || !repaired) return init();
  try {
    Object.defineProperty(nav, 'hardwareConcurrency', { value: cores * 2, configurable: true });
  } catch {
    return init();
  }
  try {
    return await init();
  } finally {
    delete (nav as { hardwareConcurrency?: number }).hardwareConcurrency; // the prototype's getter again
  }
}
