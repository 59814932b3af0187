// Repository of saved zero-shot prompt sets.
import type { StudioDb } from './db';
import { writeTx } from './db';
import type { StoredPromptSet } from './types';

export const getPromptSet = (db: StudioDb, id: string): Promise<StoredPromptSet | undefined> => db.get('promptSets', id);
export const allPromptSets = (db: StudioDb): Promise<StoredPromptSet[]> => db.getAll('promptSets');
export const putPromptSet = (db: StudioDb, p: StoredPromptSet): Promise<void> =>
  writeTx(db, ['promptSets'], (tx) => [tx.objectStore('promptSets').put(p)]);
export const deletePromptSet = (db: StudioDb, id: string): Promise<void> =>
  writeTx(db, ['promptSets'], (tx) => [tx.objectStore('promptSets').delete(id)]);
