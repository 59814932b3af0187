// Engine-side app state: backend info, library stats, the ingest (run as the 'ingest' job), the last search,
// notices and the one re-embedding slice. Components read it with useStudio() and change it only through
// the actions below; initStudio() subscribes to the workers' events once, at boot.
import type {
  BackendChoice,
  BackendInfo,
  IngestReport,
  Job,
  LibraryStats,
  PageFile,
  Progress,
  SearchResults,
  StudioApi,
  StudioEvent,
} from '../../workers/api';
import { setClients, studio, subscribeWorkerEvents, type ReembedEvent } from './clients';
import { errorMessage } from './errors';
import { clearItemData } from './itemData';
import { cancelJob, isJobRunning, runJob } from './jobs';
import { handleLabEvent, refreshVersions } from './lab';
import { createStore, useStore } from './store';

export interface IngestState {
  running: boolean;
  /** What is being ingested, e.g. "Demo library" or "12 files". */
  label: string;
  progress: Progress | null;
  report: IngestReport | null;
  error: string | null;
}

export interface SearchState {
  running: boolean;
  /** What the user asked: a file name or the typed text. */
  label: string;
  k: number;
  results: SearchResults | null;
  error: string | null;
  /**
   * The query image (PNG/JPEG queries only), drawn beside the results from the Blob itself: no object URL,
   * so no decoded image stays in the page's image cache after the next query.
   */
  previewImage: Blob | null;
}

export interface Notice {
  id: number;
  kind: 'info' | 'warn' | 'error';
  text: string;
  /** How many times the same message arrived (repeats are merged, not stacked). */
  count: number;
}

export interface StudioState {
  backend: BackendInfo | null;
  backendError: string | null;
  backendBusy: boolean;
  stats: LibraryStats | null;
  statsError: string | null;
  ingest: IngestState;
  search: SearchState;
  notices: Notice[];
  /** Re-embedding of the library for the active model version: running, or failed (with why); null otherwise. */
  reembed: ReembedEvent | null;
  /** Counts the engine's library-changed events, so views holding a copy of the library know to reload it. */
  libraryRevision: number;
}

const initialState: StudioState = {
  backend: null,
  backendError: null,
  backendBusy: false,
  stats: null,
  statsError: null,
  ingest: { running: false, label: '', progress: null, report: null, error: null },
  search: { running: false, label: '', k: 10, results: null, error: null, previewImage: null },
  notices: [],
  reembed: null,
  libraryRevision: 0,
};

const store = createStore<StudioState>(initialState);
let unsubscribe: (() => void) | null = null;
let searchSeq = 0;
let noticeSeq = 0;
export const INGEST_JOB = 'ingest';

export function useStudio<T>(select: (s: StudioState) => T): T {
  return useStore(store, select);
}

export function getStudioState(): StudioState {
  return store.get();
}

/**
 * Boot: subscribes to the workers' events (once) and fetches backend info and stats. Idempotent.
 * `api` replaces the default engine client (another StudioApi implementation, e.g. in tests).
 */
export function initStudio(api?: StudioApi): void {
  if (unsubscribe) return;
  if (api) setClients({ studio: api });
  try {
    unsubscribe = subscribeWorkerEvents({
      studio: handleEvent,
      lab: handleLabEvent,
      reembed: handleReembed,
      explorerRestarted: (reason) => addNotice('warn', `The explorer worker restarted (${reason}); its calls in flight are retried where safe.`),
    });
  } catch (e) {
    store.set({ backendError: errorMessage(e), statsError: errorMessage(e) });
    return;
  }
  void refreshBackend();
  void refreshStats();
  void reportInterruptedJobs();
}

/** Tells the user about jobs that a reload, a crash or a killed browser cut short (once each). */
async function reportInterruptedJobs(): Promise<void> {
  try {
    for (const j of await studio().interruptedJobs()) addNotice('warn', j.message);
  } catch {
    /* the engine's own error reaches the badge and the library view */
  }
}

function handleReembed(e: ReembedEvent): void {
  store.set({ reembed: e.phase === 'done' ? null : e });
  if (e.phase !== 'running') {
    void refreshStats();
    void refreshVersions();
  }
}

function handleEvent(e: Exclude<StudioEvent, { type: 'reembed' }>): void {
  switch (e.type) {
    case 'backend':
      store.set({ backend: e.info, backendError: null });
      break;
    case 'worker-restarted':
      addNotice('warn', `The compute worker restarted (${e.reason}); calls in flight are retried where safe.`);
      void refreshBackend();
      break;
    case 'library-changed':
      store.set((s) => ({ libraryRevision: s.libraryRevision + 1 }));
      void refreshStats();
      break;
    case 'active-version':
      store.set((s) => ({ libraryRevision: s.libraryRevision + 1 })); // the explorer shows the active version's vectors
      void refreshVersions();
      void refreshStats();
      break;
  }
}

export function addNotice(kind: Notice['kind'], text: string): void {
  store.set((s) => {
    const same = s.notices.find((n) => n.text === text && n.kind === kind);
    if (same) return { notices: s.notices.map((n) => (n === same ? { ...n, count: n.count + 1 } : n)) };
    return { notices: [...s.notices.slice(-4), { id: ++noticeSeq, kind, text, count: 1 }] };
  });
}

export function dismissNotice(id: number): void {
  store.set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

export async function refreshBackend(): Promise<void> {
  try {
    store.set({ backend: await studio().backend(), backendError: null });
  } catch (e) {
    store.set({ backendError: errorMessage(e) });
  }
}

export async function chooseBackend(choice: BackendChoice): Promise<void> {
  store.set({ backendBusy: true });
  if (isJobRunning(INGEST_JOB) || studio().jobRunning?.()) addNotice('info', 'The backend changes when the running ingest has finished; the ingest goes on.');
  try {
    store.set({ backend: await studio().setBackend(choice), backendError: null });
  } catch (e) {
    store.set({ backendError: errorMessage(e) });
  } finally {
    store.set({ backendBusy: false });
  }
}

export async function refreshStats(): Promise<void> {
  try {
    store.set({ stats: await studio().stats(), statsError: null });
  } catch (e) {
    store.set({ statsError: errorMessage(e) });
  }
}

function runIngest(label: string, start: (onProgress: (p: Progress) => void) => Job<IngestReport>): void {
  if (isJobRunning(INGEST_JOB)) return; // one ingest at a time; the button is disabled meanwhile
  store.set({ ingest: { running: true, label, progress: null, report: null, error: null } });
  // The report and the library count change in one update (no count of 0 beside "799 added").
  const withStats = async (): Promise<Partial<StudioState>> => {
    try {
      return { stats: await studio().stats(), statsError: null };
    } catch (e) {
      return { statsError: errorMessage(e) };
    }
  };
  void runJob<IngestReport, Progress>(INGEST_JOB, start, {
    label,
    onProgress: (p) => store.set((s) => ({ ingest: { ...s.ingest, progress: p } })),
  }).then(async (j) => {
    const stats = await withStats();
    // A cancelled ingest still reports what it added (its report says cancelled).
    const patch = j.result ? { report: j.result } : { error: j.error ?? 'The ingest was cancelled.' };
    store.set((s) => ({ ...stats, ingest: { ...s.ingest, running: false, ...patch } }));
  });
}

export function startIngest(files: PageFile[]): void {
  if (files.length === 0) return;
  runIngest(files.length === 1 ? files[0].path : `${files.length} files`, (cb) => studio().ingest(files, cb));
}

export function startDemoLoad(): void {
  runIngest('Demo library', (cb) => studio().loadDemo(cb));
}

export function cancelIngest(): void {
  cancelJob(INGEST_JOB);
}

/** Imports embeddings made outside the browser (training/embed.py); returns a one-line summary or throws. */
export async function importEmbeddings(files: PageFile[]): Promise<string> {
  const r = await studio().importEmbeddings(files);
  await refreshStats();
  const how = `${r.byContentHash} matched by content, ${r.byId} by id`;
  const missing = r.unmatched ? `; ${r.unmatched} not in the library (e.g. ${r.unmatchedExamples.slice(0, 3).map((u) => `${u.id}: ${u.reason}`).join('; ')})` : '';
  return `${r.imported} embeddings of ${r.modelVersion} imported (${how})${missing}.`;
}

export async function clearLibrary(): Promise<void> {
  try {
    await studio().clearLibrary();
    clearItemData();
    store.set((s) => ({ ingest: { ...s.ingest, report: null, error: null }, search: { ...s.search, results: null } }));
  } catch (e) {
    addNotice('error', `Could not clear the library: ${errorMessage(e)}`);
  }
  await refreshStats();
}

async function runSearch(
  label: string,
  k: number,
  previewImage: Blob | null,
  call: () => Promise<SearchResults>,
): Promise<void> {
  const seq = ++searchSeq;
  store.set((s) => ({ search: { ...s.search, running: true, label, k, error: null } }));
  const settle = (patch: Partial<SearchState>) => store.set((s) => ({ search: { ...s.search, running: false, ...patch } }));
  try {
    const results = await call();
    if (seq === searchSeq) settle({ label, k, results, error: null, previewImage });
  } catch (e) {
    if (seq === searchSeq) settle({ error: errorMessage(e), results: null, previewImage: null });
  }
}

const PREVIEWABLE = /\.(png|jpe?g)$/i;

export function searchByFiles(files: PageFile[], k: number): Promise<void> {
  const label = files.map((f) => f.path).join(' + ');
  const image = files.length === 1 && PREVIEWABLE.test(files[0].path) ? files[0].file : null;
  return runSearch(label, k, image, () => studio().searchFiles(files, k));
}

export function searchByText(text: string, k: number): Promise<void> {
  const shown = text.length > 120 ? `${text.slice(0, 120)}…` : text;
  return runSearch(`“${shown}”`, k, null, () => studio().searchText(text, k));
}
