// Repository of CXR images: a small thumbnail for lists and the model input for re-embedding.
import type { StudioDb } from './db';
import { pagedInputs } from './paged';
import type { StoredImage } from './types';

export const getImage = (db: StudioDb, id: string): Promise<StoredImage | undefined> => db.get('images', id);

export async function getThumb(db: StudioDb, id: string): Promise<Blob | undefined> {
  return (await db.get('images', id))?.thumb;
}

/** Model inputs in key order, `batch` rows at a time (see paged.ts). */
export const imageInputs = (db: StudioDb, batch: number) => pagedInputs(db, 'images', batch);
