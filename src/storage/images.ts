// Repository of CXR images: a small thumbnail for lists and the model input for re-embedding.
import type { StudioDb } from './db';
import type { StoredImage } from './types';

export const getImage = (db: StudioDb, id: string): Promise<StoredImage | undefined> => db.get('images', id);

export async function getThumb(db: StudioDb, id: string): Promise<Blob | undefined> {
  return (await db.get('images', id))?.thumb;
}

/** Iterates model inputs in key order, `batch` rows at a time. */
export async function* imageInputs(db: StudioDb, batch: number): AsyncGenerator<{ id: string; input: Float32Array }[]> {
  let lower: string | undefined;
  for (;;) {
    const range = lower === undefined ? undefined : IDBKeyRange.lowerBound(lower, true);
    const rows = await db.getAll('images', range, batch);
    if (rows.length === 0) return;
    yield rows.map((r) => ({ id: r.id, input: r.input }));
    lower = rows[rows.length - 1].id;
    if (rows.length < batch) return;
  }
}
