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
