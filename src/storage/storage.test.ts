// Storage layer on fake-indexeddb: schema, atomic batches, quota aborts, migrations, settings.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { unwrap } from 'idb';
import { openStudioDb, writeTx } from './db';
import { MIGRATIONS, validateMigrations } from './migrations';
import { StorageFullError } from './errors';
import { saveLibraryBatch, clearLibrary, type LibraryBatch } from './library';
import { allItems, existingIds, getItem, itemsByModality, putItems } from './items';
import { getSignal, signalInputs } from './signals';
import { embeddedIds, embeddingsOfVersion, putEmbeddings, versionsWithEmbeddings, deleteVersionEmbeddings } from './embeddings';
import { getSetting, setSetting } from './settings';
import { requestPersistOnce, storageEstimate } from './quota';
import type { StoredItem } from './types';

let seq = 0;
const freshName = () => `medbind-test-${Date.now()}-${seq++}`;

const item = (id: string, modality: 'ecg' | 'cxr' = 'ecg'): StoredItem => ({
  id, modality, dataset: 'ds', sourceName: `${id}.hea`, labels: ['NORM'], text: 'normal', split: 'train', meta: { age: 50 }, addedAt: 1,
});

function batch(ids: string[], version = 'v1'): LibraryBatch {
  return {
    items: ids.map((id) => item(id)),
    signals: ids.map((id) => ({ id, fsHz: 100, nSamples: 4, leads: [new Float32Array([1, 2, 3, 4])], input: new Float32Array(12000).fill(0.5) })),
    images: [],
    embeddings: ids.map((id) => ({ version, id, modality: 'ecg' as const, vector: new Float32Array([1, 0, 0]) })),
  };
}

describe('migrations', () => {
  it('accepts the shipped list and rejects gaps, reorderings and empty lists', () => {
    expect(() => validateMigrations(MIGRATIONS)).not.toThrow();
    expect(() => validateMigrations([])).toThrow(/empty/);
    expect(() => validateMigrations([MIGRATIONS[1]])).toThrow(/expected 1/);
    expect(() => validateMigrations([MIGRATIONS[0], { ...MIGRATIONS[1], version: 3 }])).toThrow(/expected 2/);
  });

  it('upgrades a version-1 database and keeps its rows', async () => {
    const name = freshName();
    const old = await openStudioDb({ name, migrations: MIGRATIONS.slice(0, 1) });
    expect(old.version).toBe(1);
    expect([...old.objectStoreNames]).not.toContain('promptSets');
    await old.put('items', item('a', 'cxr'));
    await old.put('items', item('b', 'ecg'));
    old.close();

    const db = await openStudioDb({ name });
    expect(db.version).toBe(MIGRATIONS.length);
    expect([...db.objectStoreNames]).toContain('promptSets');
    expect((await getItem(db, 'a'))?.modality).toBe('cxr');
    // The index created by migration 2 covers rows written before it.
    expect((await itemsByModality(db, 'ecg')).map((r) => r.id)).toEqual(['b']);
    db.close();
  });
});

describe('library writes', () => {
  it('a batch leaves items already stored (by another tab) as they are and says which ones it wrote', async () => {
    const db = await openStudioDb({ name: freshName() });
    expect([...(await saveLibraryBatch(db, batch(['x/1'])))]).toEqual(['x/1']);
    const again = batch(['x/1', 'x/2']);
    again.embeddings[0].vector = new Float32Array([0, 1, 0]);
    expect([...(await saveLibraryBatch(db, again))]).toEqual(['x/2']);
    const rows = await embeddingsOfVersion(db, 'v1');
    expect(rows.map((r) => r.id).sort()).toEqual(['x/1', 'x/2']);
    expect(Array.from(rows.find((r) => r.id === 'x/1')!.vector)).toEqual([1, 0, 0]); // the first write stands
    db.close();
  });

  it('saves a batch across stores and reads it back with typed arrays intact', async () => {
    const db = await openStudioDb({ name: freshName() });
    await saveLibraryBatch(db, batch(['x/1', 'x/2']));
    expect((await allItems(db)).length).toBe(2);
    const sig = await getSignal(db, 'x/1');
    expect(sig?.input).toBeInstanceOf(Float32Array);
    expect(sig?.leads[0][3]).toBe(4);
    expect([...(await existingIds(db, ['x/1', 'nope']))]).toEqual(['x/1']);
    expect((await embeddingsOfVersion(db, 'v1')).length).toBe(2);
    expect(await versionsWithEmbeddings(db)).toEqual(['v1']);
    const seen: string[] = [];
    for await (const rows of signalInputs(db, 1)) seen.push(...rows.map((r) => r.id));
    expect(seen).toEqual(['x/1', 'x/2']);
    await db.put('projections', { key: 'p', version: 'v1', itemSetHash: 'h', method: 'pca', dims: 2, seed: 0, coords: new Float32Array(4), nFit: 2, createdAt: 0 });
    await clearLibrary(db);
    expect((await allItems(db)).length).toBe(0);
    expect((await embeddingsOfVersion(db, 'v1')).length).toBe(0);
    expect(await db.count('projections')).toBe(0);
    db.close();
  });

  it('keeps embeddings of different model versions apart', async () => {
    const db = await openStudioDb({ name: freshName() });
    await putEmbeddings(db, [
      { version: 'v1', id: 'a', modality: 'ecg', vector: new Float32Array([1]) },
      { version: 'v2', id: 'a', modality: 'ecg', vector: new Float32Array([2]) },
      { version: 'v2', id: 'b', modality: 'cxr', vector: new Float32Array([3]) },
    ]);
    expect([...(await embeddedIds(db, 'v2'))].sort()).toEqual(['a', 'b']);
    expect((await embeddingsOfVersion(db, 'v1'))[0].vector[0]).toBe(1);
    await deleteVersionEmbeddings(db, 'v2');
    expect(await versionsWithEmbeddings(db)).toEqual(['v1']);
    db.close();
  });

  it('is atomic: a failing request rolls back the whole batch', async () => {
    const db = await openStudioDb({ name: freshName() });
    const b = batch(['ok/1']);
    // A row without its key path makes put fail: nothing of the batch may land.
    (b.items as unknown[]).push({ modality: 'ecg' });
    await expect(saveLibraryBatch(db, b)).rejects.toBeTruthy();
    expect(await getItem(db, 'ok/1')).toBeUndefined();
    expect((await embeddingsOfVersion(db, 'v1')).length).toBe(0);
    db.close();
  });

  it('maps a quota abort to StorageFullError and writes nothing', async () => {
    const db = await openStudioDb({ name: freshName() });
    await putItems(db, [item('before')]);
    // Simulate the browser: the put is queued, then the transaction aborts with QuotaExceededError.
    const err = await writeTx(db, ['items'], (t, q) => {
      q(t.objectStore('items').put(item('after')));
      ((unwrap as (x: unknown) => unknown)(t) as unknown as { _abort(name: string): void })._abort('QuotaExceededError');
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StorageFullError);
    expect((err as Error).message).toMatch(/storage is full/i);
    expect(await getItem(db, 'after')).toBeUndefined();
    expect(await getItem(db, 'before')).toBeDefined();
    db.close();
  });
});

describe('settings and quota', () => {
  it('stores typed settings', async () => {
    const db = await openStudioDb({ name: freshName() });
    expect(await getSetting(db, 'backendChoice')).toBeUndefined();
    await setSetting(db, 'backendChoice', 'wasm');
    expect(await getSetting(db, 'backendChoice')).toBe('wasm');
    db.close();
  });

  it('asks for persistent storage only once', async () => {
    const db = await openStudioDb({ name: freshName() });
    let asked = 0;
    const storage = { persist: async () => (asked++, true), persisted: async () => false };
    expect(await requestPersistOnce(db, storage)).toBe(true);
    expect(await requestPersistOnce(db, storage)).toBeNull();
    expect(asked).toBe(1);
    expect(await storageEstimate({ estimate: async () => ({ usage: 10, quota: 100 }) })).toEqual({ usageBytes: 10, quotaBytes: 100 });
    expect(await storageEstimate({})).toEqual({ usageBytes: null, quotaBytes: null });
    db.close();
  });
});
