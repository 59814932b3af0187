// Adapts files handed over by the page (Blob + relative path) to the parsers' InputFile.
import type { InputFile } from '../../formats/types';
import type { PageFile } from '../api';

/** Normalises a dropped path: '/'-separated, no leading './' or '/'. */
export const normalisePath = (p: string): string => p.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');

export function toInputFile(f: PageFile): InputFile {
  return {
    path: normalisePath(f.path),
    sizeBytes: f.file.size,
    read: async () => new Uint8Array(await f.file.arrayBuffer()),
    // Blob.slice reads only the range: a long recording is never loaded whole.
    readRange: async (start, end) => new Uint8Array(await f.file.slice(start, end).arrayBuffer()),
  };
}

export const toInputFiles = (files: readonly PageFile[]): InputFile[] => files.map(toInputFile);
