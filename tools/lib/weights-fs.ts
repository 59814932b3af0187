// Node file access for weight folders: a WeightSource over a directory, and a writer for encodeWeights output.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { WeightSource } from '../../src/model/types';

export function fileWeightSource(dir: string): WeightSource {
  return {
    async readFile(name) {
      if (name.includes('..') || path.isAbsolute(name)) throw new Error(`weights: refusing path ${name}`);
      return new Uint8Array(await readFile(path.join(dir, name)));
    },
  };
}

/** Writes every file; manifest.json last so that a reader never sees a manifest for missing files. */
export async function writeWeightFiles(dir: string, files: Map<string, Uint8Array>): Promise<void> {
  await mkdir(dir, { recursive: true });
  const names = [...files.keys()].sort((a, b) => (a === 'manifest.json' ? 1 : b === 'manifest.json' ? -1 : a.localeCompare(b)));
  for (const name of names) await writeFile(path.join(dir, name), files.get(name)!);
}
