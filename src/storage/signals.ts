// Repository of ECG signals: the display copy for plots and the model input for re-embedding.
import type { StudioDb } from './db';
import { pagedInputs } from './paged';
import type { StoredSignal } from './types';

export const getSignal = (db: StudioDb, id: string): Promise<StoredSignal | undefined> => db.get('signals', id);

/** Model inputs in key order, `batch` rows at a time (see paged.ts). */
export const signalInputs = (db: StudioDb, batch: number) => pagedInputs(db, 'signals', batch);
