// The idb DBSchema of database "medbind-studio", built from the row types in ./types.
import type { DBSchema } from 'idb';
import type {
  StoredEmbedding,
  StoredEmbeddingBlock,
  StoredImage,
  StoredItem,
  StoredItemSummaryBlock,
  StoredModelVersion,
  StoredProjection,
  StoredPromptSet,
  StoredSetting,
  StoredSignal,
} from './types';

export const DB_NAME = 'medbind-studio';

export interface StudioSchema extends DBSchema {
  items: { key: string; value: StoredItem; indexes: { byModality: string; byDataset: string; byContentHash: string; byDicomUid: string } };
  itemSummaries: { key: number; value: StoredItemSummaryBlock };
  signals: { key: string; value: StoredSignal };
  images: { key: string; value: StoredImage };
  /** Legacy (schema 1-3): one record per row; migration 4 packs it into embeddingBlocks and deletes it. */
  embeddings: { key: [string, string]; value: StoredEmbedding; indexes: { byVersion: string } };
  embeddingBlocks: { key: number; value: StoredEmbeddingBlock; indexes: { byVersion: string } };
  versions: { key: string; value: StoredModelVersion };
  promptSets: { key: string; value: StoredPromptSet };
  projections: { key: string; value: StoredProjection; indexes: { byVersion: string } };
  kv: { key: string; value: StoredSetting };
}

export type StoreName = 'items' | 'itemSummaries' | 'signals' | 'images' | 'embeddingBlocks' | 'versions' | 'promptSets' | 'kv' | 'projections';
