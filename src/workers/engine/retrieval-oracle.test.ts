// Retrieval against a brute-force Float64 oracle, with queries that are NOT in the library (a self-match
// only shows that a row finds itself at similarity ~1): the nearest rows by cosine, computed in Float64
// over the stored float32 vectors, must be the ones search returns, in order, with their similarities.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../../storage/db';
import { embeddingsOfVersion } from '../../storage/embeddings';
import { allItems } from '../../storage/items';
import { cxrA, ecgA, ecgB, makeEngine } from '../testing/engine-fixtures';
import { VectorIndex } from './vector-index';

const never = new AbortController().signal;

/** Cosine of two vectors in Float64 (norms computed, not assumed). */
function cosine64(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

/** The k nearest rows by Float64 cosine, by sorting every row (ties: smaller id first). */
function oracleTopK(rows: { id: string; vector: ArrayLike<number> }[], query: ArrayLike<number>, k: number) {
  return rows
    .map((r) => ({ id: r.id, similarity: cosine64(r.vector, query) }))
    .sort((x, y) => y.similarity - x.similarity || (x.id < y.id ? -1 : 1))
    .slice(0, k);
}

/** Deterministic unit vectors with a few clusters (so neighbours are near, not all equidistant). */
function clusteredUnitRows(n: number, d: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
  const centres = Array.from({ length: 8 }, () => Array.from({ length: d }, rand));
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length];
    let norm = 0;
    for (let k = 0; k < d; k++) norm += (out[i * d + k] = c[k] + 0.6 * rand()) ** 2;
    for (let k = 0; k < d; k++) out[i * d + k] /= Math.sqrt(norm);
  }
  return out;
}

describe('retrieval against a Float64 brute-force oracle (query not in the library)', () => {
  it('VectorIndex: float32 scan (small index) and int8 scan + re-rank (large index) return the oracle neighbours', () => {
    const d = 48;
    for (const n of [300, 3000]) {
      const rows = clusteredUnitRows(n + 20, d, n);
      const ids = Array.from({ length: n }, (_, i) => `row-${String(i).padStart(5, '0')}`);
      const index = new VectorIndex(d, 16, { quantiseFromRows: 1024 });
      index.addMany(ids, rows.slice(0, n * d));
      const library = ids.map((id, i) => ({ id, vector: rows.subarray(i * d, (i + 1) * d) }));
      // The last 20 rows are queries: drawn like the library, never added to it.
      for (let q = 0; q < 20; q++) {
        const query = rows.slice((n + q) * d, (n + q + 1) * d);
        const got = index.search(query, 10);
        const want = oracleTopK(library, query, 10);
        expect(got.map((h) => h.id), `n=${n} query ${q}`).toEqual(want.map((h) => h.id));
        for (let i = 0; i < want.length; i++) expect(got[i].similarity).toBeCloseTo(want[i].similarity, 5);
        expect(want[0].similarity).toBeLessThan(0.999); // really not a self-match
      }
      if (n >= 1024 && index.quantised) expect(index.lastRerank).not.toBeNull(); // the int8 path was taken
    }
  });

  it('Engine: a text query absent from the library finds the oracle-nearest ECGs, CXRs and texts', async () => {
    const { engine, dbName } = makeEngine();
    await engine.ingest([...ecgA, ...ecgB, cxrA], never, () => undefined);
    const db = await openStudioDb({ name: dbName });
    const items = await allItems(db);
    const stored = await embeddingsOfVersion(db, 'v1');
    db.close();
    const query = 'Wide complex tachycardia with a left bundle branch block pattern.';
    expect(items.some((it) => it.text === query)).toBe(false);

    const res = await engine.searchText(query, 5);
    const qv = await engine.embedText(query);
    const of = (m: string) => stored.filter((r) => r.modality === m).map((r) => ({ id: r.id, vector: r.vector }));
    for (const m of ['ecg', 'cxr'] as const) {
      const want = oracleTopK(of(m), qv, 5);
      expect(res[m].map((h) => h.id), m).toEqual(want.map((h) => h.id));
      for (let i = 0; i < want.length; i++) expect(res[m][i].similarity).toBeCloseTo(want[i].similarity, 5);
    }
    const texts = oracleTopK(of('text'), qv, 5);
    expect(texts.length).toBeGreaterThan(0);
    expect(res.text).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++) expect(res.text[i].similarity).toBeCloseTo(texts[i].similarity, 5);
    expect(res.text[0].similarity).toBeLessThan(0.999);
  });
});
