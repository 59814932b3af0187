// Embeddings as packed blocks: one IndexedDB record holds up to BLOCK_ROWS rows of one model version and
// modality (their ids plus one [rows, dim] Float32Array), so a 100k-item library is read as a few dozen
// records instead of 100k. Writes only append blocks (an ingest batch adds one small block, no read in
// the write transaction); a row written again for the same id supersedes the earlier one (blocks are read
// in key order, later wins). compactEmbeddings rewrites a version's blocks as full, duplicate-free ones.
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { StoredEmbedding, StoredEmbeddingBlock } from './types';

export const BLOCK_ROWS = 4096;
export const BLOCK_STORE = 'embeddingBlocks';

type Kind = StoredEmbedding['modality'];

/** The rows of one version and modality, one row per id, in the order ids were first stored. */
export interface PackedRows {
  ids: string[];
  /** [ids.length, dim] row-major. */
  vectors: Float32Array;
  dim: number;
}

export interface PackedEmbeddings {
  version: string;
  byModality: Map<Kind, PackedRows>;
  /** Records read, and how many rows they held (duplicates included): decides compaction. */
  blocks: number;
  storedRows: number;
}

/** Groups rows by (version, modality, dim) and packs them into blocks of at most BLOCK_ROWS rows. */
export function packBlocks(rows: readonly StoredEmbedding[]): StoredEmbeddingBlock[] {
  const groups = new Map<string, StoredEmbedding[]>();
  for (const r of rows) {
    const key = `${r.version}\u0000${r.modality}\u0000${r.vector.length}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const out: StoredEmbeddingBlock[] = [];
  for (const g of groups.values()) {
    const dim = g[0].vector.length;
    for (let s = 0; s < g.length; s += BLOCK_ROWS) {
      const part = g.slice(s, s + BLOCK_ROWS);
      const vectors = new Float32Array(part.length * dim);
      part.forEach((r, i) => vectors.set(r.vector, i * dim));
      out.push({ version: g[0].version, modality: g[0].modality, dim, ids: part.map((r) => r.id), vectors });
    }
  }
  return out;
}

/** Merges blocks (in key order) into one PackedRows per modality; a later row for an id replaces the earlier. */
export function mergeBlocks(version: string, blocks: readonly StoredEmbeddingBlock[]): PackedEmbeddings {
  const slots = new Map<Kind, { dim: number; at: Map<string, number>; src: { block: StoredEmbeddingBlock; row: number }[] }>();
  let storedRows = 0;
  for (const b of blocks) {
    if (b.version !== version) continue;
    let s = slots.get(b.modality);
    if (!s) slots.set(b.modality, (s = { dim: b.dim, at: new Map(), src: [] }));
    if (b.dim !== s.dim || b.vectors.length !== b.ids.length * b.dim) continue; // never mix sizes
    storedRows += b.ids.length;
    b.ids.forEach((id, row) => {
      const i = s.at.get(id);
      if (i === undefined) {
        s.at.set(id, s.src.length);
        s.src.push({ block: b, row });
      } else s.src[i] = { block: b, row };
    });
  }
  const byModality = new Map<Kind, PackedRows>();
  for (const [kind, s] of slots) {
    const vectors = new Float32Array(s.src.length * s.dim);
    const ids = new Array<string>(s.src.length);
    s.src.forEach(({ block, row }, i) => {
      ids[i] = block.ids[row];
      vectors.set(block.vectors.subarray(row * s.dim, (row + 1) * s.dim), i * s.dim);
    });
    byModality.set(kind, { ids, vectors, dim: s.dim });
  }
  return { version, byModality, blocks: blocks.filter((b) => b.version === version).length, storedRows };
}

/** Every block of `version`, read once (one getAll). */
export async function readPackedEmbeddings(db: StudioDb, version: string): Promise<PackedEmbeddings> {
  return mergeBlocks(version, await db.getAllFromIndex(BLOCK_STORE, 'byVersion', version));
}

/** The packed rows as StoredEmbedding rows (vectors are views into the packed arrays, not copies). */
export function packedToRows(p: PackedEmbeddings): StoredEmbedding[] {
  const out: StoredEmbedding[] = [];
  for (const [modality, r] of p.byModality) {
    r.ids.forEach((id, i) => out.push({ version: p.version, id, modality, vector: r.vectors.subarray(i * r.dim, (i + 1) * r.dim) }));
  }
  return out;
}

/** Whether rewriting would shrink the version's blocks (duplicates, or more blocks than full ones need). */
export function needsCompaction(p: PackedEmbeddings): boolean {
  let distinct = 0;
  let fullBlocks = 0;
  for (const r of p.byModality.values()) {
    distinct += r.ids.length;
    fullBlocks += Math.ceil(r.ids.length / BLOCK_ROWS);
  }
  return p.storedRows > distinct || p.blocks > fullBlocks;
}

/** Deletes every block of `version` through a raw store of a readwrite transaction (cursor over the version index). */
export function deleteBlocksOfVersion(store: IDBObjectStore, version: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = store.index('byVersion').openCursor(IDBKeyRange.only(version));
    req.onsuccess = () => {
      const c = req.result;
      if (!c) return resolve();
      c.delete();
      c.continue();
    };
    req.onerror = () => reject(req.error);
  });
}

/**
 * Rewrites the version's blocks as full, duplicate-free blocks when that shrinks them; one readwrite
 * transaction (its own reads, then deletes and adds), so concurrent writers are ordered before or after.
 */
export async function compactEmbeddings(db: StudioDb, version: string): Promise<boolean> {
  const tx = db.transaction(BLOCK_STORE, 'readwrite');
  try {
    const idx = tx.store.index('byVersion');
    const [blocks, keys] = await Promise.all([idx.getAll(version), idx.getAllKeys(version)]);
    const packed = mergeBlocks(version, blocks);
    if (!needsCompaction(packed)) {
      await tx.done;
      return false;
    }
    const fresh = packBlocks(packedToRows(packed));
    await Promise.all([...keys.map((k) => tx.store.delete(k)), ...fresh.map((b) => tx.store.add(b)), tx.done]);
    return true;
  } catch (e) {
    try {
      tx.abort();
    } catch {
      // already finished
    }
    await tx.done.catch(() => undefined);
    throw e;
  }
}

/** Appends rows as new blocks in one transaction. */
export const putEmbeddingBlocks = (db: StudioDb, rows: readonly StoredEmbedding[]): Promise<void> =>
  writeTx(db, [BLOCK_STORE], (tx, q) => packBlocks(rows).forEach((b) => q(tx.objectStore(BLOCK_STORE).add(b))));
