// The ingest pipeline as a plain function: files -> datasets -> per batch: content identity, parse +
// preprocess, batched embedding, one atomic IndexedDB write -> search index. Every file the user gave
// ends as one report line (added, already there, damaged, unreadable, skipped, not saved); a broken file
// never stops the others; cancellation is honoured between batches; a full disk stops the run with what
// was saved before the limit.
import type { DatasetItem, InputFile } from '../../formats/types';
import type { MedbindEncoders } from '../../model/types';
import type { StudioDb } from '../../storage/db';
import { saveLibraryBatch, type LibraryBatch } from '../../storage/library';
import { putEmbeddings, textEmbeddingId } from '../../storage/embeddings';
import { setItemIdentity } from '../../storage/identity';
import { getImage } from '../../storage/images';
import { getSignal } from '../../storage/signals';
import { StorageFullError } from '../../storage/errors';
import type { StoredEmbedding, StoredItem } from '../../storage/types';
import type { IngestReport, Progress, ReportLine } from '../api';
import type { JournalHandle } from '../job-journal';
import type { FormatDeps } from './deps';
import { explainFileError } from './explain-error';
import { decide, hashedId, identify, sameModelInput, type Decision, type Identified } from './identity';
import type { LibraryIndex } from './library-index';
import { makeProgress } from '../shared/progress';
import { unclaimedLines } from './unclaimed';
import { embedInputs, splitRows } from '../shared/embed-rows';

export interface IngestContext {
  db: StudioDb;
  encoders: MedbindEncoders;
  index: LibraryIndex;
  deps: FormatDeps;
  signal: AbortSignal;
  onProgress(p: Progress): void;
  /** Items per embed + write batch. */
  batchSize?: number;
  now?: () => number;
  /** Progress journal of this run (see job-journal.ts). */
  journal?: JournalHandle;
}

type Prepared =
  | { item: DatasetItem; hash: string; dicomUid: string | null; modality: 'ecg'; input: Float32Array; fsHz: number; leads: Float32Array[]; leadNames?: string[] }
  | { item: DatasetItem; hash: string; dicomUid: string | null; modality: 'cxr'; input: Float32Array; thumb: Blob };

const fileOf = (item: DatasetItem) => item.files[0]?.path ?? item.id;
const filesOf = (item: DatasetItem) => item.files.map((f) => f.path).join(' + ') || item.id;

export async function ingestFiles(ctx: IngestContext, files: InputFile[]): Promise<IngestReport> {
  const now = ctx.now ?? (() => performance.now());
  const batchSize = Math.max(1, ctx.batchSize ?? 16);
  const lines: ReportLine[] = [];
  const report: IngestReport = { added: 0, skipped: 0, errors: [], cancelled: false, lines, storageFull: null };
  const started = now();
  const claimed = new Set<string>();
  const problem = (file: string, raw: string) => {
    const e = explainFileError(raw);
    lines.push({ file, status: e.status, message: e.message });
    report.errors.push({ file, message: e.message });
  };

  ctx.onProgress(makeProgress('reading files', 0, files.length, started, now()));
  const discovery = await ctx.deps.discoverDatasets(files);
  for (const e of discovery.errors) {
    problem(e.file, e.message);
    claimed.add(e.file);
  }
  for (const it of discovery.items) for (const f of it.files) claimed.add(f.path);

  const items = discovery.items;
  const total = items.length;
  await ctx.journal?.update(0, total);
  const seen = new Map<string, string>();
  let done = 0;
  let stopped = false;

  for (let start = 0; start < total && !stopped; start += batchSize) {
    if (ctx.signal.aborted) {
      report.cancelled = true;
      for (const it of items.slice(start)) lines.push({ file: filesOf(it), status: 'skipped', message: 'not processed: the ingest was cancelled' });
      break;
    }
    const batch = items.slice(start, start + batchSize);
    const identified: Identified[] = [];
    for (const item of batch) {
      try {
        identified.push(await identify(item));
      } catch (e) {
        problem(fileOf(item), `could not read: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    const decisions = await decide(ctx.db, identified, seen);
    const prepared: Prepared[] = [];
    for (const d of decisions) {
      if (d.kind === 'already') continue;
      const p = await prepareItem(ctx.deps, d);
      if ('error' in p) problem(p.error.file, p.error.message);
      else prepared.push(p);
    }
    // Items stored before content identity: the same model input means the same file.
    const fresh: Prepared[] = [];
    for (const p of prepared) {
      const d = decisions.find((x) => x.kind === 'legacy' && x.item === p.item) as Extract<Decision, { kind: 'legacy' }> | undefined;
      if (!d) {
        fresh.push(p);
        continue;
      }
      const stored = p.modality === 'ecg' ? (await getSignal(ctx.db, d.stored.id))?.input : (await getImage(ctx.db, d.stored.id))?.input;
      if (stored && sameModelInput(stored, p.input)) {
        await setItemIdentity(ctx.db, d.stored.id, p.hash, p.dicomUid);
        lines.push({ file: filesOf(p.item), status: 'already', message: 'already in the library' });
        report.skipped++;
      } else {
        fresh.push({ ...p, item: { ...p.item, id: hashedId(p.item.id, p.hash) } });
      }
    }
    decisions.forEach((d, i) => {
      if (d.kind !== 'already') return;
      lines.push({ file: filesOf(identified[i].item), status: 'already', message: d.message });
      report.skipped++;
    });

    if (fresh.length > 0) {
      const rows = await embedBatch(ctx, fresh);
      let written: Set<string>;
      try {
        written = await saveLibraryBatch(ctx.db, rows);
      } catch (e) {
        if (!(e instanceof StorageFullError)) throw e;
        const notSaved = [...fresh.map((p) => p.item), ...items.slice(start + batchSize)];
        report.storageFull = { savedItems: report.added, notSavedFiles: notSaved.map(filesOf) };
        for (const it of notSaved) lines.push({ file: filesOf(it), status: 'not-saved', message: 'not saved: the browser storage is full' });
        stopped = true;
        break;
      }
      // Counted as added: what this ingest wrote; items another tab stored meanwhile are already there.
      ctx.index.addItems(rows.items.filter((it) => written.has(it.id)));
      ctx.index.addEmbeddings(rows.embeddings.filter((e) => e.modality === 'text' || written.has(e.id)));
      report.added += written.size;
      for (const p of fresh) {
        if (written.has(p.item.id)) lines.push({ file: filesOf(p.item), status: 'added', message: 'added' });
        else {
          lines.push({ file: filesOf(p.item), status: 'already', message: 'already in the library (stored meanwhile, e.g. by another tab)' });
          report.skipped++;
        }
      }
    }
    done += batch.length;
    ctx.onProgress(makeProgress('embedding', done, total, started, now()));
    await ctx.journal?.update(done, total);
  }

  // Extra corpus text (e.g. captions) is searchable text without an item.
  const extra = stopped ? [] : [...new Set(discovery.texts.map((t) => t.trim()).filter((t) => t && !ctx.index.hasText(t)))];
  for (let start = 0; start < extra.length && !report.cancelled; start += 64) {
    if (ctx.signal.aborted) {
      report.cancelled = true;
      break;
    }
    const rows = await embedTexts(ctx.encoders, extra.slice(start, start + 64));
    try {
      await putEmbeddings(ctx.db, rows);
    } catch (e) {
      if (!(e instanceof StorageFullError)) throw e;
      report.storageFull = { savedItems: report.added, notSavedFiles: [] };
      break;
    }
    ctx.index.addEmbeddings(rows);
    ctx.onProgress(makeProgress('embedding texts', Math.min(extra.length, start + 64), extra.length, started, now()));
  }
  lines.push(...unclaimedLines(files, claimed));
  return report;
}

async function prepareItem(
  deps: FormatDeps,
  d: Extract<Decision, { kind: 'new' | 'legacy' }>,
): Promise<Prepared | { error: { file: string; message: string } }> {
  const { item, hash, dicomUid } = d;
  try {
    const loaded = await deps.loadItem(item);
    if (!loaded.ok) return { error: loaded.error };
    const v = loaded.value;
    if (v.modality === 'ecg') {
      const prep = deps.preprocessEcg(v.record, fileOf(item));
      if (!prep.ok) return { error: prep.error };
      const { fsHz, leads, leadNames } = prep.value.display;
      return { item, hash, dicomUid, modality: 'ecg', input: prep.value.input, fsHz, leads, ...(leadNames ? { leadNames } : {}) };
    }
    const input = deps.preprocessCxr(v.image);
    const thumb = await deps.makeThumb(v.image);
    return { item, hash, dicomUid, modality: 'cxr', input, thumb };
  } catch (e) {
    // Parsers should not throw; if one does, the file is reported and the rest goes on.
    return { error: { file: fileOf(item), message: e instanceof Error ? e.message : String(e) } };
  }
}

/** Embeds one batch (ECG, CXR and their not-yet-known texts) and builds the rows of its atomic write. */
async function embedBatch(ctx: IngestContext, prepared: Prepared[]): Promise<LibraryBatch> {
  const { encoders, index } = ctx;
  const version = encoders.version;
  const out: LibraryBatch = { items: [], signals: [], images: [], embeddings: [] };
  const ecg = prepared.filter((p): p is Extract<Prepared, { modality: 'ecg' }> => p.modality === 'ecg');
  const cxr = prepared.filter((p): p is Extract<Prepared, { modality: 'cxr' }> => p.modality === 'cxr');

  const ecgVectors = await embedInputs(encoders, 'ecg', ecg.map((p) => p.input));
  ecg.forEach((p, i) => {
    out.signals.push({ id: p.item.id, fsHz: p.fsHz, nSamples: p.leads[0]?.length ?? 0, leads: p.leads, input: p.input, ...(p.leadNames ? { leadNames: p.leadNames } : {}) });
    out.embeddings.push({ version, id: p.item.id, modality: 'ecg', vector: ecgVectors[i] });
  });
  const cxrVectors = await embedInputs(encoders, 'cxr', cxr.map((p) => p.input));
  cxr.forEach((p, i) => {
    out.images.push({ id: p.item.id, thumb: p.thumb, input: p.input });
    out.embeddings.push({ version, id: p.item.id, modality: 'cxr', vector: cxrVectors[i] });
  });
  for (const p of [...ecg, ...cxr]) out.items.push(toStoredItem(p));

  const texts = [...new Set(prepared.map((p) => p.item.text.trim()).filter((t) => t && !index.hasText(t)))];
  if (texts.length) out.embeddings.push(...(await embedTexts(encoders, texts)));
  return out;
}

export async function embedTexts(encoders: MedbindEncoders, texts: string[]): Promise<StoredEmbedding[]> {
  const emb = await encoders.embedText(texts);
  const vectors = splitRows(emb.vectors, texts.length, encoders.embedDim);
  return texts.map((t, i) => ({ version: encoders.version, id: textEmbeddingId(t), modality: 'text' as const, vector: vectors[i] }));
}

function toStoredItem(p: Prepared): StoredItem {
  const { item } = p;
  const last = item.files[0]?.path.split('/').pop() ?? item.id;
  return {
    id: item.id,
    modality: item.modality,
    dataset: item.dataset,
    sourceName: last,
    labels: item.labels,
    text: item.text.trim(),
    split: item.split,
    meta: item.meta,
    addedAt: Date.now(),
    contentHash: p.hash,
    ...(p.dicomUid ? { dicomUid: p.dicomUid } : {}),
    patientKey: item.patientKey,
  };
}
