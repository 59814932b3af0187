// The lab's behaviour behind the worker's handlers, free of worker globals so it runs in Node tests:
// zero-shot (one item, a library subset), cross-modal zero-shot, linear probes, fine-tuning with
// pause/resume/cancel, model versions (list, compare, export, import, delete). Activating a version and
// re-embedding the library for it belong to the engine worker.
import type { BackendInfo, Progress } from '../api';
import type { Modality } from '../../formats/types';
import { crossModalZeroShot, fewShotEval } from '../../model/fewshot';
import { TrainGate, controlGate } from '../../model/finetune/gate';
import { classEmbeddings, zeroShotPredict } from '../../model/zeroshot';
import type { StudioDb } from '../../storage/db';
import { allItems, getItem } from '../../storage/items';
import { allPromptSets, deletePromptSet, putPromptSet } from '../../storage/prompt-sets';
import type { StoredItem, StoredPromptSet } from '../../storage/types';
import { deleteVersion } from '../../storage/versions';
import { buildReport, zeroShotReport } from './classify';
import { ClinicalLab } from './clinical/service';
import { FeatureCache } from './features-cache';
import { runFinetune } from './finetune-job';
import { withJournal } from '../job-journal';
import { makeProgress } from '../shared/progress';
import { lazyDb } from '../shared/lazy-db';
import { matchSource, runBind } from './bind-job';
import type { BindOutcome, BindProgress, BindSpec, MatchReport, PairSource } from './methods';
import type { CompareReport, CompareSpec, CrossModalReport, CrossModalSpec, FinetuneOutcome, FinetuneProgress, FinetuneSpec, LabEvent, ProbeReport, ProbeSpec, VersionSummary, ZeroShotRunSpec } from './methods';
import type { ModelHost, VersionModel } from './model-host';
import { evalPromptSets, generatedPromptSets, paperPromptSets, toModelPromptSet } from './prompts';
import { classOf, labelColumns, matchesFilter, selectLabelled, truthForPromptSet } from './sets';
import { itemVectors } from './vectors';
import { activeVersionId } from '../../storage/active-version';
import { exportVersion, importVersion, listVersions } from './versions';
import { badInput, cancelled } from '../shared/errors';

export const CROSS_MODAL_CAVEAT =
  'Cross-modal zero-shot compares a CXR with ECGs (or an ECG with CXRs) in the shared space. The public data has no CXR-ECG ' +
  'pairs of the same patient: the shipped model learned the CXR-ECG link from a demo pairing by shared finding category, ' +
  'so these results show what that pairing taught, not clinical evidence (the paper used same-visit MIMIC pairs).';

export interface LabOptions {
  openDb(): Promise<StudioDb>;
  host: ModelHost;
  backend(): Promise<BackendInfo>;
  emit(e: LabEvent): void;
}

export interface CallCtx<P> {
  signal: AbortSignal;
  progress(p: P): void;
}


const progressOf = (done: number, total: number, t0: number, phase: string): Progress => makeProgress(phase, done, total, t0, performance.now());

export class Lab {
  private readonly cache = new FeatureCache();
  private gate: TrainGate | null = null;
  readonly clinical: ClinicalLab;

  readonly db: () => Promise<StudioDb>;

  constructor(private readonly o: LabOptions) {
    this.db = lazyDb(o.openDb);
    this.clinical = new ClinicalLab(() => this.db(), o.host);
  }

  private async model(version?: string): Promise<VersionModel> {
    const db = await this.db();
    const id = version ?? (await activeVersionId(db, await this.o.host.shippedVersion()));
    return this.o.host.model(id);
  }

  backend(): Promise<BackendInfo> {
    return this.o.backend();
  }

  async labelColumns() {
    return labelColumns(await allItems(await this.db()));
  }

  async listItems(p: { modality?: Modality; limit: number }) {
    const items = (await allItems(await this.db())).filter((it) => !p.modality || it.modality === p.modality);
    return items.slice(0, Math.max(0, p.limit)).map((it) => ({ id: it.id, modality: it.modality, dataset: it.dataset, sourceName: it.sourceName, labels: it.labels }));
  }

  async defaultPromptSets(): Promise<StoredPromptSet[]> {
    const items = await allItems(await this.db());
    const groups = new Map<string, { modality: Modality; dataset: string; labels: Set<string> }>();
    for (const it of items) {
      const k = `${it.modality}|${it.dataset}`;
      const g = groups.get(k) ?? { modality: it.modality, dataset: it.dataset, labels: new Set<string>() };
      it.labels.forEach((l) => g.labels.add(l));
      groups.set(k, g);
    }
    return [...evalPromptSets(), ...paperPromptSets(), ...generatedPromptSets([...groups.values()].map((g) => ({ ...g, labels: [...g.labels].sort() })))];
  }

  async savedPromptSets() {
    return allPromptSets(await this.db());
  }

  async savePromptSet(set: StoredPromptSet): Promise<null> {
    if (!set.id || !set.name.trim()) throw badInput('a prompt set needs an id and a name');
    if (set.classes.length < 2) throw badInput('a prompt set needs at least two classes');
    for (const c of set.classes) if (!c.name.trim() || c.templates.filter((t) => t.trim()).length === 0) throw badInput(`class "${c.name}" needs a name and at least one template`);
    await putPromptSet(await this.db(), { ...set, classes: set.classes.map((c) => ({ ...c, templates: c.templates.filter((t) => t.trim()) })), updatedAt: Date.now() });
    return null;
  }

  async deletePromptSet(id: string): Promise<null> {
    await deletePromptSet(await this.db(), id);
    return null;
  }

  private async classVectors(m: VersionModel, set: StoredPromptSet) {
    if (set.classes.length < 2) throw badInput('the prompt set needs at least two classes');
    return classEmbeddings((t) => m.encoders.embedText(t), toModelPromptSet(set));
  }

  async zeroShotItem(p: { itemId: string; promptSet: StoredPromptSet; version?: string }) {
    const db = await this.db();
    const it = await getItem(db, p.itemId);
    if (!it) throw badInput(`no library item "${p.itemId}"`);
    if (it.modality !== p.promptSet.modality) throw badInput(`"${it.sourceName}" is ${it.modality.toUpperCase()}; the prompt set is for ${p.promptSet.modality.toUpperCase()}`);
    const m = await this.model(p.version);
    const cv = await this.classVectors(m, p.promptSet);
    const v = await itemVectors(db, m.encoders, [it]);
    if (v.kept.length === 0) throw badInput(`"${it.sourceName}" has no stored model input to embed`);
    const { scores } = zeroShotPredict(v.vectors, cv.vectors, cv.embedDim);
    const classes = p.promptSet.classes.map((c) => c.name);
    const arr = Array.from(scores);
    return { classes, scores: arr, ranked: classes.map((name, i) => ({ name, score: arr[i] })).sort((a, b) => b.score - a.score) };
  }

  private async selectForZeroShot(db: StudioDb, spec: ZeroShotRunSpec): Promise<StoredItem[]> {
    const items = await allItems(db);
    if (spec.itemIds?.length) {
      const want = new Set(spec.itemIds);
      return items.filter((it) => want.has(it.id) && it.modality === spec.promptSet.modality);
    }
    const f = spec.filter ?? {};
    return items.filter((it) => {
      if (!matchesFilter(it, { modality: spec.promptSet.modality, datasets: f.datasets, splits: f.splits })) return false;
      if (f.labels?.length) {
        const have = new Set(it.labels.map((l) => l.toLowerCase()));
        if (!f.labels.some((l) => have.has(l.toLowerCase()))) return false;
      }
      return true;
    });
  }

  async zeroShotRun(spec: ZeroShotRunSpec, ctx: CallCtx<Progress>) {
    const t0 = performance.now();
    const db = await this.db();
    const m = await this.model(spec.version);
    const cv = await this.classVectors(m, spec.promptSet);
    const items = await this.selectForZeroShot(db, spec);
    if (items.length === 0) throw badInput('no library items match: load the demo library or change the filter');
    const v = await itemVectors(db, m.encoders, items, { signal: ctx.signal, onProgress: (d, t) => ctx.progress(progressOf(d, t, t0, 'embedding')) });
    const truth = truthForPromptSet(v.kept, spec.promptSet, spec.filter?.column ?? 'labels');
    return zeroShotReport(spec.promptSet.classes.map((c) => c.name), cv.vectors, v.kept, v.vectors, truth, cv.embedDim, m.version, t0);
  }

  async crossModal(spec: CrossModalSpec, ctx: CallCtx<Progress>): Promise<CrossModalReport> {
    const t0 = performance.now();
    const db = await this.db();
    const m = await this.model(spec.version);
    const all = await allItems(db);
    const supportModality: Modality = spec.queryModality === 'ecg' ? 'cxr' : 'ecg';
    const names = [...spec.classes.map((c) => c.name), ...(spec.restClass ? [spec.restClass] : [])];
    const assign = (it: StoredItem, key: 'supportLabels' | 'queryLabels') => {
      const c = classOf(it.labels, spec.classes.map((k) => k[key]));
      if (c >= 0) return c;
      const any = spec.classes.some((k) => k[key].some((l) => it.labels.some((x) => x.toLowerCase() === l.toLowerCase())));
      return spec.restClass && !any && it.labels.length > 0 ? spec.classes.length : -1;
    };
    const support = all.filter((it) => it.modality === supportModality);
    const query = all.filter((it) => it.modality === spec.queryModality);
    const sv = await itemVectors(db, m.encoders, support, { signal: ctx.signal, onProgress: (d, t) => ctx.progress(progressOf(d, t, t0, 'embedding support set')) });
    const sLabels = sv.kept.map((it) => assign(it, 'supportLabels'));
    const sIdx = [...sLabels.keys()].filter((i) => sLabels[i] >= 0);
    const supportCounts = Object.fromEntries(names.map((n, c) => [n, sIdx.filter((i) => sLabels[i] === c).length]));
    const empty = names.filter((n) => supportCounts[n] === 0);
    if (empty.length) throw badInput(`the ${supportModality.toUpperCase()} support set has no items for: ${empty.join(', ')}`);
    const d = m.encoders.embedDim;
    const sVec = new Float32Array(sIdx.length * d);
    sIdx.forEach((i, r) => sVec.set(sv.vectors.subarray(i * d, (i + 1) * d), r * d));
    const qv = await itemVectors(db, m.encoders, query, { signal: ctx.signal, onProgress: (dn, t) => ctx.progress(progressOf(dn, t, t0, 'embedding queries')) });
    if (qv.kept.length === 0) throw badInput(`the library has no ${spec.queryModality.toUpperCase()} items to classify`);
    const { scores, predictions } = crossModalZeroShot(qv.vectors, sVec, sIdx.map((i) => sLabels[i]), names.length, d);
    const truth = Int32Array.from(qv.kept, (it) => assign(it, 'queryLabels'));
    const report = buildReport(names, qv.kept, truth, scores, predictions, m.version, performance.now() - t0);
    return { ...report, supportCounts, caveat: CROSS_MODAL_CAVEAT };
  }

  async probe(spec: ProbeSpec, ctx: CallCtx<Progress>): Promise<ProbeReport> {
    const t0 = performance.now();
    const db = await this.db();
    const m = await this.model(spec.version);
    const set = selectLabelled(await allItems(db), spec.set);
    const v = await itemVectors(db, m.encoders, set.items, { signal: ctx.signal, onProgress: (d, t) => ctx.progress(progressOf(d, t, t0, 'embedding')) });
    const byId = new Map(set.items.map((it, i) => [it.id, set.y[i]]));
    const y = Int32Array.from(v.kept, (it) => byId.get(it.id)!);
    const counts = set.classes.map((_, c) => y.filter((v2) => v2 === c).length);
    if (counts.filter((n) => n > 0).length < 2) throw badInput('the probe needs labelled items of at least two classes');
    const K = spec.k === 'all' ? Math.max(...counts) : spec.k;
    const repeats = Math.max(1, Math.min(1000, Math.floor(spec.repeats)));
    ctx.progress(progressOf(0, repeats, t0, 'probing'));
    const runs: number[] = [];
    let effectiveK: number[] = [];
    // One repeat at a time so progress and cancellation stay responsive.
    for (let r = 0; r < repeats; r++) {
      if (ctx.signal.aborted) throw cancelled();
      const res = fewShotEval(v.vectors, y, set.classes.length, K, { repeats: 1, seed: (spec.seed + r * 7919) >>> 0 });
      if (res.repeats > 0) runs.push(res.mean);
      effectiveK = res.effectiveK;
      if (r % 5 === 4 || r === repeats - 1) {
        ctx.progress(progressOf(r + 1, repeats, t0, 'probing'));
        await new Promise((res2) => setTimeout(res2, 0));
      }
    }
    const mean = runs.reduce((a, b) => a + b, 0) / Math.max(1, runs.length);
    const sd = Math.sqrt(runs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, runs.length - 1));
    const nTest = y.length - effectiveK.reduce((a, b) => a + b, 0);
    return { k: spec.k, repeats: runs.length, mean, sd, runs, effectiveK: Object.fromEntries(set.classes.map((c, i) => [c, effectiveK[i] ?? 0])), nTest, elapsedMs: performance.now() - t0 };
  }

  async finetune(spec: FinetuneSpec, ctx: CallCtx<FinetuneProgress>): Promise<FinetuneOutcome> {
    if (this.gate) throw badInput('a fine-tuning run is already in progress');
    const gate = new TrainGate();
    this.gate = gate;
    try {
      const db = await this.db();
      const backend = await this.o.backend();
      // Journaled, so a run that a reload or a crash cuts short is reported on the next start.
      return await withJournal(db, 'finetune', spec.promptSet.name, spec.epochs, (journal) =>
        runFinetune(spec, {
          db, host: this.o.host, cache: this.cache, gate, backend, signal: ctx.signal,
          progress: (p) => {
            ctx.progress(p);
            if (p.epoch) void journal.update(p.epoch.epoch, spec.epochs);
          },
        }),
      );
    } finally {
      this.gate = null;
    }
  }

  /** How a pairing matches the library (no training). */
  async matchPairs(source: PairSource): Promise<MatchReport> {
    return matchSource(source, await allItems(await this.db()));
  }

  /** Pair binding; shares the one training slot (and its pause / resume / cancel) with fine-tuning. */
  async bind(spec: BindSpec, ctx: CallCtx<BindProgress>): Promise<BindOutcome> {
    if (this.gate) throw badInput('a training run is already in progress');
    const gate = new TrainGate();
    this.gate = gate;
    try {
      return await runBind(spec, { db: await this.db(), host: this.o.host, cache: this.cache, gate, backend: await this.o.backend(), signal: ctx.signal, progress: ctx.progress });
    } finally {
      this.gate = null;
    }
  }

  finetuneControl(action: 'pause' | 'resume' | 'cancel') {
    return controlGate(this.gate, action);
  }

  async listVersions(): Promise<VersionSummary[]> {
    return listVersions(await this.db(), await this.o.host.shippedVersion());
  }

  async compareVersions(spec: CompareSpec, ctx: CallCtx<Progress>): Promise<CompareReport> {
    const db = await this.db();
    let ids = spec.itemIds;
    if (!ids?.length) {
      const list = await this.listVersions();
      const b = list.find((v) => v.id === spec.b);
      const data = (b?.lineage as { data?: { valIds?: string[] } } | undefined)?.data;
      ids = data?.valIds?.length ? data.valIds : (await allItems(db)).filter((it) => it.modality === spec.promptSet.modality && it.split !== 'train').map((it) => it.id);
    }
    const run = (version: string) => this.zeroShotRun({ promptSet: spec.promptSet, itemIds: ids, version }, ctx);
    const a = await run(spec.a);
    const b = await run(spec.b);
    // Same held-out items for both: keep the intersection (a version may lack an input the other had).
    const common = new Set(a.items.map((r) => r.id).filter((id) => b.items.some((r) => r.id === id)));
    const again = async (r: typeof a, v: string) => (r.items.length === common.size ? r : this.zeroShotRun({ promptSet: spec.promptSet, itemIds: [...common], version: v }, ctx));
    return { a: await again(a, spec.a), b: await again(b, spec.b), itemIds: [...common] };
  }

  async exportVersion(id: string) {
    const files = await exportVersion(await this.db(), id);
    return files.map((f) => ({ name: f.name, bytes: f.bytes }));
  }

  async importVersion(files: { name: string; bytes: Uint8Array }[]): Promise<VersionSummary> {
    const shipped = await this.o.host.model(await this.o.host.shippedVersion());
    const v = await importVersion(await this.db(), files, (name, shape) => {
      const t = shipped.params.get(name);
      if (!t) return `parameter "${name}" does not exist in the shipped model`;
      if (t.shape.join('x') !== shape.join('x')) return `parameter "${name}" has shape [${shape}], the shipped model has [${t.shape}]`;
      return null;
    });
    this.o.host.forget?.(v.id);
    const list = await this.listVersions();
    return list.find((x) => x.id === v.id)!;
  }

  async deleteVersion(id: string): Promise<VersionSummary[]> {
    const db = await this.db();
    const shipped = await this.o.host.shippedVersion();
    if (id === shipped) throw badInput('the shipped version cannot be deleted');
    // The active version belongs to the engine: switch away first (the app does), then delete.
    if ((await activeVersionId(db, shipped)) === id) throw badInput(`version "${id}" is active; activate another version before deleting it`);
    await deleteVersion(db, id);
    this.o.host.forget?.(id);
    return this.listVersions();
  }
}

