// Adapts files handed over by the page (Blob + relative path) to the parsers' InputFile, remembering
// each one's Blob so the decode workers can be handed the file itself instead of a copy of its bytes.
import type { InputFile } from '../../formats/types';
import type { PageFile } from '../api';

/** Normalises a dropped path: '/'-separated, no leading './' or '/'. */
export const normalisePath = (p: string): string => p.replace(/\\/g, '/').replace(/^(\.\/|\/)+/, '');

const blobs = new WeakMap<InputFile, Blob>();

/** The page's Blob behind an InputFile made by toInputFile (undefined for files a reader made). */
export const blobOf = (f: InputFile): Blob | undefined => blobs.get(f);

export function toInputFile(f: PageFile): InputFile {
  const file: InputFile = {
    path: normalisePath(f.path),
    sizeBytes: f.file.size,
    read: async () => new Uint8Array(await f.file.arrayBuffer()),
    // Blob.slice reads only the range: a long recording is never loaded whole.
    readRange: async (start, end) => new Uint8Array(await f.file.slice(start, end).arrayBuffer()),
  };
  blobs.set(file, f.file);
  return file;
}

export const toInputFiles = (files: readonly PageFile[]): InputFile[] => files.map(toInputFile);
