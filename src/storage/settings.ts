// Repository of small settings in the "kv" store (active model version, backend choice, persist flag).
import type { StudioDb } from './db';
import { writeTx } from './db';

/** Known keys and their value types. */
export interface SettingValues {
  activeVersion: string;
  backendChoice: 'auto' | 'webgpu' | 'wasm' | 'cpu';
  persistRequested: boolean;
}
export type SettingKey = keyof SettingValues;

export async function getSetting<K extends SettingKey>(db: StudioDb, key: K): Promise<SettingValues[K] | undefined> {
  const row = await db.get('kv', key);
  return row?.value as SettingValues[K] | undefined;
}

export const setSetting = <K extends SettingKey>(db: StudioDb, key: K, value: SettingValues[K]): Promise<void> =>
  writeTx(db, ['kv'], (tx) => [tx.objectStore('kv').put({ key, value })]);
