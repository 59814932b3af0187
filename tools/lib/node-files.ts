// Node side of InputFile: lists a folder recursively with paths relative to its parent, so the
// dataset folder name is kept ("ptb-xl/records100/..."), and reads each file only when asked.
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import type { InputFile } from '../../src/formats/types';

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
        });
      }
    }
  }
  const s = await stat(root);
  if (s.isFile()) {
    return [{ path: basename(root), sizeBytes: s.size, read: async () => new Uint8Array(await readFile(root)) }];
  }
  await walk(root);
  return out;
}
