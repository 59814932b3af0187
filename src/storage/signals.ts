// Repository of ECG signals: the display copy for plots and the model input for re-embedding.
import type { StudioDb } from './db';
import type { StoredSignal } from './types';

export const getSignal = (db: StudioDb, id: string): Promise<StoredSignal | undefined> => db.get('signals', id);

/** Iterates model inputs in key order, `batch` rows at a time (keeps memory flat for big libraries). */
export async function* signalInputs(db: StudioDb, batch: number): AsyncGenerator<{ id: string; input: Float32Array }[]> {
  let lower: string | undefined;
  for (;;) {
    const range = lower === undefined ? undefined : IDBKeyRange.lowerBound(lower, true);
    const rows = await db.getAll('signals', range, batch);
    if (rows.length === 0) return;
    yield rows.map((r) => ({ id: r.id, input: r.input }));
    lower = rows[rows.length - 1].id;
    if (rows.length < batch) return;
  }
}
