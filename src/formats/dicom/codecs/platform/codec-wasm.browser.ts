// Where a DICOM codec's .wasm comes from in the browser: the Vite-emitted asset of the app's own build
// (same origin, CSP-safe). Chosen by package.json "imports" (#codec-platform); Node takes codec-wasm.node.ts.
import type { CodecName } from '../wasm-names';

/** The Emscripten factory options that tell the codec where its binary is. */
export async function codecBinaryOptions(name: CodecName): Promise<Record<string, unknown>> {
  const { codecWasmUrls } = await import('../wasm-urls');
  const url = codecWasmUrls[name];
  return { locateFile: () => url };
}
