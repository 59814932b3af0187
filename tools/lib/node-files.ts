// Node side of InputFile: lists a folder recursively with paths relative to its parent, so the
// dataset folder name is kept ("ptb-xl/records100/..."), and reads each file only when asked.
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { InputFile } from '../../src/formats/types';

/** Bytes [start, end) of a file, clamped to its size, read through a file handle (not the whole file). */
export async function readNodeRange(abs: string, start: number, end: number, sizeBytes: number): Promise<Uint8Array> {
  const s = Math.max(0, Math.min(start, sizeBytes));
  const out = new Uint8Array(Math.max(0, Math.min(end, sizeBytes) - s));
  const fh = await open(abs, 'r');
  try {
    let got = 0;
    while (got < out.length) {
      const { bytesRead } = await fh.read(out, got, out.length - got, s + got);
      if (bytesRead <= 0) break;
      got += bytesRead;
    }
    return out.subarray(0, got);
  } finally {
    await fh.close();
  }
}

export async function listNodeFiles(rootDir: string): Promise<InputFile[]> {
  const root = resolve(rootDir);
  const parent = resolve(root, '..');
  const out: InputFile[] = [];
  async function walk(dir: string): Promise<void> {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) {
        const s = await stat(abs);
        out.push({
          path: relative(parent, abs).split(sep).join('/'),
          sizeBytes: s.size,
          read: async () => new Uint8Array(await readFile(abs)),
          readRange: (a, b) => readNodeRange(abs, a, b, s.size),
        });
      }
    }
  }
  const s = await stat(root);
  if (s.isFile()) {
    return [{ path: basename(root), sizeBytes: s.size, read: async () => new Uint8Array(await readFile(root)), readRange: (a, b) => readNodeRange(root, a, b, s.size) }];
  }
  await walk(root);
  return out;
}
