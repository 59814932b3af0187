// An InputFile over bytes already in memory (with ranged reads), for decoding buffers directly.
import type { InputFile } from '../types';

export function memFileOf(path: string, bytes: Uint8Array): InputFile {
  return { path, sizeBytes: bytes.length, read: async () => bytes, readRange: async (a, b) => bytes.subarray(a, b) };
}
