// The ingest pipeline as a plain function: files -> datasets -> per item parse + preprocess -> batched
// embedding -> one atomic IndexedDB write per batch -> search index. A broken file becomes an error entry
// (file + reason) and everything else goes in; cancellation is honoured between batches.
import type { DatasetItem, InputFile } from '../../formats/types';
import type { MedbindEncoders } from '../../model/types';
import type { StudioDb } from '../../storage/db';
import { existingIds } from '../../storage/items';
import { saveLibraryBatch, type LibraryBatch } from '../../storage/library';
import { putEmbeddings, textEmbeddingId } from '../../storage/embeddings';
import type { StoredEmbedding, StoredItem } from '../../storage/types';
import type { IngestReport, Progress } from '../api';
import type { FormatDeps } from './deps';
import type { LibraryIndex } from './library-index';
import { makeProgress } from './progress';

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
}

type Prepared =
  | { item: DatasetItem; modality: 'ecg'; input: Float32Array; fsHz: number; leads: Float32Array[]; leadNames?: string[] }
  | { item: DatasetItem; modality: 'cxr'; input: Float32Array; thumb: Blob };

const fileOf = (item: DatasetItem) => item.files[0]?.path ?? item.id;

export async function ingestFiles(ctx: IngestContext, files: InputFile[]): Promise<IngestReport> {
  const now = ctx.now ?? (() => performance.now());
  const batchSize = Math.max(1, ctx.batchSize ?? 16);
  const report: IngestReport = { added: 0, skipped: 0, errors: [], cancelled: false };
  const started = now();

  ctx.onProgress(makeProgress('reading files', 0, files.length, started, now()));
  const discovery = await ctx.deps.discoverDatasets(files);
  for (const e of discovery.errors) report.errors.push({ file: e.file, message: e.message });

  const present = await existingIds(ctx.db, discovery.items.map((it) => it.id));
  const seen = new Set<string>();
  const todo = discovery.items.filter((it) => {
    if (present.has(it.id) || seen.has(it.id)) return false;
    seen.add(it.id);
    return true;
  });
  report.skipped = discovery.items.length - todo.length;
  const total = todo.length;
  let done = 0;

  for (let start = 0; start < total; start += batchSize) {
    if (ctx.signal.aborted) {
      report.cancelled = true;
      return report;
    }
    const batch = todo.slice(start, start + batchSize);
    const prepared: Prepared[] = [];
    for (const item of batch) {
      const p = await prepareItem(ctx.deps, item);
      if ('error' in p) report.errors.push(p.error);
      else prepared.push(p);
    }
    const rows = await embedBatch(ctx, prepared);
    await saveLibraryBatch(ctx.db, rows);
    ctx.index.addItems(rows.items);
    ctx.index.addEmbeddings(rows.embeddings);
    report.added += rows.items.length;
    done += batch.length;
    ctx.onProgress(makeProgress('embedding', done, total, started, now()));
  }

  // Extra corpus text (e.g. captions) is searchable text without an item.
  const extra = [...new Set(discovery.texts.map((t) => t.trim()).filter((t) => t && !ctx.index.hasText(t)))];
  for (let start = 0; start < extra.length; start += 64) {
    if (ctx.signal.aborted) {
      report.cancelled = true;
      return report;
    }
    const rows = await embedTexts(ctx.encoders, extra.slice(start, start + 64));
    await putEmbeddings(ctx.db, rows);
    ctx.index.addEmbeddings(rows);
    ctx.onProgress(makeProgress('embedding texts', Math.min(extra.length, start + 64), extra.length, started, now()));
  }
  return report;
}

async function prepareItem(deps: FormatDeps, item: DatasetItem): Promise<Prepared | { error: { file: string; message: string } }> {
  try {
    const loaded = await deps.loadItem(item);
    if (!loaded.ok) return { error: loaded.error };
    const v = loaded.value;
    if (v.modality === 'ecg') {
      const prep = deps.preprocessEcg(v.record, fileOf(item));
      if (!prep.ok) return { error: prep.error };
      const { fsHz, leads, leadNames } = prep.value.display;
      return { item, modality: 'ecg', input: prep.value.input, fsHz, leads, ...(leadNames ? { leadNames } : {}) };
    }
    const input = deps.preprocessCxr(v.image);
    const thumb = await deps.makeThumb(v.image);
    return { item, modality: 'cxr', input, thumb };
  } catch (e) {
    // Parsers should not throw; if one does, the file is reported and the rest goes on.
    return { error: { file: fileOf(item), message: e instanceof Error ? e.message : String(e) } };
  }
}

/** Embeds one batch (ECG, CXR and their not-yet-known texts) and builds the rows of its atomic write. */
async function embedBatch(ctx: IngestContext, prepared: Prepared[]): Promise<LibraryBatch> {
  const { encoders, index } = ctx;
  const version = encoders.version;
  const d = encoders.embedDim;
  const out: LibraryBatch = { items: [], signals: [], images: [], embeddings: [] };
  const ecg = prepared.filter((p): p is Extract<Prepared, { modality: 'ecg' }> => p.modality === 'ecg');
  const cxr = prepared.filter((p): p is Extract<Prepared, { modality: 'cxr' }> => p.modality === 'cxr');

  if (ecg.length) {
    const n = ecg.length;
    const x = new Float32Array(n * ecg[0].input.length);
    ecg.forEach((p, i) => x.set(p.input, i * p.input.length));
    const emb = await encoders.embedEcg(x, n);
    ecg.forEach((p, i) => {
      out.signals.push({ id: p.item.id, fsHz: p.fsHz, nSamples: p.leads[0]?.length ?? 0, leads: p.leads, input: p.input, ...(p.leadNames ? { leadNames: p.leadNames } : {}) });
      out.embeddings.push({ version, id: p.item.id, modality: 'ecg', vector: emb.vectors.slice(i * d, (i + 1) * d) });
    });
  }
  if (cxr.length) {
    const n = cxr.length;
    const x = new Float32Array(n * cxr[0].input.length);
    cxr.forEach((p, i) => x.set(p.input, i * p.input.length));
    const emb = await encoders.embedCxr(x, n);
    cxr.forEach((p, i) => {
      out.images.push({ id: p.item.id, thumb: p.thumb, input: p.input });
      out.embeddings.push({ version, id: p.item.id, modality: 'cxr', vector: emb.vectors.slice(i * d, (i + 1) * d) });
    });
  }
  for (const p of [...ecg, ...cxr]) out.items.push(toStoredItem(p.item));

  const texts = [...new Set(prepared.map((p) => p.item.text.trim()).filter((t) => t && !index.hasText(t)))];
  if (texts.length) out.embeddings.push(...(await embedTexts(encoders, texts)));
  return out;
}

export async function embedTexts(encoders: MedbindEncoders, texts: string[]): Promise<StoredEmbedding[]> {
  const emb = await encoders.embedText(texts);
  const d = encoders.embedDim;
  return texts.map((t, i) => ({ version: encoders.version, id: textEmbeddingId(t), modality: 'text' as const, vector: emb.vectors.slice(i * d, (i + 1) * d) }));
}

function toStoredItem(item: DatasetItem): StoredItem {
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
  };
}
