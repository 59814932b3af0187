// Packed embedding blocks on fake-indexeddb: round trip, superseded rows, compaction, deletion, and the
// migration from per-item records (a schema-3 database written the old way: counts and vectors identical).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from './db';
import { BLOCK_ROWS, BLOCK_STORE, compactEmbeddings, readPackedEmbeddings } from './embedding-blocks';
import { countEmbeddingsOfVersion, deleteVersionEmbeddings, embeddedIds, embeddingsOfVersion, putEmbeddings, versionsWithEmbeddings } from './embeddings';
import { clearLibrary, saveLibraryBatch } from './library';
import { MIGRATIONS } from './migrations';
import type { StoredEmbedding } from './types';

let seq = 0;
const freshName = () => `blocks-test-${Date.now()}-${seq++}`;
const D = 8;

function rows(n: number, version: string, seed = 1): StoredEmbedding[] {
  const kinds = ['ecg', 'cxr', 'text'] as const;
  return Array.from({ length: n }, (_, i) => {
    const modality = kinds[i % 3];
    return {
      version,
      id: modality === 'text' ? `text:report ${i}` : `ds/${String(i).padStart(6, '0')}`,
      modality,
      vector: Float32Array.from({ length: D }, (_, j) => Math.sin(seed * 1000 + i * D + j)),
    };
  });
}

/** id -> vector, for comparing row sets regardless of order. */
const asMap = (rs: StoredEmbedding[]) => new Map(rs.map((r) => [`${r.modality}|${r.id}`, Array.from(r.vector)]));

describe('embedding blocks', () => {
  it('round trip: every row back once, packed into full blocks per version and modality', async () => {
    const db = await openStudioDb({ name: freshName() });
    const v1 = rows(2 * BLOCK_ROWS + 10, 'v1');
    const v2 = rows(30, 'v2', 2);
    await putEmbeddings(db, [...v1, ...v2]);
    expect(asMap(await embeddingsOfVersion(db, 'v1'))).toEqual(asMap(v1));
    expect(asMap(await embeddingsOfVersion(db, 'v2'))).toEqual(asMap(v2));
    expect(await countEmbeddingsOfVersion(db, 'v1')).toBe(v1.length);
    expect((await embeddedIds(db, 'v2')).size).toBe(30);
    expect(await versionsWithEmbeddings(db)).toEqual(['v1', 'v2']);
    // (2 x 4096 + 10) / 3 rows per modality: 1 block each for v1, 1 each for v2.
    expect(await db.count(BLOCK_STORE)).toBe(6);
    const p = await readPackedEmbeddings(db, 'v1');
    expect(p.byModality.get('ecg')!.vectors.length).toBe(Math.ceil(v1.length / 3) * D);
    db.close();
  });

  it('a row stored again supersedes the earlier one; compaction keeps the newest rows in fewer blocks', async () => {
    const db = await openStudioDb({ name: freshName() });
    const base = rows(60, 'v1');
    for (let s = 0; s < base.length; s += 6) await putEmbeddings(db, base.slice(s, s + 6)); // one small block per batch
    const again = rows(12, 'v1', 9); // same ids as the first 12, new vectors
    await putEmbeddings(db, again);
    const want = asMap([...again, ...base.slice(12)]);
    expect(asMap(await embeddingsOfVersion(db, 'v1'))).toEqual(want);
    expect(await countEmbeddingsOfVersion(db, 'v1')).toBe(60);
    const before = await db.count(BLOCK_STORE);
    expect(await compactEmbeddings(db, 'v1')).toBe(true);
    expect(await db.count(BLOCK_STORE)).toBe(3);
    expect(before).toBeGreaterThan(3);
    expect(asMap(await embeddingsOfVersion(db, 'v1'))).toEqual(want);
    expect(await compactEmbeddings(db, 'v1')).toBe(false); // already compact
    db.close();
  });

  it('deletes one version only; clearing the library removes all; ingest batches land as blocks', async () => {
    const db = await openStudioDb({ name: freshName() });
    await putEmbeddings(db, [...rows(9, 'v1'), ...rows(9, 'v2')]);
    await deleteVersionEmbeddings(db, 'v1');
    expect(await versionsWithEmbeddings(db)).toEqual(['v2']);
    expect(await countEmbeddingsOfVersion(db, 'v2')).toBe(9);
    await saveLibraryBatch(db, { items: [], signals: [], images: [], embeddings: rows(4, 'v3') });
    expect(await countEmbeddingsOfVersion(db, 'v3')).toBe(4);
    await clearLibrary(db);
    expect(await db.count(BLOCK_STORE)).toBe(0);
    db.close();
  });
});

describe('migration from per-item embedding records', () => {
  it('packs every row of a schema-3 database into blocks: counts and vectors identical, old store gone', async () => {
    const name = freshName();
    const old = await openStudioDb({ name, migrations: MIGRATIONS.slice(0, 3) });
    expect([...old.objectStoreNames]).toContain('embeddings');
    // The schema-3 write path: one record per row, key [version, id].
    const v1 = rows(BLOCK_ROWS + 500, 'v1');
    const v2 = rows(100, 'ft-2', 3);
    const tx = old.transaction('embeddings', 'readwrite');
    await Promise.all([...[...v1, ...v2].map((r) => tx.store.put(r)), tx.done]);
    const oldCounts = { v1: await old.countFromIndex('embeddings', 'byVersion', 'v1'), v2: await old.countFromIndex('embeddings', 'byVersion', 'ft-2') };
    const oldRows = await old.getAll('embeddings');
    old.close();

    const db = await openStudioDb({ name });
    expect(db.version).toBe(MIGRATIONS.length);
    expect([...db.objectStoreNames]).not.toContain('embeddings');
    expect(await countEmbeddingsOfVersion(db, 'v1')).toBe(oldCounts.v1);
    expect(await countEmbeddingsOfVersion(db, 'ft-2')).toBe(oldCounts.v2);
    expect(oldCounts.v1).toBe(v1.length);
    const after = [...(await embeddingsOfVersion(db, 'v1')), ...(await embeddingsOfVersion(db, 'ft-2'))];
    expect(after.length).toBe(oldRows.length);
    const byKey = asMap(after.map((r) => ({ ...r, id: `${r.version}|${r.id}` })));
    for (const r of oldRows) {
      const got = byKey.get(`${r.modality}|${r.version}|${r.id}`);
      expect(got).toBeDefined();
      // Bit-identical: float32 values compared exactly.
      expect(Float32Array.from(got!)).toEqual(r.vector);
    }
    expect(await versionsWithEmbeddings(db)).toEqual(['ft-2', 'v1']);
    // 4596 rows of v1 in 3 modalities (1532 each) and 100 of ft-2: one block per (version, modality).
    expect(await db.count(BLOCK_STORE)).toBe(6);
    db.close();
  });

  it('an empty schema-3 database upgrades to an empty block store', async () => {
    const name = freshName();
    (await openStudioDb({ name, migrations: MIGRATIONS.slice(0, 3) })).close();
    const db = await openStudioDb({ name });
    expect(await db.count(BLOCK_STORE)).toBe(0);
    expect(await versionsWithEmbeddings(db)).toEqual([]);
    db.close();
  });
});
