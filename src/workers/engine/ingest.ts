// The ingest pipeline as a plain function: files -> datasets -> per batch: content identity, parse +
// preprocess, batched embedding, one atomic IndexedDB write -> search index. Two stages joined by a
// bounded queue (pipeline/): reading and parsing run up to READ_AHEAD_BATCHES batches ahead of the
// encoder (on decode workers in the browser), so neither waits on the other and memory stays flat. Every file the user gave
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
import { inlineDecoders, type Decoders, type StartDecoders } from './pipeline/decoders';
import type { PrepareOutcome, PreparedInput } from './pipeline/prepare-input';
import { runTwoStages } from './pipeline/two-stages';

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
  /** Decode workers for drops of more than one batch; absent or null: decode in-line. */
  startDecoders?: StartDecoders;
  /** Batches read ahead of the encoder (the queue between the two stages). */
  readAheadBatches?: number;
}

type Prepared = PreparedInput & { item: DatasetItem; hash: string; dicomUid: string | null };
type Problem = { file: string; raw: string };

/** One batch read by the producer stage, waiting for the encoder. */
interface ReadBatch {
  /** Index of its first item in the drop. */
  start: number;
  size: number;
  /** Files that could not be hashed, read or parsed, in the order met. */
  problems: Problem[];
  identified: Identified[];
  decisions: Decision[];
  prepared: Prepared[];
}

const fileOf = (item: DatasetItem) => item.files[0]?.path ?? item.id;
const filesOf = (item: DatasetItem) => item.files.map((f) => f.path).join(' + ') || item.id;

/** Batches the reading stage may run ahead of the encoder: enough to hide a slow batch, memory stays flat. */
export const READ_AHEAD_BATCHES = 2;

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
  // Ids given to new items of this drop: a later batch may be read before an earlier one is written.
  const taken = new Set<string>();
  let done = 0;
  let next = 0;
  let stopped = false;

  // Worker start-up costs more than it saves when there is nothing to overlap with (one batch or less).
  const decoders = (total > batchSize ? ctx.startDecoders?.(total) : null) ?? inlineDecoders(ctx.deps);
  try {
    await runTwoStages<ReadBatch>({
      capacity: Math.max(1, ctx.readAheadBatches ?? READ_AHEAD_BATCHES),
      produce: async (push, stop) => {
        for (let start = 0; start < total; start += batchSize) {
          if (stop.aborted || ctx.signal.aborted) return;
          const b = await readBatch(ctx, decoders, items.slice(start, start + batchSize), start, seen, taken);
          if (!(await push(b))) return;
        }
      },
      onConsumerDone: () => decoders.dispose(),
      consume: async (b) => {
        if (ctx.signal.aborted) return false;
        for (const p of b.problems) problem(p.file, p.raw);
        const { decisions, identified } = b;
        // Items stored before content identity: the same model input means the same file.
        const fresh: Prepared[] = [];
        for (const p of b.prepared) {
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
            const notSaved = [...fresh.map((p) => p.item), ...items.slice(b.start + b.size)];
            report.storageFull = { savedItems: report.added, notSavedFiles: notSaved.map(filesOf) };
            for (const it of notSaved) lines.push({ file: filesOf(it), status: 'not-saved', message: 'not saved: the browser storage is full' });
            stopped = true;
            return false;
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
        next = b.start + b.size;
        done += b.size;
        ctx.onProgress(makeProgress('embedding', done, total, started, now()));
        await ctx.journal?.update(done, total);
        return true;
      },
    });
  } finally {
    decoders.dispose();
  }
  // Cancelled between batches: what was read ahead is dropped, every item not written gets its line.
  if (!stopped && next < total) {
    report.cancelled = true;
    for (const it of items.slice(next)) lines.push({ file: filesOf(it), status: 'skipped', message: 'not processed: the ingest was cancelled' });
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

/**
 * The reading stage for one batch: content identity, the library's decision per item, then parse +
 * preprocess of the new ones (on the decoders, several at once when they are workers). Problems are
 * collected, not reported, so report lines keep the order of the batches.
 */
async function readBatch(
  ctx: IngestContext,
  decoders: Decoders,
  batch: DatasetItem[],
  start: number,
  seen: Map<string, string>,
  taken: Set<string>,
): Promise<ReadBatch> {
  const problems: Problem[] = [];
  const identified: Identified[] = [];
  for (const item of batch) {
    try {
      identified.push(await identify(item));
    } catch (e) {
      problems.push({ file: fileOf(item), raw: `could not read: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  const decisions = (await decide(ctx.db, identified, seen)).map((d) => {
    if (d.kind !== 'new') return d;
    // The same name as a new item of an earlier batch that may not be written yet: as if it were.
    const named = taken.has(d.item.id) ? { ...d, item: { ...d.item, id: hashedId(d.item.id, d.hash) } } : d;
    taken.add(named.item.id);
    return named;
  });
  const toPrepare = decisions.filter((d): d is Extract<Decision, { kind: 'new' | 'legacy' }> => d.kind !== 'already');
  // Workers take the whole batch at once; in-line, one item after another keeps one decoded file alive.
  const outcomes: PrepareOutcome[] = [];
  if (decoders.parallelism > 1) outcomes.push(...(await Promise.all(toPrepare.map((d) => decoders.prepare(d.item)))));
  else for (const d of toPrepare) outcomes.push(await decoders.prepare(d.item));
  const prepared: Prepared[] = [];
  for (let i = 0; i < toPrepare.length; i++) {
    const { item, hash, dicomUid } = toPrepare[i];
    const o = outcomes[i];
    if ('error' in o) problems.push({ file: o.error.file, raw: o.error.message });
    else prepared.push({ ...o, item, hash, dicomUid });
  }
  return { start, size: batch.length, problems, identified, decisions, prepared };
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
