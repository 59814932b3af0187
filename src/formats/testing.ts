// InputFile builders for tests and Node tools: in-memory bytes or a file on disk.
import { readFileSync, statSync } from 'node:fs';
import type { InputFile } from './types';

export function memFile(path: string, bytes: Uint8Array | string): InputFile {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return { path, sizeBytes: data.length, read: async () => data };
}

export function diskFile(absPath: string, path = absPath): InputFile {
  return { path, sizeBytes: statSync(absPath).size, read: async () => new Uint8Array(readFileSync(absPath)) };
}

/** The shared real data folder: $MEDBIND_SHARED_DATA, else ../shared/data beside the repository (as in CI). */
export const SHARED_DATA_DIR: string = (() => {
  const env = typeof process !== 'undefined' ? process.env.MEDBIND_SHARED_DATA : undefined;
  if (env) return env;
  const here = new URL('.', import.meta.url).pathname; // <repo>/src/formats/
  return decodeURIComponent(new URL('../../../shared/data', `file://${here}`).pathname);
})();
