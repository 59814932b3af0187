// Repository of embeddings, keyed [modelVersion, id] so vectors of different weights never mix.
// Text embeddings use id "text:<text>" (see textEmbeddingId).
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { StoredEmbedding } from './types';

export const textEmbeddingId = (text: string): string => `text:${text}`;

export const embeddingsOfVersion = (db: StudioDb, version: string): Promise<StoredEmbedding[]> =>
  db.getAllFromIndex('embeddings', 'byVersion', version);

export const countEmbeddingsOfVersion = (db: StudioDb, version: string): Promise<number> =>
  db.countFromIndex('embeddings', 'byVersion', version);

/** Model versions that have at least one stored embedding. */
export async function versionsWithEmbeddings(db: StudioDb): Promise<string[]> {
  const out: string[] = [];
  let cursor = await db.transaction('embeddings').store.index('byVersion').openKeyCursor(null, 'nextunique');
  while (cursor) {
    out.push(cursor.key);
    cursor = await cursor.continue();
  }
  return out;
}

/** Ids that already have an embedding for `version`. */
export async function embeddedIds(db: StudioDb, version: string): Promise<Set<string>> {
  const keys = await db.getAllKeysFromIndex('embeddings', 'byVersion', version);
  return new Set(keys.map((k) => k[1]));
}

export const putEmbeddings = (db: StudioDb, rows: readonly StoredEmbedding[]): Promise<void> =>
  writeTx(db, ['embeddings'], (tx, q) => rows.forEach((r) => q(tx.objectStore('embeddings').put(r))));

/** Deletes every embedding of `version` (one transaction). */
export const deleteVersionEmbeddings = (db: StudioDb, version: string): Promise<void> =>
  writeTx(db, ['embeddings'], (tx) => [
    tx.objectStore('embeddings').delete(IDBKeyRange.bound([version, ''], [version, '\uffff\uffff'])),
  ]);
