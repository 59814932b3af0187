// The idb DBSchema of database "medbind-studio", built from the row types in ./types.
import type { DBSchema } from 'idb';
import type {
  StoredEmbedding,
  StoredImage,
  StoredItem,
  StoredModelVersion,
  StoredProjection,
  StoredPromptSet,
  StoredSetting,
  StoredSignal,
} from './types';

export const DB_NAME = 'medbind-studio';

export interface StudioSchema extends DBSchema {
  items: { key: string; value: StoredItem; indexes: { byModality: string; byDataset: string; byContentHash: string; byDicomUid: string } };
  signals: { key: string; value: StoredSignal };
  images: { key: string; value: StoredImage };
  embeddings: { key: [string, string]; value: StoredEmbedding; indexes: { byVersion: string } };
  versions: { key: string; value: StoredModelVersion };
  promptSets: { key: string; value: StoredPromptSet };
  projections: { key: string; value: StoredProjection; indexes: { byVersion: string } };
  kv: { key: string; value: StoredSetting };
}

export type StoreName = 'items' | 'signals' | 'images' | 'embeddings' | 'versions' | 'promptSets' | 'kv' | 'projections';
