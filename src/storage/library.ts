// Library-level writes that span stores: one ingest batch (items + signals/images + embeddings) lands in
// one transaction, so a reload never finds an item without its data or its vector.
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { StoredEmbedding, StoredImage, StoredItem, StoredSignal } from './types';
import { requestPersistOnce } from './quota';
import { BLOCK_STORE, packBlocks } from './embedding-blocks';
import { SUMMARY_STORE, packItemSummaries } from './item-summaries';

export interface LibraryBatch {
  items: StoredItem[];
  signals: StoredSignal[];
  images: StoredImage[];
  embeddings: StoredEmbedding[];
}

let persistAsked = false;

/**
 * Saves one batch atomically and returns the ids of the items it wrote: an item whose id is already
 * stored (another tab ingesting the same files wrote it meanwhile) is left as it is, with its signal,
 * image and vectors, so each ingest counts only what it wrote. Throws StorageFullError when the quota is
 * exhausted (nothing is written).
 */
/**
 * The request `start` makes, or its synchronous throw (a row without its key) as a rejection: kept in the
 * same Promise.all, so the requests made before it, which the abort then rejects, are observed too.
 */
function settled<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (e) {
    return Promise.reject(e);
  }
}

export async function saveLibraryBatch(db: StudioDb, b: LibraryBatch): Promise<Set<string>> {
  if (!persistAsked) {
    persistAsked = true;
    await requestPersistOnce(db);
  }
  const written = new Set<string>();
  await writeTx(db, ['items', SUMMARY_STORE, 'signals', 'images', BLOCK_STORE], (tx, q) => {
    const items = tx.objectStore('items');
    // The existence check and the writes share this transaction, so no other tab writes in between;
    // only IndexedDB requests are awaited inside, which keeps the transaction alive.
    q(
      Promise.all(b.items.map((r) => settled(() => items.getKey(r.id)))).then((keys) => {
        const stored = new Set<string>();
        b.items.forEach((r, i) => (keys[i] === undefined ? written : stored).add(r.id));
        const ops: Promise<unknown>[] = [];
        const op = (start: () => Promise<unknown>) => ops.push(settled(start));
        for (const r of b.items) if (written.has(r.id)) op(() => items.put(r));
        // The explorer's packed copy of the items written, in the same transaction (item-summaries.ts).
        for (const blk of packItemSummaries(b.items.filter((r) => written.has(r.id)))) op(() => tx.objectStore(SUMMARY_STORE).add(blk));
        for (const r of b.signals) if (!stored.has(r.id)) op(() => tx.objectStore('signals').put(r));
        for (const r of b.images) if (!stored.has(r.id)) op(() => tx.objectStore('images').put(r));
        const rows = b.embeddings.filter((e) => e.modality === 'text' || !stored.has(e.id));
        for (const blk of packBlocks(rows)) op(() => tx.objectStore(BLOCK_STORE).add(blk));
        return Promise.all(ops);
      }),
    );
  });
  return written;
}

/** Removes every item (and its summary), signal, image, embedding and cached map; keeps versions, prompt sets and settings. */
export const clearLibrary = (db: StudioDb): Promise<void> =>
  writeTx(db, ['items', SUMMARY_STORE, 'signals', 'images', BLOCK_STORE, 'projections'], (tx) => [
    tx.objectStore('items').clear(),
    tx.objectStore(SUMMARY_STORE).clear(),
    tx.objectStore('signals').clear(),
    tx.objectStore('images').clear(),
    tx.objectStore(BLOCK_STORE).clear(),
    tx.objectStore('projections').clear(),
  ]);
