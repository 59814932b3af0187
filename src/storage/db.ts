// The single door to IndexedDB: opens "medbind-studio", runs the migration list, and offers one
// write helper that keeps every write atomic and maps quota aborts to StorageFullError.
import { openDB, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { MIGRATIONS, validateMigrations, type Migration } from './migrations';
import { DB_NAME, type StoreName, type StudioSchema } from './schema';
import { StorageFullError, isQuotaError } from './errors';

export type StudioDb = IDBPDatabase<StudioSchema>;
export type WriteTx<S extends StoreName[]> = IDBPTransaction<StudioSchema, S, 'readwrite'>;

export interface OpenOptions {
  /** Database name (tests use unique names). */
  name?: string;
  /** Migration list; defaults to MIGRATIONS. Tests pass a prefix to build an older database. */
  migrations?: readonly Migration[];
}

export async function openStudioDb(opts: OpenOptions = {}): Promise<StudioDb> {
  const migrations = opts.migrations ?? MIGRATIONS;
  validateMigrations(migrations);
  const target = migrations.length;
  return openDB<StudioSchema>(opts.name ?? DB_NAME, target, {
    upgrade(db, oldVersion, _newVersion, tx) {
      for (const m of migrations) if (m.version > oldVersion) m.up(db, tx);
    },
  });
}

/** Queues one request of a write transaction (see writeTx). */
export type Queue = (request: Promise<unknown>) => void;

/**
 * Runs one atomic readwrite transaction. `ops` only queues requests on tx (no awaits), through `q` or as
 * a returned array, so
 * the whole batch is `Promise.all([...ops, tx.done])`: all rows land or none do. Requests are collected
 * as they are queued so that a synchronous throw part-way (e.g. a row without its key) still observes
 * the ones queued before it.
 */
export async function writeTx<S extends StoreName[]>(
  db: StudioDb,
  stores: S,
  ops: (tx: WriteTx<S>, q: Queue) => void | Promise<unknown>[],
): Promise<void> {
  const tx = db.transaction(stores, 'readwrite');
  const queued: Promise<unknown>[] = [];
  const q: Queue = (p) => {
    p.catch(() => undefined); // observed below; avoids unhandled rejections after an abort
    queued.push(p);
  };
  try {
    const returned = ops(tx, q);
    if (returned) returned.forEach(q);
  } catch (e) {
    tx.abort();
    await tx.done.catch(() => undefined);
    throw mapWriteError(e, tx);
  }
  try {
    await Promise.all([...queued, tx.done]);
  } catch (e) {
    // A failing request also aborts the transaction; wait for it so tx.error is final.
    await tx.done.catch(() => undefined);
    throw mapWriteError(e, tx);
  }
}

function mapWriteError(e: unknown, tx: { error: DOMException | null }): unknown {
  if (isQuotaError(e) || isQuotaError(tx.error)) return new StorageFullError(tx.error?.message || undefined);
  return e;
}
