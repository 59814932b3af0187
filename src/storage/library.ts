// Library-level writes that span stores: one ingest batch (items + signals/images + embeddings) lands in
// one transaction, so a reload never finds an item without its data or its vector.
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { StoredEmbedding, StoredImage, StoredItem, StoredSignal } from './types';
import { requestPersistOnce } from './quota';
import { BLOCK_STORE, packBlocks } from './embedding-blocks';

export interface LibraryBatch {
  items: StoredItem[];
  signals: StoredSignal[];
  images: StoredImage[];
  embeddings: StoredEmbedding[];
}

let persistAsked = false;

/** Saves one batch atomically. Throws StorageFullError when the quota is exhausted (nothing is written). */
export async function saveLibraryBatch(db: StudioDb, b: LibraryBatch): Promise<void> {
  if (!persistAsked) {
    persistAsked = true;
    await requestPersistOnce(db);
  }
  await writeTx(db, ['items', 'signals', 'images', BLOCK_STORE], (tx, q) => {
    for (const r of b.items) q(tx.objectStore('items').put(r));
    for (const r of b.signals) q(tx.objectStore('signals').put(r));
    for (const r of b.images) q(tx.objectStore('images').put(r));
    for (const blk of packBlocks(b.embeddings)) q(tx.objectStore(BLOCK_STORE).add(blk));
  });
}

/** Removes every item, signal, image, embedding and cached map; keeps versions, prompt sets and settings. */
export const clearLibrary = (db: StudioDb): Promise<void> =>
  writeTx(db, ['items', 'signals', 'images', BLOCK_STORE, 'projections'], (tx) => [
    tx.objectStore('items').clear(),
    tx.objectStore('signals').clear(),
    tx.objectStore('images').clear(),
    tx.objectStore(BLOCK_STORE).clear(),
    tx.objectStore('projections').clear(),
  ]);
