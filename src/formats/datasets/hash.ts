// Deterministic hashing for splits and text-variant choice: the same id always gives the same answer,
// in the browser and in Node.
import type { Split } from '../types';

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Patient-level split for sets without official folds: 80% train / 20% val by hash of the patient key. */
export function hashSplit(dataset: string, patientKey: string): Split {
  return fnv1a(`${dataset}\u0000${patientKey}`) % 100 < 80 ? 'train' : 'val';
}

/** Small seeded generator (mulberry32) for choosing phrasings. */
export function seededRandom(seedText: string): () => number {
  let a = fnv1a(seedText);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, xs: readonly T[]): T {
  return xs[Math.floor(rand() * xs.length) % xs.length];
}
