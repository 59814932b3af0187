// Public surface of the storage layer (IndexedDB via idb; no tfjs).
export * from './types';
export { DB_NAME, type StudioSchema, type StoreName } from './schema';
export { openStudioDb, writeTx, type StudioDb, type OpenOptions } from './db';
export { MIGRATIONS, validateMigrations, type Migration } from './migrations';
export { StorageFullError, isQuotaError } from './errors';
export * from './items';
export * from './signals';
export * from './images';
export * from './embeddings';
export * from './embedding-blocks';
export * from './item-summaries';
export * from './versions';
export * from './prompt-sets';
export * from './settings';
export * from './quota';
export * from './library';
export * from './identity';
export * from './jobs';
