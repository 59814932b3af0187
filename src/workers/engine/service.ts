// The engine's behaviour behind the worker's handlers, free of worker globals so it runs in Node tests:
// a lazily opened database, a lazily loaded model (singleton per worker), the search index of the
// active version, and the library operations of StudioApi.
import type { BackendChoice, BackendInfo, EcgForPlot, IngestReport, LibraryStats, PageFile, Progress, SearchResults } from '../api';
import type { MedbindEncoders } from '../../model/types';
import type { Modality } from '../../formats/types';
import { ECG_LEADS } from '../../formats/types';
import type { StudioDb } from '../../storage/db';
import { allItems, getItem } from '../../storage/items';
import { getSignal } from '../../storage/signals';
import { getThumb } from '../../storage/images';
import { clearLibrary } from '../../storage/library';
import { getSetting, setSetting } from '../../storage/settings';
import type { StorageEstimate } from '../../storage/quota';
import type { FormatDeps } from './deps';
import type { EngineEvent } from './methods';
import { LibraryIndex } from './library-index';
import { ingestFiles } from './ingest';
import { reembedMissing } from './reembed';
import { searchByVector } from './search';
import { embedQueryFiles } from './query';
import { toInputFiles } from './input-files';
import { demoPaths } from './demo-index';
import { badInput } from './errors';
import { interruptedMessage, takeInterruptedJobs, withJournal } from '../job-journal';
import { clipQueryText, clippedNote } from './query-text';
import type { InterruptedJob } from '../api';
import { ImportRefused, importEmbeddings, readEmbeddingsSet, type ImportEmbeddingsReport } from './import-embeddings';
import { sha256Hex } from '../../formats/identity/content-hash';

export interface LoadedModel {
  info: Omit<BackendInfo, 'forced'>;
  encoders: MedbindEncoders;
}

export interface EngineOptions {
  openDb(): Promise<StudioDb>;
  deps: FormatDeps;
  /** Starts a backend for `choice` and loads the encoders of `activeVersion` (undefined: the shipped weights). */
  loadModel(choice: BackendChoice, db: StudioDb, activeVersion: string | undefined): Promise<LoadedModel>;
  /** Backend forced by the page (?backend=) — wins over the saved setting. */
  forced: BackendChoice | null;
  /** Same-origin fetch of a path relative to the app's base (e.g. "demo/index.json"). */
  fetchAsset(path: string): Promise<Blob>;
  estimate(): Promise<StorageEstimate>;
  emit(e: EngineEvent): void;
  /** Items per embed batch during ingest. */
  batchSize?: number;
}

export class Engine {
  private dbP: Promise<StudioDb> | null = null;
  private modelP: Promise<LoadedModel & { forced: boolean }> | null = null;
  /** The "activeVersion" setting the loaded model was built for. */
  private modelFor: string | undefined = undefined;
  private reembedCtl: AbortController | null = null;
  private indexP: Promise<LibraryIndex> | null = null;
  private reembedRunning = false;

  constructor(private readonly o: EngineOptions) {}

  db(): Promise<StudioDb> {
    this.dbP ??= this.o.openDb().catch((e) => {
      this.dbP = null;
      throw e;
    });
    return this.dbP;
  }

  /**
   * The model singleton (first call picks the backend, loads weights and warms up). When the
   * "activeVersion" setting changed since (another worker switched versions), the model and the search
   * index are rebuilt for the new version.
   */
  async model(): Promise<LoadedModel & { forced: boolean }> {
    const db = await this.db();
    const active = await getSetting(db, 'activeVersion');
    if (this.modelP && active !== this.modelFor) this.dropModel();
    this.modelFor = active;
    this.modelP ??= (async () => {
      const choice = this.o.forced ?? (await getSetting(db, 'backendChoice')) ?? 'auto';
      const m = await this.o.loadModel(choice, db, active);
      const loaded = { ...m, forced: choice !== 'auto' };
      this.o.emit({ type: 'backend', info: { ...m.info, forced: loaded.forced } });
      return loaded;
    })().catch((e) => {
      this.modelP = null;
      throw e;
    });
    return this.modelP;
  }

  private dropModel(): void {
    const old = this.modelP;
    this.modelP = null;
    this.indexP = null;
    this.reembedCtl?.abort();
    // Calls already running keep the old encoders until they finish; free them a little later.
    void old?.then((m) => setTimeout(() => m.encoders.dispose(), 30_000), () => undefined);
  }

  /** The search index of the active version; starts background re-embedding when vectors are missing. */
  async index(): Promise<LibraryIndex> {
    this.indexP ??= (async () => {
      const [db, m] = await Promise.all([this.db(), this.model()]);
      const idx = await LibraryIndex.load(db, m.encoders.version, m.encoders.embedDim);
      void this.startReembed(idx);
      return idx;
    })().catch((e) => {
      this.indexP = null;
      throw e;
    });
    return this.indexP;
  }

  /** Resolves when any background re-embedding has finished (tests, and callers that need a full index). */
  reembedDone: Promise<number> = Promise.resolve(0);

  private startReembed(idx: LibraryIndex): Promise<number> {
    if (this.reembedRunning) return this.reembedDone;
    this.reembedRunning = true;
    const ctrl = new AbortController();
    this.reembedCtl = ctrl;
    this.reembedDone = (async () => {
      const [db, m] = await Promise.all([this.db(), this.model()]);
      const version = m.encoders.version;
      const n = await reembedMissing({
        db, encoders: m.encoders, index: idx, signal: ctrl.signal,
        onProgress: (done, total) => this.o.emit({ type: 'reembed', version, done, total }),
        journal: (total, work) => withJournal(db, 'reembed', version, total, work),
      });
      if (n > 0) this.o.emit({ type: 'library-changed' });
      return n;
    })()
      .catch(() => 0)
      .finally(() => {
        this.reembedRunning = false;
      });
    return this.reembedDone;
  }

  async backend(): Promise<BackendInfo> {
    const m = await this.model();
    return { ...m.info, forced: m.forced };
  }

  async saveBackendChoice(choice: BackendChoice): Promise<null> {
    await setSetting(await this.db(), 'backendChoice', choice);
    return null;
  }

  async activeVersion(): Promise<string> {
    return (await this.model()).encoders.version;
  }

  async ingest(files: PageFile[], signal: AbortSignal, onProgress: (p: Progress) => void, label = dropLabel(files)): Promise<IngestReport> {
    onProgress({ phase: 'loading model', done: 0, total: files.length, itemsPerSec: 0, etaSec: null });
    const [db, m, index] = await Promise.all([this.db(), this.model(), this.index()]);
    const report = await withJournal(db, 'ingest', label, 0, (journal) =>
      ingestFiles(
        { db, encoders: m.encoders, index, deps: this.o.deps, signal, onProgress, batchSize: this.o.batchSize, journal },
        toInputFiles(files),
      ),
    );
    // A finished ingest supersedes runs of it that a replaced worker left in the journal (it re-ran them).
    if (!report.cancelled && !report.storageFull) await takeInterruptedJobs(db, 'ingest').catch(() => []);
    if (report.added > 0) this.o.emit({ type: 'library-changed' });
    return report;
  }

  async loadDemo(signal: AbortSignal, onProgress: (p: Progress) => void): Promise<IngestReport> {
    const indexBlob = await this.o.fetchAsset('demo/index.json');
    let paths: string[];
    try {
      paths = demoPaths(JSON.parse(await indexBlob.text()));
    } catch (e) {
      throw badInput(`demo/index.json: ${e instanceof Error ? e.message : String(e)}`);
    }
    const files: PageFile[] = new Array(paths.length);
    const started = performance.now();
    let fetched = 0;
    let next = 0;
    // A few requests in flight at once; all on the app's own origin.
    const fetchNext = async (): Promise<void> => {
      while (next < paths.length && !signal.aborted) {
        const i = next++;
        files[i] = { path: paths[i], file: await this.o.fetchAsset(`demo/${paths[i]}`) };
        fetched++;
        if (fetched % 20 === 0 || fetched === paths.length) {
          const sec = Math.max(1e-3, (performance.now() - started) / 1000);
          const rate = fetched / sec;
          onProgress({ phase: 'downloading demo', done: fetched, total: paths.length, itemsPerSec: rate, etaSec: (paths.length - fetched) / rate });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(6, paths.length) }, fetchNext));
    if (signal.aborted) return { added: 0, skipped: 0, errors: [], cancelled: true };
    return this.ingest(files, signal, onProgress, 'the demo library');
  }

  async stats(): Promise<LibraryStats> {
    const db = await this.db();
    const [items, est, modelVersion] = await Promise.all([
      allItems(db),
      this.o.estimate(),
      // The counts must show even when the model cannot load; the backend badge reports that error.
      this.model().then((m) => m.encoders.version, () => 'unavailable'),
    ]);
    const byModality: Record<Modality, number> = { ecg: 0, cxr: 0 };
    const byLabel: Record<Modality, Record<string, number>> = { ecg: {}, cxr: {} };
    const byDataset: Record<string, number> = {};
    for (const it of items) {
      byModality[it.modality]++;
      byDataset[it.dataset] = (byDataset[it.dataset] ?? 0) + 1;
      for (const l of it.labels) byLabel[it.modality][l] = (byLabel[it.modality][l] ?? 0) + 1;
    }
    return {
      total: items.length, byModality, byLabel, byDataset,
      storageBytes: est.usageBytes, storageQuotaBytes: est.quotaBytes, modelVersion,
    };
  }

  /**
   * Imports embeddings made outside the browser (training/embed.py) for the items the library holds: only
   * for the shipped weights, whose manifest sha256 the set must name; the search index is rebuilt after.
   */
  async importEmbeddings(files: PageFile[]): Promise<ImportEmbeddingsReport> {
    const [db, m] = await Promise.all([this.db(), this.model()]);
    let set: Awaited<ReturnType<typeof readEmbeddingsSet>>;
    let manifestBytes: Uint8Array;
    try {
      set = await readEmbeddingsSet(toInputFiles(files));
      manifestBytes = new Uint8Array(await (await this.o.fetchAsset('weights/manifest.json')).arrayBuffer());
    } catch (e) {
      throw badInput(e instanceof Error ? e.message : String(e));
    }
    const shipped = (JSON.parse(new TextDecoder().decode(manifestBytes)) as { version?: string }).version;
    if (shipped !== m.encoders.version) {
      throw badInput(`embeddings can be imported for the shipped weights (${shipped}) only; the active model is ${m.encoders.version}`);
    }
    try {
      const report = await importEmbeddings(db, set, m.encoders.version, m.encoders.embedDim, await sha256Hex(manifestBytes));
      this.indexP = null;
      this.o.emit({ type: 'library-changed' });
      return report;
    } catch (e) {
      if (e instanceof ImportRefused) throw badInput(e.message);
      throw e;
    }
  }

  async clearLibrary(): Promise<null> {
    const db = await this.db();
    await clearLibrary(db);
    if (this.indexP) (await this.indexP).clear();
    this.o.emit({ type: 'library-changed' });
    return null;
  }

  async searchFiles(files: PageFile[], k: number): Promise<SearchResults> {
    const t0 = performance.now();
    const [db, m, index] = await Promise.all([this.db(), this.model(), this.index()]);
    const q = await embedQueryFiles(this.o.deps, m.encoders, toInputFiles(files));
    const res = await searchByVector(db, index, q, k, t0);
    if (q.notes.length) res.query.notes = [...(res.query.notes ?? []), ...q.notes];
    return res;
  }

  async searchText(text: string, k: number): Promise<SearchResults> {
    const t0 = performance.now();
    const trimmed = text.trim();
    if (!trimmed) throw badInput('the text query is empty');
    const [db, index] = await Promise.all([this.db(), this.index()]);
    const clip = clipQueryText(trimmed);
    const vector = await this.embedText(clip.used);
    const res = await searchByVector(db, index, { kind: 'text', name: clip.clipped ? `${clip.used} …` : trimmed, vector }, k, t0);
    if (clip.clipped) res.query.notes = [clippedNote(clip)];
    const words = (await this.model()).encoders.readText?.(clip.used);
    return words ? { ...res, query: { ...res.query, words } } : res;
  }

  async embedText(text: string): Promise<Float32Array> {
    const m = await this.model();
    const out = await m.encoders.embedText([text]);
    return out.vectors.slice(0, out.embedDim);
  }

  /** Long jobs a reload, crash or kill cut short since the last start; each is returned once. */
  async interruptedJobs(): Promise<InterruptedJob[]> {
    const jobs = await takeInterruptedJobs(await this.db());
    return jobs.map((j) => ({ kind: j.kind, label: j.label, done: j.done, total: j.total, startedAt: j.startedAt, message: interruptedMessage(j) }));
  }

  async getEcg(id: string): Promise<EcgForPlot> {
    const db = await this.db();
    const s = await getSignal(db, id);
    if (!s) throw badInput(`no ECG with id "${id}" in the library`);
    const meta = (await getItem(db, id))?.meta ?? {};
    const extra = {
      ...(typeof meta.durationS === 'number' ? { durationS: meta.durationS } : {}),
      ...(typeof meta.notes === 'string' ? { notes: meta.notes } : {}),
    };
    return { id, fsHz: s.fsHz, leadNames: s.leadNames ?? [...ECG_LEADS], leadsMv: s.leads, ...extra };
  }

  async getThumb(id: string): Promise<Blob> {
    const b = await getThumb(await this.db(), id);
    if (!b) throw badInput(`no image with id "${id}" in the library`);
    return b;
  }
}

/** How the user would name a drop: its top folder, the single file, or the number of files. */
export function dropLabel(files: readonly PageFile[]): string {
  if (files.length === 1) return files[0].path;
  const tops = new Set(files.map((f) => f.path.replace(/^\.?\/+/, '').split('/')[0]));
  if (tops.size === 1 && files.every((f) => f.path.includes('/'))) return `folder ${[...tops][0]}`;
  return `${files.length} files`;
}
