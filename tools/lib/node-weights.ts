// Node WeightSource: reads the files of a weights folder (public/weights or a user's export).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WeightSource } from '../../src/model/types';

export function nodeWeightSource(dir: string): WeightSource {
  return { readFile: async (name) => new Uint8Array(await readFile(join(dir, name))) };
}
