// Paged reads of the stored model inputs (ECG signals, CXR images) in key order, `batch` rows at a time,
// so re-embedding a big library keeps memory flat. One reader for both stores.
import type { StudioDb } from './db';

export async function* pagedInputs(db: StudioDb, store: 'signals' | 'images', batch: number): AsyncGenerator<{ id: string; input: Float32Array }[]> {
  let lower: string | undefined;
  for (;;) {
    const range = lower === undefined ? undefined : IDBKeyRange.lowerBound(lower, true);
    const rows = await db.getAll(store, range, batch);
    if (rows.length === 0) return;
    yield rows.map((r) => ({ id: r.id, input: r.input }));
    lower = rows[rows.length - 1].id;
    if (rows.length < batch) return;
  }
}
