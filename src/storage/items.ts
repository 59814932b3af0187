// Repository of library items (metadata rows).
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { Modality } from '../formats/types';
import type { StoredItem } from './types';
import { SUMMARY_STORE, packItemSummaries, readAllItems } from './item-summaries';

export const getItem = (db: StudioDb, id: string): Promise<StoredItem | undefined> => db.get('items', id);

export const getItems = async (db: StudioDb, ids: readonly string[]): Promise<(StoredItem | undefined)[]> => {
  const tx = db.transaction('items');
  const rows = await Promise.all([...ids.map((id) => tx.store.get(id)), tx.done]);
  return rows.slice(0, ids.length) as (StoredItem | undefined)[];
};

/** Every item in id order (read from their packed copies when those are complete, see item-summaries.ts). */
export const allItems = (db: StudioDb): Promise<StoredItem[]> => readAllItems(db);

export const itemsByModality = (db: StudioDb, modality: Modality): Promise<StoredItem[]> =>
  db.getAllFromIndex('items', 'byModality', modality);

export const countItems = (db: StudioDb): Promise<number> => db.count('items');

/** Ids already stored among `ids` (one read transaction). */
export async function existingIds(db: StudioDb, ids: readonly string[]): Promise<Set<string>> {
  const tx = db.transaction('items');
  const keys = await Promise.all([...ids.map((id) => tx.store.getKey(id)), tx.done]);
  const out = new Set<string>();
  ids.forEach((id, i) => {
    if (keys[i] !== undefined) out.add(id);
  });
  return out;
}

/** Stores items and their packed summaries (item-summaries.ts) in one transaction. */
export const putItems = (db: StudioDb, items: readonly StoredItem[]): Promise<void> =>
  writeTx(db, ['items', SUMMARY_STORE], (tx, q) => {
    items.forEach((it) => q(tx.objectStore('items').put(it)));
    packItemSummaries(items).forEach((b) => q(tx.objectStore(SUMMARY_STORE).add(b)));
  });
