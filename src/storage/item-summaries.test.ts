// Packed item copies on fake-indexeddb: written with every items write, read back equal to the item
// records (the explorer's summaries and allItems), superseded rows, compaction, the fallback when they do not cover the items, and the migration
// that builds them for a library stored before them (counts and fields identical).
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from './db';
import {
  SUMMARY_BLOCK_ROWS,
  SUMMARY_STORE,
  compactItemSummaries,
  packItemSummaries,
  readItemSummaries,
  unpackItemSummaries,
  unpackItems,
  type ItemSummary,
} from './item-summaries';
import { allItems, putItems } from './items';
import { setItemIdentity } from './identity';
import { clearLibrary, saveLibraryBatch } from './library';
import { MIGRATIONS } from './migrations';
import type { StoredItem } from './types';

let seq = 0;
const freshName = () => `summaries-test-${Date.now()}-${seq++}`;

function items(n: number, from = 0, tag = ''): StoredItem[] {
  return Array.from({ length: n }, (_, k): StoredItem => {
    const i = from + k;
    return {
      id: `ds/${String(i).padStart(6, '0')}`, modality: i % 2 ? 'cxr' : 'ecg', dataset: `ds${i % 3}`, sourceName: `${i}${tag}.hea`,
      labels: i % 5 ? ['NORM', `L${i % 4}`] : [], text: `report ${i % 7}${tag}`, split: i % 4 ? 'train' : 'test',
      meta: i % 6 ? { age: 40 + (i % 30), sex: i % 2 ? 'F' : 'M' } : {}, addedAt: i, contentHash: `h${i}`,
    };
  });
}

const summary = (it: StoredItem): ItemSummary => ({
  id: it.id, modality: it.modality, dataset: it.dataset, sourceName: it.sourceName, labels: it.labels, text: it.text, split: it.split, meta: it.meta,
});
const byId = (rows: readonly ItemSummary[]) => new Map(rows.map((r) => [r.id, r]));

describe('item summaries', () => {
  it('pack/unpack keeps every field; repeated values are stored once per block', () => {
    const src = items(SUMMARY_BLOCK_ROWS + 7);
    const blocks = packItemSummaries(src);
    expect(blocks.map((b) => b.ids.length)).toEqual([SUMMARY_BLOCK_ROWS, 7]);
    // Modalities, datasets, splits, 7 texts, label sets, metadata once; the content hashes once per item.
    expect(blocks[0].dict.length).toBeLessThan(100 + SUMMARY_BLOCK_ROWS);
    expect(unpackItems(blocks)).toEqual(src);
    expect(unpackItemSummaries(blocks)).toEqual(src.map(summary));
  });

  it('a malformed block is named in the error', () => {
    const [b] = packItemSummaries(items(3));
    expect(() => unpackItemSummaries([{ ...b, seq: 9, text: new Uint32Array([0, 1]) }])).toThrow(/itemSummaries: block 9 has a bad "text" column/);
    expect(() => unpackItemSummaries([{ ...b, seq: 9, dataset: new Uint32Array([0, 0, 999]) }])).toThrow(/"dataset"/);
    expect(() => unpackItemSummaries([{ ...b, seq: 9, addedAt: new Float64Array(1) }])).toThrow(/"addedAt"/);
  });

  it('batch writes and putItems add summaries in the same transaction; later rows win; clear removes them', async () => {
    const db = await openStudioDb({ name: freshName() });
    const first = items(50);
    for (let s = 0; s < first.length; s += 10) {
      await saveLibraryBatch(db, { items: first.slice(s, s + 10), signals: [], images: [], embeddings: [] });
    }
    // A batch repeating stored ids writes nothing for them (the stored item stays), so no summary either.
    await saveLibraryBatch(db, { items: items(5, 0, '-again'), signals: [], images: [], embeddings: [] });
    let got = await readItemSummaries(db);
    expect(got.packed).toBe(true);
    expect(got.items).toEqual(first.map(summary));
    // putItems replaces items: the newer summary supersedes the older one.
    const changed = items(5, 10, '-new');
    await putItems(db, [...changed, ...items(3, 50)]);
    got = await readItemSummaries(db);
    expect(got.packed).toBe(true);
    expect(got.items.length).toBe(53);
    const want = byId([...first, ...items(3, 50)].map(summary));
    for (const c of changed) want.set(c.id, summary(c));
    expect(byId(got.items)).toEqual(want);
    // Five batches and one putItems (the repeated batch added none); compaction rewrites them as one block.
    expect(got.blocks).toBe(6);
    expect(await compactItemSummaries(db)).toBe(true);
    expect(await db.count(SUMMARY_STORE)).toBe(1);
    expect(byId((await readItemSummaries(db)).items)).toEqual(want);
    expect(await compactItemSummaries(db)).toBe(false);
    await clearLibrary(db);
    expect(await db.count(SUMMARY_STORE)).toBe(0);
    expect((await readItemSummaries(db)).items).toEqual([]);
    db.close();
  });

  it('falls back to the item records when the summaries do not cover exactly the stored items', async () => {
    const db = await openStudioDb({ name: freshName() });
    await putItems(db, items(20));
    // An item written straight into "items" (no summary): the reader must not miss it.
    const extra = items(1, 99)[0];
    await db.put('items', extra);
    const got = await readItemSummaries(db);
    expect(got.packed).toBe(false);
    expect(got.items.map((r) => r.id)).toEqual([...items(20), extra].map((r) => r.id));
    db.close();
  });
});

describe('allItems from the packed copies', () => {
  it('gives the item records exactly, in id order, with content keys, patient key and addedAt', async () => {
    const db = await openStudioDb({ name: freshName() });
    const src = items(30).map((it, i) => ({ ...it, ...(i % 3 ? { dicomUid: `1.2.${i}` } : {}), ...(i % 2 ? { patientKey: `p${i % 5}` } : {}) }));
    await putItems(db, [...src].reverse());
    expect((await readItemSummaries(db)).packed).toBe(true);
    const records = await db.getAll('items');
    expect(await allItems(db)).toEqual(records);
    // A legacy item gains its content hash: the packed copy follows.
    await setItemIdentity(db, src[4].id, 'abc', '1.2.840');
    expect((await allItems(db)).find((r) => r.id === src[4].id)).toMatchObject({ contentHash: 'abc', dicomUid: '1.2.840' });
    expect(await allItems(db)).toEqual(await db.getAll('items'));
    db.close();
  });
});

describe('migration to item summaries', () => {
  it('builds the summaries of a schema-5 library: counts and fields identical to the item records', async () => {
    const name = freshName();
    const old = await openStudioDb({ name, migrations: MIGRATIONS.slice(0, 5) });
    expect([...old.objectStoreNames]).not.toContain(SUMMARY_STORE);
    const src = items(2 * SUMMARY_BLOCK_ROWS + 100);
    const tx = old.transaction('items', 'readwrite');
    await Promise.all([...src.map((r) => tx.store.put(r)), tx.done]);
    old.close();

    const db = await openStudioDb({ name });
    expect(db.version).toBe(MIGRATIONS.length);
    expect(await db.count(SUMMARY_STORE)).toBe(3);
    const got = await readItemSummaries(db);
    expect(got.packed).toBe(true);
    expect(got.items.length).toBe(await db.count('items'));
    expect(byId(got.items)).toEqual(byId((await db.getAll('items')).map(summary)));
    expect(await allItems(db)).toEqual(await db.getAll('items'));
    db.close();
  });

  it('an empty library upgrades to an empty summary store', async () => {
    const name = freshName();
    (await openStudioDb({ name, migrations: MIGRATIONS.slice(0, 5) })).close();
    const db = await openStudioDb({ name });
    expect(await db.count(SUMMARY_STORE)).toBe(0);
    expect(await readItemSummaries(db)).toEqual({ items: [], packed: true, blocks: 0 });
    db.close();
  });
});
