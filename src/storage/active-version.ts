// The model version search uses, read from storage alone: the "activeVersion" setting when it names a
// stored version, else the shipped weights. Readers that only need the id (the explorer) use it instead of
// asking the engine, which would first build the encoders.
import type { StudioDb } from './db';
import { getSetting } from './settings';
import { getVersion } from './versions';

export async function activeVersionId(db: StudioDb, shippedVersion: string): Promise<string> {
  const v = await getSetting(db, 'activeVersion');
  if (!v || v === shippedVersion) return shippedVersion;
  return (await getVersion(db, v)) ? v : shippedVersion;
}
