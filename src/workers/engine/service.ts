// The engine's behaviour behind the worker's handlers, free of worker globals so it runs in Node tests:
// a lazily opened database, the model of the active version (leased by every call that uses it, freed
// when the last one ends after a switch), its search index, and the library operations of StudioApi.
// The engine alone owns the active model version and the library's vectors: it activates versions,
// re-embeds what a version lacks, and announces every change to the other tabs.
import type { ActivateReport, BackendChoice, BackendInfo, EcgForPlot, IngestReport, LibraryStats, PageFile, Progress, SearchResults } from '../api';
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
import type { LibraryChannel, LibraryNotice } from './library-channel';
import { makeProgress } from '../shared/progress';
import { Leased } from '../shared/lease';
import { lazyDb } from '../shared/lazy-db';
import { ingestFiles } from './ingest';
import type { StartDecoders } from './pipeline/decoders';
import { reembedMissing } from './reembed';
import { searchByVector } from './search';
import { embedQueryFiles } from './query';
import { toInputFiles } from './input-files';
import { demoPaths } from './demo-index';
import { badInput } from '../shared/errors';
import { interruptedMessage, takeInterruptedJobs, withJournal } from '../job-journal';
import { clipQueryText, clippedNote } from './query-text';
import type { InterruptedJob } from '../api';
import { ImportRefused, importEmbeddings, readEmbeddingsSet, type ImportEmbeddingsReport } from './import-embeddings';
import { sha256Hex } from '../../formats/identity/content-hash';

export interface LoadedModel {
  info: Omit<BackendInfo, 'forced'>;
  encoders: MedbindEncoders;
}

type Loaded = LoadedModel & { forced: boolean };

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
  /** The other tabs' engines (announcements of library and version changes); none in a lone process. */
  channel?: LibraryChannel | null;
  log?(level: 'warn' | 'error', message: string): void;
  /** Items per embed batch during ingest. */
  batchSize?: number;
  /** Decode workers for ingest (the browser's pool); absent: parse in-line. */
  startDecoders?: StartDecoders;
}

/** The model of one active-version setting: its encoders (leased per call) and its search index. */
interface Slot {
  /** The "activeVersion" setting it was built for. */
  setting: string | undefined;
  held: Promise<Leased<Loaded>>;
  index: Promise<LibraryIndex> | null;
  /** Aborts this slot's re-embedding when the slot is replaced. */
  retire: AbortController;
}

type Use = { m: Loaded; slot: Slot };

interface FillRun {
  promise: Promise<number>;
  listeners: Set<(p: Progress) => void>;
  /** Rows were written during the run: look for missing vectors once more before ending. */
  again: boolean;
}

export class Engine {
  private readonly db: () => Promise<StudioDb>;
  private slot: Slot | null = null;
  /** The one re-embedding run per version (activation and background fills share it). */
  private readonly fills = new Map<string, FillRun>();

  constructor(private readonly o: EngineOptions) {
    this.db = lazyDb(o.openDb);
    o.channel?.listen((n) => this.onNotice(n));
  }

  /**
   * Runs `fn` with the model of the active version held for its whole duration. When the "activeVersion"
   * setting changed since the model was built (another tab switched versions), a new model is built; the
   * old one is freed once the last call using it ends.
   */
  private async use<R>(fn: (u: Use) => Promise<R>): Promise<R> {
    for (;;) {
      const db = await this.db();
      const before = this.slot;
      const active = await getSetting(db, 'activeVersion');
      if (this.slot !== before) continue; // switched in this tab meanwhile: read the setting again
      if (this.slot && this.slot.setting !== active) this.replaceSlot(null);
      const slot = (this.slot ??= this.newSlot(active, null));
      const held = await slot.held;
      const lease = held.tryAcquire();
      if (!lease) continue; // freed between the lookup and now: take the current one
      try {
        return await fn({ m: lease.value, slot });
      } finally {
        lease.release();
      }
    }
  }

  private newSlot(setting: string | undefined, ready: LoadedModel | null): Slot {
    const slot: Slot = { setting, held: null as unknown as Promise<Leased<Loaded>>, index: null, retire: new AbortController() };
    slot.held = (async () => {
      const db = await this.db();
      const choice = this.o.forced ?? (await getSetting(db, 'backendChoice')) ?? 'auto';
      const m = ready ?? (await this.o.loadModel(choice, db, setting));
      const loaded: Loaded = { ...m, forced: choice !== 'auto' };
      this.o.emit({ type: 'backend', info: { ...m.info, forced: loaded.forced } });
      return new Leased(loaded, (x) => x.encoders.dispose());
    })();
    slot.held.catch(() => {
      if (this.slot === slot) this.slot = null;
    });
    return slot;
  }

  /** Retires the current model (freed when its last call ends) and installs `next` (or none). */
  private replaceSlot(next: Slot | null): void {
    const old = this.slot;
    this.slot = next;
    if (!old) return;
    old.retire.abort();
    void old.held.then((h) => h.retire(), () => undefined);
  }

  /** The search index of the slot's version, loaded once from the store; starts filling missing vectors. */
  private index(u: Use): Promise<LibraryIndex> {
    const { slot, m } = u;
    if (!slot.index) {
      const p = (async () => LibraryIndex.load(await this.db(), m.encoders.version, m.encoders.embedDim))();
      slot.index = p;
      p.then(() => this.fillInBackground(), () => {
        if (slot.index === p) slot.index = null;
      });
    }
    return slot.index;
  }

  /** Waits for every re-embedding run in flight (tests, and callers that need a complete index). */
  async reembedIdle(): Promise<void> {
    while (this.fills.size > 0 || this.background.size > 0) {
      await Promise.allSettled([...this.background, ...[...this.fills.values()].map((f) => f.promise)]);
    }
  }

  private readonly background = new Set<Promise<unknown>>();

  /** Fills what the active version lacks; a failure reaches the page as a failed 'reembed' event. */
  private fillInBackground(): void {
    const p = this.use((u) => this.fill(u, undefined, true)).catch((e) => this.o.log?.('error', `re-embedding failed: ${errorText(e)}`));
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  /**
   * The active version's re-embedding: one run per version, its progress to every caller waiting on it.
   * `newData`: rows were written since a run in flight looked at the store, so that run looks again.
   */
  private fill(u: Use, onProgress?: (p: Progress) => void, newData = false): Promise<number> {
    const version = u.m.encoders.version;
    let run = this.fills.get(version);
    if (run) run.again ||= newData;
    else {
      const r: FillRun = { promise: null as unknown as Promise<number>, listeners: new Set(), again: false };
      r.promise = this.runFill(u, r).finally(() => this.fills.delete(version));
      this.fills.set(version, r);
      run = r;
    }
    if (onProgress) run.listeners.add(onProgress);
    return run.promise;
  }

  private async runFill(u: Use, run: FillRun): Promise<number> {
    const db = await this.db();
    const { encoders } = u.m;
    const version = encoders.version;
    const signal = u.slot.retire.signal;
    const t0 = performance.now();
    let last = { done: 0, total: 0 };
    let n = 0;
    try {
      const index = await this.index(u);
      do {
        run.again = false;
        n += await reembedMissing({
          db, encoders, index, signal,
          onProgress: (done, total) => {
            last = { done, total };
            this.o.emit({ type: 'reembed', version, done, total, phase: 'running' });
            const p = makeProgress(`re-embedding for ${version}`, done, total, t0, performance.now());
            for (const l of run.listeners) l(p);
          },
          journal: (total, work) => withJournal(db, 'reembed', version, total, work),
        });
      } while (run.again && !signal.aborted);
      if (!signal.aborted && last.total > 0) this.o.emit({ type: 'reembed', version, ...last, phase: 'done' });
      if (n > 0) this.changed();
      return n;
    } catch (e) {
      this.o.emit({ type: 'reembed', version, ...last, phase: 'failed', error: errorText(e) });
      throw e;
    }
  }

  /**
   * Makes `version` the active model version: its encoders are built first (an unknown or broken version
   * is refused and the current one stays), then the setting is written, the other tabs are told, and the
   * library's missing vectors are embedded. Calls still running on the old version finish on it.
   */
  async activateVersion(version: string, signal: AbortSignal, onProgress: (p: Progress) => void): Promise<ActivateReport> {
    const db = await this.db();
    const active = await getSetting(db, 'activeVersion');
    if (!(this.slot && active === version && this.slot.setting === version)) {
      const choice = this.o.forced ?? (await getSetting(db, 'backendChoice')) ?? 'auto';
      const m = await this.o.loadModel(choice, db, version);
      if (m.encoders.version !== version) {
        m.encoders.dispose();
        throw badInput(`no model version "${version}" in this library`);
      }
      await setSetting(db, 'activeVersion', version);
      this.replaceSlot(this.newSlot(version, m));
      this.o.emit({ type: 'active-version', version });
      this.o.channel?.post({ type: 'version-changed', version });
    }
    const embedded = await this.use((u) => {
      if (u.m.encoders.version !== version) throw badInput(`the active version changed to ${u.m.encoders.version} while ${version} was being activated`);
      return untilAborted(this.fill(u, onProgress), signal);
    });
    return { version, embedded };
  }

  /** Another tab changed the library or the version: reload from the store, tell this page. */
  private onNotice(n: LibraryNotice): void {
    if (n.type === 'version-changed') {
      if (this.slot && this.slot.setting !== n.version) this.replaceSlot(null);
      this.o.emit({ type: 'active-version', version: n.version });
    } else if (this.slot) {
      this.slot.index = null;
    }
    this.o.emit({ type: 'library-changed' });
  }

  /** This tab changed the library: its page and the other tabs hear of it. */
  private changed(): void {
    this.o.emit({ type: 'library-changed' });
    this.o.channel?.post({ type: 'library-changed' });
  }

  async backend(): Promise<BackendInfo> {
    return this.use(async ({ m }) => ({ ...m.info, forced: m.forced }));
  }

  async saveBackendChoice(choice: BackendChoice): Promise<null> {
    await setSetting(await this.db(), 'backendChoice', choice);
    return null;
  }

  async activeVersion(): Promise<string> {
    return this.use(async ({ m }) => m.encoders.version);
  }

  async ingest(files: PageFile[], signal: AbortSignal, onProgress: (p: Progress) => void, label = dropLabel(files)): Promise<IngestReport> {
    onProgress({ phase: 'loading model', done: 0, total: files.length, itemsPerSec: 0, etaSec: null });
    const db = await this.db();
    // The model stays leased for the whole ingest: a version switch meanwhile does not free its encoders.
    const { report, retired } = await this.use(async (u) => {
      const index = await this.index(u);
      const r = await withJournal(db, 'ingest', label, 0, (journal) =>
        ingestFiles(
          { db, encoders: u.m.encoders, index, deps: this.o.deps, signal, onProgress, batchSize: this.o.batchSize, journal, startDecoders: this.o.startDecoders },
          toInputFiles(files),
        ),
      );
      return { report: r, retired: u.slot !== this.slot };
    });
    // A finished ingest supersedes runs of it that a replaced worker left in the journal (it re-ran them).
    if (!report.cancelled && !report.storageFull) await takeInterruptedJobs(db, 'ingest').catch(() => []);
    if (report.added > 0) this.changed();
    // Written under a version that is no longer active: the active one gets their vectors now.
    if (retired && report.added > 0) this.fillInBackground();
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
        if (fetched % 20 === 0 || fetched === paths.length) onProgress(makeProgress('downloading demo', fetched, paths.length, started, performance.now()));
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
      this.activeVersion().catch(() => 'unavailable'),
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
  importEmbeddings(files: PageFile[]): Promise<ImportEmbeddingsReport> {
    return this.use((u) => this.importWith(u, files));
  }

  private async importWith({ m, slot }: Use, files: PageFile[]): Promise<ImportEmbeddingsReport> {
    const db = await this.db();
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
      slot.index = null;
      this.changed();
      return report;
    } catch (e) {
      if (e instanceof ImportRefused) throw badInput(e.message);
      throw e;
    }
  }

  async clearLibrary(): Promise<null> {
    const db = await this.db();
    await clearLibrary(db);
    const index = await this.slot?.index?.catch(() => null);
    index?.clear();
    this.changed();
    return null;
  }

  searchFiles(files: PageFile[], k: number): Promise<SearchResults> {
    const t0 = performance.now();
    return this.use(async (u) => {
      const [db, index] = await Promise.all([this.db(), this.index(u)]);
      const q = await embedQueryFiles(this.o.deps, u.m.encoders, toInputFiles(files));
      const res = await searchByVector(db, index, q, k, t0);
      if (q.notes.length) res.query.notes = [...(res.query.notes ?? []), ...q.notes];
      return res;
    });
  }

  searchText(text: string, k: number): Promise<SearchResults> {
    const t0 = performance.now();
    const trimmed = text.trim();
    if (!trimmed) return Promise.reject(badInput('the text query is empty'));
    return this.use(async (u) => {
      const [db, index] = await Promise.all([this.db(), this.index(u)]);
      const clip = clipQueryText(trimmed);
      const vector = await embedOneText(u.m.encoders, clip.used);
      const res = await searchByVector(db, index, { kind: 'text', name: clip.clipped ? `${clip.used} …` : trimmed, vector }, k, t0);
      if (clip.clipped) res.query.notes = [clippedNote(clip)];
      const words = u.m.encoders.readText?.(clip.used);
      return words ? { ...res, query: { ...res.query, words } } : res;
    });
  }

  embedText(text: string): Promise<Float32Array> {
    return this.use(({ m }) => embedOneText(m.encoders, text));
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

async function embedOneText(encoders: MedbindEncoders, text: string): Promise<Float32Array> {
  const out = await encoders.embedText([text]);
  return out.vectors.slice(0, out.embedDim);
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** `p`, or a 'cancelled' rejection when `signal` aborts first (the work itself goes on). */
function untilAborted<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(cancelledError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

const cancelledError = () => Object.assign(new Error('cancelled'), { code: 'cancelled' });

/** How the user would name a drop: its top folder, the single file, or the number of files. */
export function dropLabel(files: readonly PageFile[]): string {
  if (files.length === 1) return files[0].path;
  const tops = new Set(files.map((f) => f.path.replace(/^\.?\/+/, '').split('/')[0]));
  if (tops.size === 1 && files.every((f) => f.path.includes('/'))) return `folder ${[...tops][0]}`;
  return `${files.length} files`;
}
