// Cache of computed maps keyed by (model version, item-set hash, method, dims, seed): a small in-memory
// LRU in front of IndexedDB's "projections" store (when the database has one), so UMAP/t-SNE runs once
// per library state and survives reloads.
import type { StudioDb } from '../../storage/db';
import type { StoredProjection } from '../../storage/types';
import type { ProjectionMethod } from './methods';

export type CachedProjection = StoredProjection;

export const projectionKey = (version: string, itemSetHash: string, method: ProjectionMethod, dims: number, seed: number) =>
  `${version}|${itemSetHash}|${method}|${dims}d|seed${seed}`;

export const PROJECTIONS_STORE = 'projections' as const;

export interface ProjectionCache {
  get(key: string): Promise<CachedProjection | undefined>;
  put(entry: CachedProjection): Promise<void>;
}

/** In-memory LRU (the last `max` maps). */
export function memoryCache(max = 8): ProjectionCache & { size(): number } {
  const map = new Map<string, CachedProjection>();
  return {
    async get(key) {
      const e = map.get(key);
      if (e) {
        map.delete(key);
        map.set(key, e);
      }
      return e;
    },
    async put(entry) {
      map.delete(entry.key);
      map.set(entry.key, entry);
      while (map.size > max) map.delete(map.keys().next().value as string);
    },
    size: () => map.size,
  };
}

/**
 * Memory in front of IndexedDB's "projections" store (schema version 3). Without that store (a database
 * opened with an older migration list) it is memory only. A cache write that fails (e.g. quota) is dropped:
 * the map is still shown, only not kept.
 */
export function layeredCache(db: StudioDb | null, memory: ProjectionCache = memoryCache()): ProjectionCache & { persistent: boolean } {
  const persistent = !!db && db.objectStoreNames.contains(PROJECTIONS_STORE);
  return {
    persistent,
    async get(key) {
      const hit = await memory.get(key);
      if (hit || !persistent || !db) return hit;
      const row = await db.get(PROJECTIONS_STORE, key).catch(() => undefined);
      if (row && row.coords instanceof Float32Array) {
        await memory.put(row);
        return row;
      }
      return undefined;
    },
    async put(entry) {
      await memory.put(entry);
      if (persistent && db) await db.put(PROJECTIONS_STORE, entry).catch(() => undefined);
    },
  };
}
