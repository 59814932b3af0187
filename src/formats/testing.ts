// InputFile builders for tests and Node tools: in-memory bytes or a file on disk.
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { InputFile } from './types';

export function memFile(path: string, bytes: Uint8Array | string): InputFile {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return { path, sizeBytes: data.length, read: async () => data, readRange: async (a, b) => data.slice(a, b) };
}

export function diskFile(absPath: string, path = absPath): InputFile {
  const sizeBytes = statSync(absPath).size;
  return { path, sizeBytes, read: async () => new Uint8Array(readFileSync(absPath)), readRange: async (a, b) => readRangeSync(absPath, a, b, sizeBytes) };
}

/** Bytes [start, end) of a file on disk, clamped to its size. */
export function readRangeSync(absPath: string, start: number, end: number, sizeBytes: number): Uint8Array {
  const s = Math.max(0, Math.min(start, sizeBytes));
  const out = new Uint8Array(Math.max(0, Math.min(end, sizeBytes) - s));
  const fd = openSync(absPath, 'r');
  try {
    let got = 0;
    while (got < out.length) {
      const n = readSync(fd, out, got, out.length - got, s + got);
      if (n <= 0) break;
      got += n;
    }
    return out.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** The shared real data folder: $MEDBIND_SHARED_DATA, else ../shared/data beside the repository (as in CI). */
export const SHARED_DATA_DIR: string = (() => {
  const env = typeof process !== 'undefined' ? process.env.MEDBIND_SHARED_DATA : undefined;
  if (env) return env;
  const here = new URL('.', import.meta.url).pathname; // <repo>/src/formats/
  return decodeURIComponent(new URL('../../../shared/data', `file://${here}`).pathname);
})();
