// Item embeddings of one model version for the lab: read from the packed embedding blocks, and any missing
// ones computed from the stored model inputs and written back (so a version's library fills as it is used).
import type { Modality } from '../../formats/types';
import type { MedbindEncoders } from '../../model/types';
import type { StudioDb } from '../../storage/db';
import { putEmbeddings } from '../../storage/embeddings';
import { packedToRows, readPackedEmbeddings } from '../../storage/embedding-blocks';
import type { StoredEmbedding, StoredItem } from '../../storage/types';
import { cancelled } from '../shared/errors';
import { embedInputs } from '../shared/embed-rows';

/** Stored model inputs of items in order (null where an item has none). One read transaction. */
export async function modelInputs(db: StudioDb, items: readonly StoredItem[]): Promise<(Float32Array | null)[]> {
  const tx = db.transaction(['signals', 'images']);
  const sig = tx.objectStore('signals');
  const img = tx.objectStore('images');
  const rows = await Promise.all([...items.map((it) => (it.modality === 'ecg' ? sig.get(it.id) : img.get(it.id))), tx.done]);
  return rows.slice(0, items.length).map((r) => (r && 'input' in r ? (r.input as Float32Array) : null));
}

async function storedVectors(db: StudioDb, version: string, ids: readonly string[]): Promise<(Float32Array | null)[]> {
  const byId = new Map(packedToRows(await readPackedEmbeddings(db, version)).map((r) => [r.id, r.vector]));
  return ids.map((id) => byId.get(id) ?? null);
}

export interface VectorsResult {
  /** [nKept, d] in the order of `kept`. */
  vectors: Float32Array;
  /** Items that have a vector (items without a stored embedding and without a model input are dropped). */
  kept: StoredItem[];
  computed: number;
}

/**
 * Vectors of `items` for the encoders' version; missing ones are embedded from stored inputs in batches
 * and saved. Cancellable between batches through `signal`.
 */
export async function itemVectors(
  db: StudioDb,
  enc: MedbindEncoders,
  items: readonly StoredItem[],
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; batchSize?: number } = {},
): Promise<VectorsResult> {
  const d = enc.embedDim;
  const have = await storedVectors(db, enc.version, items.map((it) => it.id));
  const missing = items.map((it, i) => (have[i] ? -1 : i)).filter((i) => i >= 0);
  const batch = Math.max(1, opts.batchSize ?? 32);
  let computed = 0;
  opts.onProgress?.(0, missing.length);
  for (let s = 0; s < missing.length; s += batch) {
    if (opts.signal?.aborted) throw cancelled();
    const idx = missing.slice(s, s + batch);
    const inputs = await modelInputs(db, idx.map((i) => items[i]));
    for (const modality of ['ecg', 'cxr'] as Modality[]) {
      const part = idx.map((i, j) => ({ i, input: inputs[j] })).filter((r) => r.input && items[r.i].modality === modality);
      if (part.length === 0) continue;
      const vectors = await embedInputs(enc, modality, part.map((r) => r.input!));
      const rows: StoredEmbedding[] = part.map((r, j) => ({ version: enc.version, id: items[r.i].id, modality, vector: vectors[j] }));
      await putEmbeddings(db, rows);
      part.forEach((r, j) => (have[r.i] = rows[j].vector));
      computed += rows.length;
    }
    opts.onProgress?.(Math.min(missing.length, s + batch), missing.length);
  }
  const kept: StoredItem[] = [];
  const keptVecs: Float32Array[] = [];
  items.forEach((it, i) => {
    const v = have[i];
    if (v && v.length === d) {
      kept.push(it);
      keptVecs.push(v);
    }
  });
  const vectors = new Float32Array(kept.length * d);
  keptVecs.forEach((v, i) => vectors.set(v, i * d));
  return { vectors, kept, computed };
}
