// The app-facing contract of the engine worker: what React may ask for and what comes back.
// App state reaches the workers only through src/app/state/clients.ts (this file's types, the clients'
// types, import type from storage); never tfjs.
import type { Modality } from '../formats/types';
import type { BackendName } from '../model/types';

export type BackendChoice = 'auto' | BackendName;

export interface BackendInfo {
  backend: BackendName;
  /** e.g. "nvidia / ampere" or "google / swiftshader"; null when not WebGPU. */
  adapter: string | null;
  /** Why this backend runs (e.g. "WebGPU adapter is a software fallback (SwiftShader); using wasm"). */
  reason: string;
  forced: boolean;
}

export interface Progress {
  done: number;
  total: number;
  itemsPerSec: number;
  etaSec: number | null;
  phase: string;
}

/** A file handed from the page to a worker (File objects structured-clone cheaply). */
export interface PageFile {
  /** Relative path, from webkitRelativePath or the drag-and-drop entry path, else the file name. */
  path: string;
  file: Blob;
}

export interface IngestReport {
  added: number;
  skipped: number; // already present
  errors: { file: string; message: string }[];
  cancelled: boolean;
  /** One line per file (or per record of several files) the user gave, whatever became of it. */
  lines?: ReportLine[];
  /** Set when the browser's storage filled up part-way: what was saved before the limit. */
  storageFull?: { savedItems: number; notSavedFiles: string[] } | null;
}

/** added | already in the library | damaged | unreadable | skipped (with why) | not saved (storage full) | read as a table. */
export type FileStatus = 'added' | 'already' | 'damaged' | 'unreadable' | 'skipped' | 'not-saved' | 'read';

export interface ReportLine {
  /** The file, or the files of one record joined with " + ". */
  file: string;
  status: FileStatus;
  /** A sentence: "already in the library (as IM-0001.png)", "damaged: CRC mismatch in IDAT chunk (byte 33)". */
  message: string;
}

/** A long job that a reload, a crash or a killed browser cut short, found on the next start. */
export interface InterruptedJob {
  kind: 'ingest' | 'reembed' | 'finetune';
  label: string;
  done: number;
  total: number;
  startedAt: number;
  /** What the user is told, e.g. "the last ingest stopped at 128 of 387 items; drop the folder again to finish — stored items are skipped". */
  message: string;
}

/** What an embeddings import (training/embed.py output) did: vectors written and entries without an item. */
export interface ImportEmbeddingsReport {
  modelVersion: string;
  /** Vectors written, and how their items were found. */
  imported: number;
  byContentHash: number;
  byId: number;
  /** Entries with no library item (first 50 named, with the reason). */
  unmatched: number;
  unmatchedExamples: { id: string; reason: string }[];
}

export interface LibraryStats {
  total: number;
  byModality: Record<Modality, number>;
  /** label -> count, per modality */
  byLabel: Record<Modality, Record<string, number>>;
  byDataset: Record<string, number>;
  storageBytes: number | null;
  storageQuotaBytes: number | null;
  modelVersion: string;
}

export interface ItemHit {
  id: string;
  modality: Modality;
  dataset: string;
  sourceName: string;
  labels: string[];
  text: string;
  similarity: number; // cosine
}

export interface TextHit {
  text: string;
  similarity: number;
  /** how many library items carry this exact text */
  count: number;
}

/** How the model read one word of a text query (see Tokenizer.analyze). */
export interface QueryWord {
  word: string;
  status: 'word' | 'abbreviation' | 'subword' | 'unknown';
  pieces: string[];
  expansion?: string;
}

export interface SearchResults {
  /** notes: what the search did with the query that the user should know (clipped text, extra files); words: how the model read a text query. */
  query: { kind: Modality | 'text'; name: string; findings: TextHit[]; notes?: string[]; words?: QueryWord[] };
  ecg: ItemHit[];
  cxr: ItemHit[];
  text: TextHit[];
  elapsedMs: number;
}

export interface EcgForPlot {
  id: string;
  fsHz: number;
  leadNames: string[]; // standard order, then any leads without a standard position
  leadsMv: Float32Array[]; // NaN where a lead is missing
  /** From the item's metadata: the whole recording's length and what the reader noted (segment read, dropped channels). */
  durationS?: number;
  notes?: string;
}

/** A long job: settles once (result, error or cancellation) and can be cancelled. */
export interface Job<T> {
  promise: Promise<T>;
  cancel(): void;
}

/** Progress of re-embedding the library for a model version (the engine alone re-embeds). */
export interface ReembedEvent {
  version: string;
  done: number;
  total: number;
  phase: 'running' | 'done' | 'failed';
  /** Why it failed (phase 'failed'). */
  error?: string;
}

/** What activating a model version did: the version now active and the rows embedded for it. */
export interface ActivateReport {
  version: string;
  embedded: number;
}

export type StudioEvent =
  | { type: 'backend'; info: BackendInfo }
  | { type: 'worker-restarted'; reason: string }
  /** Items or vectors changed, in this tab or another one (the counts and the index follow the store). */
  | { type: 'library-changed' }
  /** The active model version changed, in this tab or another one. */
  | { type: 'active-version'; version: string }
  | ({ type: 'reembed' } & ReembedEvent);

/** The main-thread client (src/workers/client.ts) implements this; React uses only this. */
export interface StudioApi {
  backend(): Promise<BackendInfo>;
  /** Re-initialises the engine worker on the chosen backend (persisted as a setting). */
  setBackend(choice: BackendChoice): Promise<BackendInfo>;
  ingest(files: PageFile[], onProgress: (p: Progress) => void): Job<IngestReport>;
  /** Fetches public/demo (same origin) and ingests it. */
  loadDemo(onProgress: (p: Progress) => void): Job<IngestReport>;
  stats(): Promise<LibraryStats>;
  clearLibrary(): Promise<void>;
  /** A CXR (PNG/JPEG/DICOM) or an ECG (.hea with its .dat or .mat) as the query. */
  searchFiles(files: PageFile[], k: number): Promise<SearchResults>;
  searchText(text: string, k: number): Promise<SearchResults>;
  getEcg(id: string): Promise<EcgForPlot>;
  getThumb(id: string): Promise<Blob>;
  /** One text embedded with the active model version: [embedDim], L2-normalised (for the explorer's text queries). */
  embedText(text: string): Promise<Float32Array>;
  /** The model version whose embeddings search uses (shipped manifest version or a fine-tuned id). */
  activeVersion(): Promise<string>;
  /**
   * Makes `version` active (refused, the old one staying active, when it cannot be loaded) and embeds
   * what the library lacks for it; progress also arrives as 'reembed' events. Settles when the library
   * is complete for it, or with the re-embedding's error.
   */
  activateVersion(version: string, onProgress?: (p: Progress) => void): Job<ActivateReport>;
  /** Jobs cut short since the last start (each reported once). */
  interruptedJobs(): Promise<InterruptedJob[]>;
  /** Embeddings made outside the browser (embeddings.json + .npy shards) for the items the library holds. */
  importEmbeddings(files: PageFile[]): Promise<ImportEmbeddingsReport>;
  /** True while an ingest runs (a backend change then waits for it). */
  jobRunning?(): boolean;
  onEvent(cb: (e: StudioEvent) => void): () => void;
  dispose(): void;
}
