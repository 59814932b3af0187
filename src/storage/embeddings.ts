// Repository of embeddings, per model version so vectors of different weights never mix, stored as packed
// blocks (embedding-blocks.ts). Text rows are keyed by a TextEmbeddingId (embedding-ids.ts).
import type { StudioDb } from './db';
import { writeTx } from './db';
import { unwrap } from 'idb';
import { BLOCK_STORE, deleteBlocksOfVersion, packedToRows, putEmbeddingBlocks, readPackedEmbeddings } from './embedding-blocks';
import type { StoredEmbedding } from './types';

export { isTextEmbeddingId, textEmbeddingId, textOfEmbeddingId, type TextEmbeddingId } from './embedding-ids';

/** One row per id of `version` (vectors are views into the packed block arrays). */
export const embeddingsOfVersion = async (db: StudioDb, version: string): Promise<StoredEmbedding[]> =>
  packedToRows(await readPackedEmbeddings(db, version));

export async function countEmbeddingsOfVersion(db: StudioDb, version: string): Promise<number> {
  let n = 0;
  for (const r of (await readPackedEmbeddings(db, version)).byModality.values()) n += r.ids.length;
  return n;
}

/** Model versions that have at least one stored embedding. */
export async function versionsWithEmbeddings(db: StudioDb): Promise<string[]> {
  const out: string[] = [];
  let cursor = await db.transaction(BLOCK_STORE).store.index('byVersion').openKeyCursor(null, 'nextunique');
  while (cursor) {
    out.push(cursor.key);
    cursor = await cursor.continue();
  }
  return out;
}

/** Ids that already have an embedding for `version`. */
export async function embeddedIds(db: StudioDb, version: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const r of (await readPackedEmbeddings(db, version)).byModality.values()) for (const id of r.ids) out.add(id);
  return out;
}

/** Stores rows (a row for an id already stored supersedes it), one transaction. */
export const putEmbeddings = (db: StudioDb, rows: readonly StoredEmbedding[]): Promise<void> => putEmbeddingBlocks(db, rows);

/** Deletes every embedding of `version` (one transaction). */
export const deleteVersionEmbeddings = (db: StudioDb, version: string): Promise<void> =>
  writeTx(db, [BLOCK_STORE], (tx) => [deleteBlocksOfVersion(unwrap(tx.objectStore(BLOCK_STORE)), version)]);
