// The engine worker's method map: the typed contract shared by engine.worker.ts and client.ts.
import type {
  BackendChoice,
  BackendInfo,
  EcgForPlot,
  IngestReport,
  InterruptedJob,
  LibraryStats,
  PageFile,
  Progress,
  SearchResults,
  StudioEvent,
  ImportEmbeddingsReport,
} from '../api';

export type EngineMethods = {
  backend: { params: null; result: BackendInfo };
  /** Persists the choice; the client then replaces the worker so the new backend starts clean. */
  saveBackendChoice: { params: { choice: BackendChoice }; result: null };
  ingest: { params: { files: PageFile[] }; result: IngestReport; progress: Progress };
  loadDemo: { params: null; result: IngestReport; progress: Progress };
  stats: { params: null; result: LibraryStats };
  clearLibrary: { params: null; result: null };
  searchFiles: { params: { files: PageFile[]; k: number }; result: SearchResults };
  searchText: { params: { text: string; k: number }; result: SearchResults };
  getEcg: { params: { id: string }; result: EcgForPlot };
  getThumb: { params: { id: string }; result: Blob };
  embedText: { params: { text: string }; result: Float32Array };
  activeVersion: { params: null; result: string };
  interruptedJobs: { params: null; result: InterruptedJob[] };
  importEmbeddings: { params: { files: PageFile[] }; result: ImportEmbeddingsReport };
};

/** Events the engine emits (a subset of StudioEvent; 'worker-restarted' comes from the client). */
export type EngineEvent = Exclude<StudioEvent, { type: 'worker-restarted' }>;

/** Worker name prefix; the name carries the forced backend choice so a respawned worker keeps it. */
export const ENGINE_NAME_PREFIX = 'medbind-engine';

export function engineWorkerName(forced: BackendChoice | null): string {
  return forced ? `${ENGINE_NAME_PREFIX}?backend=${forced}` : ENGINE_NAME_PREFIX;
}

const CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm', 'cpu'];
export const isBackendChoice = (s: unknown): s is BackendChoice => typeof s === 'string' && (CHOICES as readonly string[]).includes(s);

/** Reads the forced backend from a worker name or a query string ("?backend=wasm"). */
export function parseBackendParam(s: string | null | undefined): BackendChoice | null {
  if (!s) return null;
  const q = s.includes('?') ? s.slice(s.indexOf('?')) : s;
  const v = new URLSearchParams(q).get('backend');
  return isBackendChoice(v) ? v : null;
}
