// Packed copies of the item records: up to SUMMARY_BLOCK_ROWS items per IndexedDB record, so a 100k-item
// library is read as a few dozen records instead of 100k objects (the explorer's point table, library
// statistics, every allItems). Repeated values (modality, dataset, split, text, label sets, metadata) are
// stored once per block in a dictionary and referenced by index; the fields the explorer does not show
// (content keys, patient key) travel as one JSON text per item, parsed only by full-item readers. Every
// write of "items" appends a block in the same transaction (library.ts, items.ts, identity.ts); a later
// block's row for an id supersedes an earlier one. Readers fall back to the item records whenever the
// copies do not cover exactly the stored items (a database written by something else).
import type { StudioDb } from './db';
import type { StoredItem, StoredItemSummaryBlock } from './types';

export const SUMMARY_STORE = 'itemSummaries';
export const SUMMARY_BLOCK_ROWS = 4096;

/** The fields of an item the explorer needs. */
export type ItemSummary = Pick<StoredItem, 'id' | 'modality' | 'dataset' | 'sourceName' | 'labels' | 'text' | 'split' | 'meta'>;

const SHOWN = new Set(['id', 'modality', 'dataset', 'sourceName', 'labels', 'text', 'split', 'meta', 'addedAt']);

/** The fields of an item beyond the shown ones and addedAt, as JSON ("{}" when none). */
const restJson = (it: ItemSummary | StoredItem): string => {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(it)) if (!SHOWN.has(k) && v !== undefined) rest[k] = v;
  return JSON.stringify(rest);
};

/** Packs items (in order) into blocks of at most SUMMARY_BLOCK_ROWS rows. */
export function packItemSummaries(items: readonly StoredItem[]): StoredItemSummaryBlock[] {
  const out: StoredItemSummaryBlock[] = [];
  for (let s = 0; s < items.length; s += SUMMARY_BLOCK_ROWS) {
    const part = items.slice(s, s + SUMMARY_BLOCK_ROWS);
    const dict: string[] = [];
    const at = new Map<string, number>();
    const ref = (v: string) => {
      let i = at.get(v);
      if (i === undefined) at.set(v, (i = dict.push(v) - 1));
      return i;
    };
    const col = (f: (it: StoredItem) => string) => Uint32Array.from(part, (it) => ref(f(it)));
    out.push({
      ids: part.map((it) => it.id),
      sourceName: part.map((it) => it.sourceName),
      modality: col((it) => it.modality),
      dataset: col((it) => it.dataset),
      split: col((it) => it.split),
      text: col((it) => it.text),
      labels: col((it) => JSON.stringify(it.labels ?? [])),
      meta: col((it) => JSON.stringify(it.meta ?? {})),
      rest: col(restJson),
      addedAt: Float64Array.from(part, (it) => it.addedAt),
      dict,
    });
  }
  return out;
}

const COLUMNS = ['modality', 'dataset', 'split', 'text', 'labels', 'meta', 'rest'] as const;

/** Rows of blocks (in key order), one per id, a later row replacing an earlier; throws on a malformed block. */
export function unpackItemSummaries(blocks: readonly StoredItemSummaryBlock[]): ItemSummary[] {
  return unpack(blocks, false);
}

/** The full item records of blocks (as unpackItemSummaries, with addedAt and the other fields). */
export function unpackItems(blocks: readonly StoredItemSummaryBlock[]): StoredItem[] {
  return unpack(blocks, true) as StoredItem[];
}

function unpack(blocks: readonly StoredItemSummaryBlock[], full: boolean): (ItemSummary | StoredItem)[] {
  const at = new Map<string, number>();
  const out: (ItemSummary | StoredItem)[] = [];
  for (const b of blocks) {
    const n = b.ids.length;
    const bad = COLUMNS.find((c) => !(b[c] instanceof Uint32Array) || b[c].length !== n || b[c].some((i) => i >= b.dict.length));
    const badRow = b.sourceName.length !== n ? 'sourceName' : !(b.addedAt instanceof Float64Array) || b.addedAt.length !== n ? 'addedAt' : null;
    if (bad || badRow) {
      throw new Error(`${SUMMARY_STORE}: block ${b.seq ?? '?'} has a bad "${bad ?? badRow}" column for its ${n} ids`);
    }
    // Parsed once per distinct value; rows with the same label set or metadata share one object.
    const parsed = new Map<number, unknown>();
    const json = <T>(i: number): T => {
      if (!parsed.has(i)) parsed.set(i, JSON.parse(b.dict[i]));
      return parsed.get(i) as T;
    };
    for (let r = 0; r < n; r++) {
      const shown: ItemSummary = {
        id: b.ids[r],
        modality: b.dict[b.modality[r]] as ItemSummary['modality'],
        dataset: b.dict[b.dataset[r]],
        sourceName: b.sourceName[r],
        labels: json<string[]>(b.labels[r]),
        text: b.dict[b.text[r]],
        split: b.dict[b.split[r]] as ItemSummary['split'],
        meta: json<ItemSummary['meta']>(b.meta[r]),
      };
      // The other fields are per item (content hashes): parsed into a fresh object, never shared.
      const row: ItemSummary | StoredItem = full ? { ...shown, addedAt: b.addedAt[r], ...(JSON.parse(b.dict[b.rest[r]]) as object) } : shown;
      const i = at.get(row.id);
      if (i === undefined) at.set(row.id, out.push(row) - 1);
      else out[i] = row;
    }
  }
  return out;
}

/**
 * The explorer's view of every stored item: the packed summaries (one getAll) when they cover exactly the
 * stored items (same count, read in the same transaction), else the item records themselves.
 */
export async function readItemSummaries(db: StudioDb): Promise<{ items: ItemSummary[]; packed: boolean; blocks: number }> {
  if (db.objectStoreNames.contains(SUMMARY_STORE)) {
    const tx = db.transaction([SUMMARY_STORE, 'items']);
    const [blocks, count] = await Promise.all([tx.objectStore(SUMMARY_STORE).getAll(), tx.objectStore('items').count(), tx.done]);
    const items = unpackItemSummaries(blocks);
    if (items.length === count) return { items, packed: true, blocks: blocks.length };
  }
  return { items: await db.getAll('items'), packed: false, blocks: 0 };
}

/** Every stored item record in id order: from the packed copies when they cover exactly the stored items. */
export async function readAllItems(db: StudioDb): Promise<StoredItem[]> {
  if (db.objectStoreNames.contains(SUMMARY_STORE)) {
    const tx = db.transaction([SUMMARY_STORE, 'items']);
    const [blocks, count] = await Promise.all([tx.objectStore(SUMMARY_STORE).getAll(), tx.objectStore('items').count(), tx.done]);
    const items = unpackItems(blocks);
    if (items.length === count) return items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
  return db.getAll('items');
}

/**
 * Rewrites the summaries as full, duplicate-free blocks when that shrinks them (many small ingest
 * batches); one readwrite transaction, so a concurrent ingest batch lands before or after it.
 */
export async function compactItemSummaries(db: StudioDb): Promise<boolean> {
  const tx = db.transaction(SUMMARY_STORE, 'readwrite');
  try {
    const [blocks, keys] = await Promise.all([tx.store.getAll(), tx.store.getAllKeys()]);
    const rows = unpackItems(blocks);
    const stored = blocks.reduce((s, b) => s + b.ids.length, 0);
    if (stored === rows.length && blocks.length <= Math.ceil(rows.length / SUMMARY_BLOCK_ROWS)) {
      await tx.done;
      return false;
    }
    await Promise.all([...keys.map((k) => tx.store.delete(k)), ...packItemSummaries(rows).map((b) => tx.store.add(b)), tx.done]);
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
