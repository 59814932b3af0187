// Byte access to one signal file: ranged reads where the InputFile offers them (browser File.slice,
// Node file handles), else one whole read kept for the later slices. Counts what it read.
import type { InputFile } from '../types';

export interface ByteSource {
  path: string;
  sizeBytes: number;
  /** Bytes [start, end) clamped to the file. */
  read(start: number, end: number): Promise<Uint8Array>;
}

export function byteSource(f: InputFile): ByteSource {
  let whole: Promise<Uint8Array> | null = null;
  return {
    path: f.path,
    sizeBytes: f.sizeBytes,
    async read(start, end) {
      const s = Math.max(0, Math.min(start, f.sizeBytes));
      const e = Math.max(s, Math.min(end, f.sizeBytes));
      if (e === s) return new Uint8Array(0);
      if (f.readRange) return f.readRange(s, e);
      whole ??= f.read();
      return (await whole).subarray(s, e);
    },
  };
}
