// Persistence and usage of the origin's storage: ask the browser to keep the library (first save only)
// and report how much is used, for the library view.
import type { StudioDb } from './db';
import { getSetting, setSetting } from './settings';

export interface StorageEstimate {
  usageBytes: number | null;
  quotaBytes: number | null;
}

interface StorageManagerLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

const manager = (): StorageManagerLike | undefined =>
  (globalThis as { navigator?: { storage?: StorageManagerLike } }).navigator?.storage;

/** Asks navigator.storage.persist() once per database (remembered in kv). Returns the grant, or null if not asked. */
export async function requestPersistOnce(db: StudioDb, storage = manager()): Promise<boolean | null> {
  if (await getSetting(db, 'persistRequested')) return null;
  await setSetting(db, 'persistRequested', true);
  if (!storage?.persist) return null;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}

export async function storageEstimate(storage = manager()): Promise<StorageEstimate> {
  if (!storage?.estimate) return { usageBytes: null, quotaBytes: null };
  try {
    const e = await storage.estimate();
    return { usageBytes: e.usage ?? null, quotaBytes: e.quota ?? null };
  } catch {
    return { usageBytes: null, quotaBytes: null };
  }
}
