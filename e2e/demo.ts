// What the shipped demo library holds, read from public/demo/index.json on disk (the same file the app
// fetches), so specs can compare the UI's counts with the files.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_DIR = join(REPO_ROOT, 'public', 'demo');

const IMAGE_RE = /\.(png|jpe?g|dcm|dicom)$/i;
const HEADER_RE = /\.hea$/i;

export interface DemoLibrary {
  /** Every file path listed, relative to public/demo. */
  files: string[];
  /** Number of library items: one per ECG header (.hea) and one per image. */
  itemCount: number;
  ecgHeaders: string[];
  images: string[];
}

/** Collects file paths from the index whatever its exact shape (a list, {files}, {items: [{files}]}...). */
function collectPaths(node: unknown, out: string[]): void {
  if (typeof node === 'string') {
    if (/\.[a-z0-9]+$/i.test(node)) out.push(node);
  } else if (Array.isArray(node)) {
    for (const v of node) collectPaths(v, out);
  } else if (node && typeof node === 'object') {
    for (const [key, v] of Object.entries(node)) {
      if (typeof v === 'string' && /^(path|file|name|src)$/i.test(key)) collectPaths(v, out);
      else if (typeof v === 'object') collectPaths(v, out);
    }
  }
}

export function demoLibrary(): DemoLibrary {
  const indexPath = join(DEMO_DIR, 'index.json');
  if (!existsSync(indexPath)) throw new Error(`${indexPath} is missing: the demo library has not been built`);
  const index: unknown = JSON.parse(readFileSync(indexPath, 'utf8'));
  const all: string[] = [];
  collectPaths(index, all);
  const files = [...new Set(all.map((p) => p.replace(/^\.?\/+/, '')))];
  const ecgHeaders = files.filter((f) => HEADER_RE.test(f));
  const images = files.filter((f) => IMAGE_RE.test(f));
  return { files, itemCount: ecgHeaders.length + images.length, ecgHeaders, images };
}
