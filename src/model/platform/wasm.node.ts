// How the tfjs wasm backend finds its binaries in Node (tools, tests, the training CLIs): straight from
// node_modules. Chosen by package.json "imports" (#model-platform) under the "node" condition only.
import { createRequire } from 'node:module';
import path from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export const runtimeName: 'browser' | 'node' = 'node';

export async function configureWasm(): Promise<void> {
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  setWasmPaths(path.join(dir, 'dist') + path.sep);
}

export function startWasm(set: () => Promise<boolean>): Promise<boolean> {
  return set();
}
