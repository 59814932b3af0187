// Where a DICOM codec's .wasm comes from in Node (tests, tools): read from node_modules.
// Chosen by package.json "imports" (#codec-platform) under the "node" condition only.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import type { CodecName } from '../wasm-names';

const NODE_WASM: Record<CodecName, string> = {
  'libjpeg-turbo': '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm',
  charls: '@cornerstonejs/codec-charls/decodewasm',
  openjpeg: '@cornerstonejs/codec-openjpeg/decodewasm',
  openjph: '@cornerstonejs/codec-openjph/wasm',
};

/** The Emscripten factory options that hand the codec its binary. */
export async function codecBinaryOptions(name: CodecName): Promise<Record<string, unknown>> {
  const require = createRequire(import.meta.url);
  return { wasmBinary: await readFile(require.resolve(NODE_WASM[name])) };
}
