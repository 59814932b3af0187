// The explorer worker's typed API (a MethodMap for rpc-client / rpc-worker) and the data it returns.
// Vectors stay in the worker; the page gets the point table, map coordinates and neighbour lists.
import type { ProjectionMethod } from '../../model/projection/project';
import type { MethodSpecs } from '../shared/worker-client';

export type { ProjectionMethod };
export type PointKind = 'ecg' | 'cxr' | 'text';
export const POINT_KINDS: readonly PointKind[] = ['ecg', 'cxr', 'text'];

/** Every point of the map in a column layout (row i is point i in every column and in every result). */
export interface ExplorerPoints {
  version: string;
  /** Hash of the sorted point ids: with version, it keys cached projections. */
  itemSetHash: string;
  n: number;
  embedDim: number;
  /** Item id, or "text:<text>" for a text point. */
  ids: string[];
  /** Index into POINT_KINDS per point. */
  kind: Uint8Array;
  /** Item's dataset; for a text, the dataset of the items that carry it ('' when none). */
  dataset: string[];
  /** Item labels; for a text, the union of the labels of the items that carry it. */
  labels: string[][];
  /** Item report text, or the text itself. */
  text: string[];
  sourceName: string[];
  split: string[];
  /** For a text: how many items carry it; 1 for items. */
  count: Uint32Array;
  /** Metadata columns (union of items' meta keys), null where a point has no value. */
  meta: Record<string, (string | number | null)[]>;
  /** Embeddings whose item row is missing (counted, still drawn as their modality). */
  orphans: number;
}

export interface ProjectionParams {
  method: ProjectionMethod;
  dims: 2 | 3;
  seed?: number;
}

export interface ProjectionResult {
  method: ProjectionMethod;
  dims: 2 | 3;
  /** [n, dims] row-major, same order as ExplorerPoints. */
  coords: Float32Array;
  nFit: number;
  explained?: number[];
  /** Came from the cache (memory or IndexedDB) rather than being computed now. */
  cached: boolean;
  elapsedMs: number;
}

export interface NeighbourHit {
  index: number;
  similarity: number;
}

export type NeighbourLists = Record<PointKind, NeighbourHit[]>;

export interface QueryResult {
  /** Where the query lands on the current map [dims]. */
  position: number[];
  neighbours: NeighbourLists;
}

export interface ExportFile {
  name: string;
  blob: Blob;
}

export interface ProjectionProgressMsg {
  done: number;
  total: number;
  phase: string;
}

export type ExplorerMethods = {
  /** Reads the library's embeddings of `version` (and their items) and keeps the vectors in the worker. */
  /** version: the model version to show; absent, the active one (read from storage, no encoders built). */
  load: { params: { version?: string }; result: ExplorerPoints };
  project: { params: ProjectionParams; result: ProjectionResult; progress: ProjectionProgressMsg };
  /** Nearest points of each kind to point `index` by cosine in the full embedding space (self excluded). */
  neighbours: { params: { index: number; k: number }; result: NeighbourLists };
  /** A query vector (e.g. an embedded text): its neighbours and its position on the given map. */
  query: { params: { vector: Float32Array; k: number; method: ProjectionMethod; dims: 2 | 3 }; result: QueryResult };
  /** Embedding Projector files (vectors.tsv + metadata.tsv) or .npy (+ ids .tsv) of all or some points. */
  exportEmbeddings: { params: { format: 'projector' | 'npy'; indices?: number[] }; result: ExportFile[] };
  /** CSV of ids and metadata of the given points. */
  exportSelection: { params: { indices: number[] }; result: ExportFile };
};

/** How the client calls each explorer method. Progress resets the inactivity timer; UMAP's neighbour graph can take a while before the first epoch. */
export const explorerMethods = {
  load: { idempotent: true },
  project: { idempotent: true, job: true, timeoutMs: 300_000 },
  neighbours: { idempotent: true },
  query: { idempotent: true },
  exportEmbeddings: { idempotent: true },
  exportSelection: { idempotent: true },
} as const satisfies MethodSpecs<ExplorerMethods>;
