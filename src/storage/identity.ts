// Repository lookups for item identity: which stored items carry a content hash or a DICOM UID, and
// the one-row update that gives an item stored before content identity its hash.
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { StoredItem } from './types';
import { SUMMARY_STORE, packItemSummaries } from './item-summaries';

/** hash -> stored item, for the hashes that are in the library (one read transaction). */
export async function itemsByContentHash(db: StudioDb, hashes: readonly string[]): Promise<Map<string, StoredItem>> {
  return lookup(db, 'byContentHash', hashes);
}

/** uid -> stored item, for the DICOM SOP Instance UIDs that are in the library. */
export async function itemsByDicomUid(db: StudioDb, uids: readonly string[]): Promise<Map<string, StoredItem>> {
  return lookup(db, 'byDicomUid', uids);
}

async function lookup(db: StudioDb, index: 'byContentHash' | 'byDicomUid', keys: readonly string[]): Promise<Map<string, StoredItem>> {
  const unique = [...new Set(keys)];
  const tx = db.transaction('items');
  const idx = tx.store.index(index);
  const rows = await Promise.all([...unique.map((k) => idx.get(k)), tx.done]);
  const out = new Map<string, StoredItem>();
  unique.forEach((k, i) => {
    const row = rows[i] as StoredItem | undefined;
    if (row) out.set(k, row);
  });
  return out;
}

/** Writes the content keys onto an existing item (a legacy item whose file was dropped again). */
export async function setItemIdentity(db: StudioDb, id: string, contentHash: string, dicomUid: string | null): Promise<void> {
  const row = await db.get('items', id);
  if (!row) return;
  const next: StoredItem = { ...row, contentHash, ...(dicomUid ? { dicomUid } : {}) };
  await writeTx(db, ['items', SUMMARY_STORE], (tx) => [
    tx.objectStore('items').put(next),
    ...packItemSummaries([next]).map((b) => tx.objectStore(SUMMARY_STORE).add(b)),
  ]);
}
