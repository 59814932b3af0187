// The database schema as an ordered list of migrations: each step upgrades version n-1 to n.
// The list is validated when the database opens, so a gap or a reordering fails loudly instead of
// silently skipping a step on users' machines.
import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { StudioSchema } from './schema';
import { contentIdentityMigration } from './migration-content-identity';
import { packEmbeddingsMigration } from './migration-pack-embeddings';
import { itemSummariesMigration } from './migration-item-summaries';

export interface Migration {
  /** Target schema version (1, 2, 3...). */
  version: number;
  description: string;
  up(db: IDBPDatabase<StudioSchema>, tx: IDBPTransaction<StudioSchema, StoreNames<StudioSchema>[], 'versionchange'>): void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'items, signals, images, embeddings by [version, id], versions, kv',
    up(db) {
      db.createObjectStore('items', { keyPath: 'id' });
      db.createObjectStore('signals', { keyPath: 'id' });
      db.createObjectStore('images', { keyPath: 'id' });
      const emb = db.createObjectStore('embeddings', { keyPath: ['version', 'id'] });
      emb.createIndex('byVersion', 'version');
      db.createObjectStore('versions', { keyPath: 'id' });
      db.createObjectStore('kv', { keyPath: 'key' });
    },
  },
  {
    version: 2,
    description: 'promptSets store; items indexed by modality and dataset',
    up(db, tx) {
      db.createObjectStore('promptSets', { keyPath: 'id' });
      const items = tx.objectStore('items');
      items.createIndex('byModality', 'modality');
      items.createIndex('byDataset', 'dataset');
    },
  },
  {
    version: 3,
    description: 'projections store: explorer maps cached per model version and item set',
    up(db) {
      const store = db.createObjectStore('projections', { keyPath: 'key' });
      store.createIndex('byVersion', 'version');
    },
  },
  contentIdentityMigration(4),
  packEmbeddingsMigration(5),
  itemSummariesMigration(6),
];

/** Throws when the list is not 1, 2, 3... in order with a description each. */
export function validateMigrations(list: readonly Migration[]): void {
  if (list.length === 0) throw new Error('migrations: the list is empty');
  list.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new Error(`migrations: entry ${i} has version ${m.version}, expected ${i + 1} (ordered, no gaps)`);
    }
    if (!m.description.trim()) throw new Error(`migrations: version ${m.version} has no description`);
  });
}
