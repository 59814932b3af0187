// Path helpers over a flat list of InputFiles ('/'-separated relative paths): directory index,
// base names and file lookup relative to a dataset root.
import type { InputFile } from '../types';

export function dirName(path: string): string {
  const k = path.lastIndexOf('/');
  return k < 0 ? '' : path.slice(0, k);
}

export function baseName(path: string): string {
  const k = path.lastIndexOf('/');
  return k < 0 ? path : path.slice(k + 1);
}

export function stem(path: string): string {
  const b = baseName(path);
  const k = b.lastIndexOf('.');
  return k <= 0 ? b : b.slice(0, k);
}

export function extOf(path: string): string {
  const b = baseName(path);
  const k = b.lastIndexOf('.');
  return k <= 0 ? '' : b.slice(k + 1).toLowerCase();
}

export function joinPath(dir: string, rel: string): string {
  const parts = (dir ? `${dir}/${rel}` : rel).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

/** True when `path` is `dir` itself or lies under it. */
export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** Name a dataset after its root folder ("user" for files at the top). */
export function datasetNameOf(rootDir: string): string {
  return rootDir === '' ? 'user' : baseName(rootDir);
}

export class FileTree {
  readonly byPath = new Map<string, InputFile>();
  readonly byDir = new Map<string, InputFile[]>();

  constructor(readonly files: InputFile[]) {
    for (const f of files) {
      const p = f.path.replace(/\\/g, '/').replace(/^\.?\//, '');
      this.byPath.set(p, f);
      const d = dirName(p);
      const list = this.byDir.get(d) ?? [];
      list.push(f);
      this.byDir.set(d, list);
    }
  }

  get(path: string): InputFile | undefined {
    return this.byPath.get(path);
  }

  /** Files in the same folder, matched by base name (case-insensitive as a fallback). */
  sibling(path: string, name: string): InputFile | undefined {
    const d = dirName(path);
    const exact = this.byPath.get(joinPath(d, name));
    if (exact) return exact;
    const lower = name.toLowerCase();
    return (this.byDir.get(d) ?? []).find((f) => baseName(f.path).toLowerCase() === lower);
  }

  /** All paths under a folder. */
  under(dir: string): string[] {
    return [...this.byPath.keys()].filter((p) => isUnder(p, dir));
  }
}

export async function readText(f: InputFile, maxBytes = 64 * 1024 * 1024): Promise<string> {
  if (f.sizeBytes > maxBytes) throw new Error(`file too large (${f.sizeBytes} bytes)`);
  return new TextDecoder('utf-8').decode(await f.read());
}
