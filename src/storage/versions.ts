// Repository of model versions (the shipped weights and fine-tuned descendants with their lineage).
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { StoredModelVersion } from './types';
import { unwrap } from 'idb';
import { BLOCK_STORE, deleteBlocksOfVersion } from './embedding-blocks';

export const getVersion = (db: StudioDb, id: string): Promise<StoredModelVersion | undefined> => db.get('versions', id);
export const allVersions = (db: StudioDb): Promise<StoredModelVersion[]> => db.getAll('versions');
export const putVersion = (db: StudioDb, v: StoredModelVersion): Promise<void> =>
  writeTx(db, ['versions'], (tx) => [tx.objectStore('versions').put(v)]);
export const deleteVersion = (db: StudioDb, id: string): Promise<void> =>
  writeTx(db, ['versions', BLOCK_STORE], (tx) => [
    tx.objectStore('versions').delete(id),
    deleteBlocksOfVersion(unwrap(tx.objectStore(BLOCK_STORE)), id),
  ]);
