// The engine worker's method map: each method's types and, beside them, how the client calls it
// (idempotent, timeout, job). engine.worker.ts serves it, client.ts derives its calls from it.
import type {
  ActivateReport,
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
import type { MethodSpecs } from '../shared/worker-client';

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
  /** Makes a version active and embeds what the library lacks for it (the engine alone does). */
  activateVersion: { params: { version: string }; result: ActivateReport; progress: Progress };
  interruptedJobs: { params: null; result: InterruptedJob[] };
  importEmbeddings: { params: { files: PageFile[] }; result: ImportEmbeddingsReport };
};

/** How the client calls each engine method. Ingest skips stored items, so re-running it after a crash continues. */
export const engineMethods = {
  backend: { idempotent: true },
  saveBackendChoice: { idempotent: true },
  ingest: { idempotent: true, job: true },
  loadDemo: { idempotent: true, job: true },
  stats: { idempotent: true },
  clearLibrary: { idempotent: true },
  searchFiles: { idempotent: true },
  searchText: { idempotent: true },
  getEcg: { idempotent: true },
  getThumb: { idempotent: true },
  embedText: { idempotent: true },
  activeVersion: { idempotent: true },
  interruptedJobs: { idempotent: true },
  activateVersion: { idempotent: true, job: true },
  importEmbeddings: { idempotent: true, timeoutMs: 0 },
} as const satisfies MethodSpecs<EngineMethods>;

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
