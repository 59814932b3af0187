// Typed shape of everything the app keeps in IndexedDB (database "medbind-studio").
// Embeddings are keyed by model version so vectors from different weights never mix.
import type { Modality, Split } from '../formats/types';

/** Store "items": one row per library item (metadata only; big arrays live in "signals"/"images"). */
export interface StoredItem {
  id: string; // "<dataset>/<record>" or "user/<path>"
  modality: Modality;
  dataset: string;
  sourceName: string; // file name shown to the user
  labels: string[];
  text: string; // constructed report / findings text
  split: Split;
  meta: Record<string, string | number>;
  addedAt: number; // ms since epoch
  /**
   * SHA-256 (hex) of the bytes of the files that make the item (see formats/identity/content-hash.ts).
   * Absent on items stored before content identity until the same file is dropped again.
   */
  contentHash?: string;
  /** DICOM SOP Instance UID, the second identity key of DICOM images. */
  dicomUid?: string;
  /** The loader's patient grouping key (patient-disjoint splits); absent in items stored before it was kept. */
  patientKey?: string;
}

/** Store "signals" (ECG only), key = item id. Display copy for plotting plus the model input. */
export interface StoredSignal {
  id: string;
  /** Display copy: 12 leads in standard order, fsHz as stored (<= 500), mV. Missing leads are NaN-filled. */
  fsHz: number;
  nSamples: number;
  leads: Float32Array[];
  /** Present when the record has leads without a standard position: the 12 standard names, then theirs. */
  leadNames?: string[];
  /** Model input [12*1000] after preprocessEcg. */
  input: Float32Array;
}

/** Store "images" (CXR only), key = item id. */
export interface StoredImage {
  id: string;
  /** Small preview (e.g. 128 px PNG/JPEG) for lists and hovers. */
  thumb: Blob;
  /** Model input [224*224] after preprocessCxr. */
  input: Float32Array;
}

/** One embedding row (stored inside blocks; store "embeddings" held one record per row up to schema 3). */
export interface StoredEmbedding {
  version: string;
  id: string;
  modality: Modality | 'text';
  vector: Float32Array; // 256, L2-normalised
}

/**
 * Store "embeddingBlocks", key = seq (auto-increment, so later blocks sort after earlier ones); index
 * "byVersion". Up to BLOCK_ROWS rows of one version and modality: ids[i] owns vectors[i*dim .. (i+1)*dim).
 */
export interface StoredEmbeddingBlock {
  seq?: number;
  version: string;
  modality: Modality | 'text';
  dim: number;
  ids: string[];
  vectors: Float32Array;
}

/**
 * Store "itemSummaries", key = seq (auto-increment): packed copies of up to 4096 item records (see
 * item-summaries.ts). ids[i], sourceName[i] and addedAt[i] are row i; each other column holds, per row, an
 * index into dict (labels, meta and rest as JSON text).
 */
export interface StoredItemSummaryBlock {
  seq?: number;
  ids: string[];
  sourceName: string[];
  modality: Uint32Array;
  dataset: Uint32Array;
  split: Uint32Array;
  text: Uint32Array;
  labels: Uint32Array;
  meta: Uint32Array;
  /** JSON of the item's other fields (contentHash, dicomUid, patientKey...), "{}" when none. */
  rest: Uint32Array;
  addedAt: Float64Array;
  dict: string[];
}

/** Store "versions": the shipped model plus fine-tuned descendants. key = id. */
export interface StoredModelVersion {
  id: string; // shipped: manifest.version; fine-tuned: "ft-<timestamp>"
  name: string;
  parent: string | null; // lineage
  createdAt: number;
  /** Settings, data description, metrics of the run that made it. */
  lineage: Record<string, unknown>;
  /** For fine-tuned versions: the tfjs weight files (name -> bytes) and their sha256. Absent for the shipped one. */
  files?: { name: string; bytes: Uint8Array; sha256: string }[];
}

/** Store "promptSets", key = id. */
export interface StoredPromptSet {
  id: string;
  name: string;
  modality: Modality;
  /** labels: the library label values that count as this class (default: the class name itself). */
  classes: { name: string; templates: string[]; labels?: string[] }[];
  updatedAt: number;
}

/** Store "kv": small settings (active version, backend choice, persisted flag). */
export interface StoredSetting {
  key: string;
  value: unknown;
}

/** Store "projections", key = key: an explorer map cached per (version, item-set hash, method, dims, seed). */
export interface StoredProjection {
  key: string;
  version: string;
  itemSetHash: string;
  method: 'pca' | 'umap' | 'tsne';
  dims: 2 | 3;
  seed: number;
  /** [n, dims] row-major, points sorted by id. */
  coords: Float32Array;
  nFit: number;
  explained?: number[];
  createdAt: number;
}
