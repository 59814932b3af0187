// Schema migration: embeddings move from one record per row (store "embeddings", key [version, id]) to
// packed blocks (store "embeddingBlocks", see embedding-blocks.ts). Every row is read in the upgrade
// transaction, packed per version and modality, written as blocks, and the old store is deleted, all
// inside the one versionchange transaction: the upgrade lands whole or not at all.
import { BLOCK_STORE, packBlocks } from './embedding-blocks';
import type { Migration } from './migrations';
import type { StoredEmbedding } from './types';

export const packEmbeddingsMigration = (version: number): Migration => ({
  version,
  description: 'embeddings as packed blocks of rows per model version and modality (store embeddingBlocks)',
  up(db, tx) {
    const blocks = db.createObjectStore(BLOCK_STORE, { keyPath: 'seq', autoIncrement: true });
    blocks.createIndex('byVersion', 'version');
    if (!db.objectStoreNames.contains('embeddings')) return;
    // Requests of the versionchange transaction keep it open until their callbacks have run.
    void tx
      .objectStore('embeddings')
      .getAll()
      .then((rows: StoredEmbedding[]) => {
        for (const b of packBlocks(rows)) void tx.objectStore(BLOCK_STORE).add(b);
        db.deleteObjectStore('embeddings');
      });
  },
});
