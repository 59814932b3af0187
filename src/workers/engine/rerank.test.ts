// Exact search through the int8 scan: the SIMD kernel against integer oracles, the error bound, and the
// re-ranked top-k against the float32 scan (indices and scores identical: recall@10 = 1), on random rows
// with planted ties and near-duplicates and on real embeddings of the shipped model.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../formats/csv';
import { SHARED_DATA_DIR } from '../../formats/testing';
import { initBackend } from '../../model/backend';
import { loadEncoders } from '../../model/load';
import type { WeightSource } from '../../model/types';
import { Int8Rows } from './int8-rows';
import { rerankedTopK } from './rerank';
import { createSimdKernel } from './simd-kernel';
import { dotRow, searchTopK } from './topk';
import { VectorIndex } from './vector-index';

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function unitRows(n: number, d: number, seed: number): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    let ss = 0;
    for (let j = 0; j < d; j++) {
      const v = r() - 0.5;
      out[i * d + j] = v;
      ss += v * v;
    }
    for (let j = 0; j < d; j++) out[i * d + j] /= Math.sqrt(ss);
  }
  return out;
}

function indexOf(vectors: Float32Array, d: number, opts = { quantiseFromRows: 0, minCandidates: 10 }): VectorIndex {
  const n = vectors.length / d;
  const idx = new VectorIndex(d, 16, opts);
  idx.addMany(Array.from({ length: n }, (_, i) => `r${i}`), vectors);
  return idx;
}

/** The float32 scan as ids and scores. */
function floatTop(vectors: Float32Array, d: number, q: Float32Array, k: number) {
  const t = searchTopK(vectors, vectors.length / d, d, q, k);
  return Array.from(t.indices, (row, r) => ({ id: `r${row}`, similarity: t.scores[r] }));
}

describe('SIMD kernel', () => {
  it('scan = integer dot product x row scale; sum = wrapping i32 sum of the bytes', () => {
    const k = createSimdKernel();
    expect(k).not.toBeNull(); // Node 20 and every current browser have WebAssembly SIMD
    if (!k) return;
    const n = 37;
    const stride = 64;
    k.memory.grow(1);
    const buf = k.memory.buffer;
    const rowsOff = 1024, scalesOff = rowsOff + n * stride, outOff = scalesOff + n * 4;
    const r = rng(1);
    const rows = new Int8Array(buf, rowsOff, n * stride);
    const q = new Int16Array(buf, 0, stride);
    const scales = new Float32Array(buf, scalesOff, n);
    for (let i = 0; i < rows.length; i++) rows[i] = Math.floor(r() * 255) - 127;
    for (let j = 0; j < stride; j++) q[j] = Math.floor(r() * 65535) - 32767;
    for (let i = 0; i < n; i++) scales[i] = r();
    k.scan(rowsOff, n, stride, 0, scalesOff, outOff);
    const out = new Float32Array(buf, outOff, n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < stride; j++) s += rows[i * stride + j] * q[j];
      expect(out[i]).toBe(Math.fround(Math.fround(s) * scales[i]));
    }
    const words = new Int32Array(buf, rowsOff, (n * stride) / 4);
    let sum = 0;
    for (const w of words) sum = (sum + w) | 0;
    expect(k.sum(rowsOff, n * stride)).toBe(sum);
    expect(k.sum(rowsOff, 0)).toBe(0);
  });
});

describe('Int8Rows', () => {
  it('every quantised score lies within the error bound of the float32 score', () => {
    const d = 256;
    const n = 500;
    const v = unitRows(n, d, 7);
    const rows = Int8Rows.create(d)!;
    for (let i = 0; i < n; i++) rows.set(i, v.subarray(i * d, (i + 1) * d));
    for (const q of [v.subarray(0, d), unitRows(1, d, 99)]) {
      const s = rows.scan(q);
      expect(s.errorBound).toBeGreaterThan(0);
      expect(s.errorBound).toBeLessThan(0.05);
      for (let i = 0; i < n; i++) expect(Math.abs(s.scores[i] * s.queryScale - dotRow(v, i * d, d, q))).toBeLessThanOrEqual(s.errorBound);
    }
  });

  it('grows across many appends and keeps earlier rows and scales', () => {
    const d = 40; // padded to a 64-byte stride
    const n = 5000;
    const v = unitRows(n, d, 3);
    const rows = Int8Rows.create(d)!;
    for (let i = 0; i < n; i++) rows.set(i, v.subarray(i * d, (i + 1) * d));
    expect(rows.strideBytes).toBe(64);
    const q = v.subarray(17 * d, 18 * d);
    const s = rows.scan(q);
    for (const i of [0, 17, 1023, 1024, 4999]) expect(Math.abs(s.scores[i] * s.queryScale - dotRow(v, i * d, d, q))).toBeLessThanOrEqual(s.errorBound);
    expect(() => rows.set(n + 1, v.subarray(0, d))).toThrow(/past the end/);
  });
});

describe('re-ranked search equals the float32 scan', () => {
  it('random rows with planted duplicates and near-ties (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 1e6 }), (n, k, seed) => {
        const d = 64;
        const v = unitRows(n, d, seed);
        const r = rng(seed + 1);
        // Plant exact duplicates and near-duplicates of row 0 (ties and near-ties at the top).
        for (let i = 1; i < n; i += 3) {
          for (let j = 0; j < d; j++) v[i * d + j] = v[j] + (i % 2 ? 0 : (r() - 0.5) * 1e-4);
        }
        const idx = indexOf(v, d);
        for (const q of [v.subarray(0, d), unitRows(1, d, seed + 2)]) {
          expect(idx.search(q, k)).toEqual(floatTop(v, d, q, k));
          expect(idx.lastRerank).not.toBeNull();
        }
      }),
      { seed: 13, numRuns: 60 },
    );
  });

  it('widens the candidate set when the bound cannot separate the top k (crowded scores)', () => {
    const d = 32;
    const n = 2000;
    const v = unitRows(n, d, 5);
    // 600 rows within 1e-3 of one direction: their scores crowd within the int8 error.
    for (let i = 0; i < 600; i++) for (let j = 0; j < d; j++) v[i * d + j] = v[j] + ((i * 7919 + j) % 13) * 1e-5;
    const q = v.subarray(0, d);
    const idx = indexOf(v, d);
    expect(idx.search(q, 10)).toEqual(floatTop(v, d, q, 10));
    expect(idx.lastRerank!.rounds).toBeGreaterThan(1);
  });

  it('rows with NaN or infinities, or a NaN query, take the float32 scan', () => {
    const d = 16;
    const v = unitRows(50, d, 9);
    v[3 * d + 2] = Number.NaN;
    const idx = indexOf(v, d);
    const q = v.subarray(0, d);
    expect(idx.search(q, 5)).toEqual(floatTop(v, d, q, 5));
    expect(idx.lastRerank).toBeNull();
    // Overwriting the bad row with a finite one brings the int8 path back.
    idx.add('r3', v.subarray(0, d));
    idx.search(q, 5);
    expect(idx.lastRerank).not.toBeNull();
  });

  it('k above the row count and k = 0', () => {
    const d = 32;
    const v = unitRows(20, d, 4);
    const rows = Int8Rows.create(d)!;
    for (let i = 0; i < 20; i++) rows.set(i, v.subarray(i * d, (i + 1) * d));
    expect(rerankedTopK(v, rows, v.subarray(0, d), 50).indices.length).toBe(20);
    expect(rerankedTopK(v, rows, v.subarray(0, d), 0).indices.length).toBe(0);
  });
});

describe('recall@10 on real embeddings of the shipped model', () => {
  const WEIGHTS = join(__dirname, '../../../public/weights');
  const source: WeightSource = { readFile: async (name) => new Uint8Array(readFileSync(join(WEIGHTS, name))) };

  /** Real clinical texts: ROCO chest-radiograph captions, CheXpert labeler phrases, LUDB diagnoses. */
  function realTexts(): string[] {
    const out: string[] = [];
    const roco = parseCsv(readFileSync(`${SHARED_DATA_DIR}/roco-cxr-captions/roco_cxr_captions.csv`, 'utf8'), 'roco');
    if (roco.ok) out.push(...roco.value.rows.map((r) => r.caption));
    const phrases = `${SHARED_DATA_DIR}/chexpert-labeler-phrases/phrases`;
    for (const sub of readdirSync(phrases)) {
      for (const f of readdirSync(join(phrases, sub))) out.push(...readFileSync(join(phrases, sub, f), 'utf8').split('\n'));
    }
    const ludb = parseCsv(readFileSync(`${SHARED_DATA_DIR}/ludb/ludb.csv`, 'utf8'), 'ludb');
    if (ludb.ok) for (const r of ludb.value.rows) out.push(Object.values(r).slice(3).join('. ').replace(/\s+/g, ' '));
    return [...new Set(out.map((t) => t.trim()).filter(Boolean))];
  }

  let vectors: Float32Array;
  let d = 0;
  beforeAll(async () => {
    await initBackend('wasm');
    const enc = await loadEncoders(source);
    try {
      const texts = realTexts();
      const out = await enc.embedText(texts);
      vectors = out.vectors;
      d = enc.embedDim;
    } finally {
      enc.dispose();
    }
  }, 120_000);

  it('top-10 through the int8 scan is the float32 top-10 for every query (recall 1.0)', () => {
    const n = vectors.length / d;
    expect(n).toBeGreaterThan(500);
    // A shallow first round (20 candidates) so that the bound, not a full re-rank, carries the proof.
    const idx = indexOf(vectors, d, { quantiseFromRows: 0, minCandidates: 20 });
    let firstRound = 0;
    let hits = 0;
    const nQueries = 200;
    for (let qi = 0; qi < nQueries; qi++) {
      const q = vectors.subarray(((qi * 37) % n) * d, (((qi * 37) % n) + 1) * d);
      const got = idx.search(q, 10);
      const want = floatTop(vectors, d, q, 10);
      expect(got).toEqual(want);
      const wantIds = new Set(want.map((h) => h.id));
      hits += got.filter((h) => wantIds.has(h.id)).length;
      if (idx.lastRerank!.rounds === 1 && idx.lastRerank!.candidates < n) firstRound++;
    }
    expect(hits / (10 * nQueries)).toBe(1);
    // The int8 scan decides most queries on its own (the re-rank touches 20 of the rows).
    expect(firstRound).toBeGreaterThan(nQueries / 2);
  });
});
