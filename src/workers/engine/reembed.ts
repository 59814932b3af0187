// Brings the library up to the active model version: every item or text that has no embedding for it
// is embedded again from the stored model inputs (no file is parsed twice). The engine runs it (one run
// per version) when a version is activated and when its index loads; resumable, since it only fills
// what is missing.
import type { MedbindEncoders } from '../../model/types';
import type { StudioDb } from '../../storage/db';
import { allItems } from '../../storage/items';
import { signalInputs } from '../../storage/signals';
import { imageInputs } from '../../storage/images';
import { embeddedIds, embeddingsOfVersion, isTextEmbeddingId, putEmbeddings, textEmbeddingId, textOfEmbeddingId, versionsWithEmbeddings } from '../../storage/embeddings';
import type { StoredEmbedding } from '../../storage/types';
import { embedTexts } from './ingest';
import { embedInputs } from '../shared/embed-rows';
import type { LibraryIndex } from './library-index';
import type { JournalHandle } from '../job-journal';

export interface ReembedContext {
  db: StudioDb;
  encoders: MedbindEncoders;
  index: LibraryIndex;
  signal: AbortSignal;
  onProgress(done: number, total: number): void;
  batchSize?: number;
  /** Runs the work of a non-empty re-embedding under a job journal entry (see job-journal.ts). */
  journal?: (total: number, work: (j: JournalHandle) => Promise<number>) => Promise<number>;
}

/** Number of rows embedded. */
export async function reembedMissing(ctx: ReembedContext): Promise<number> {
  const { db, encoders } = ctx;
  const version = encoders.version;
  const have = await embeddedIds(db, version);
  const items = await allItems(db);

  // Texts: item texts plus corpus texts known to any older version.
  const texts = new Set(items.map((it) => it.text).filter((t) => t));
  for (const v of await versionsWithEmbeddings(db)) {
    if (v === version) continue;
    for (const r of await embeddingsOfVersion(db, v)) if (r.modality === 'text' && isTextEmbeddingId(r.id)) texts.add(textOfEmbeddingId(r.id));
  }
  const missingTexts = [...texts].filter((t) => !have.has(textEmbeddingId(t)));
  const missingItems = items.filter((it) => !have.has(it.id));
  const total = missingItems.length + missingTexts.length;
  if (total === 0) return 0;
  if (ctx.journal) return ctx.journal(total, (j) => fill(ctx, have, missingTexts, total, j));
  return fill(ctx, have, missingTexts, total, null);
}

async function fill(ctx: ReembedContext, have: Set<string>, missingTexts: string[], total: number, journal: JournalHandle | null): Promise<number> {
  const { db, encoders, index, signal } = ctx;
  const version = encoders.version;
  const batch = Math.max(1, ctx.batchSize ?? 32);
  let done = 0;
  ctx.onProgress(0, total);

  const embedRows = async (kind: 'ecg' | 'cxr', rows: { id: string; input: Float32Array }[]) => {
    const todo = rows.filter((r) => !have.has(r.id));
    if (todo.length === 0) return;
    const vectors = await embedInputs(encoders, kind, todo.map((r) => r.input));
    const out: StoredEmbedding[] = todo.map((r, i) => ({ version, id: r.id, modality: kind, vector: vectors[i] }));
    await putEmbeddings(db, out);
    index.addEmbeddings(out);
    done += out.length;
    ctx.onProgress(done, total);
    await journal?.update(done, total);
  };

  for await (const rows of signalInputs(db, batch)) {
    if (signal.aborted) return done;
    await embedRows('ecg', rows);
  }
  for await (const rows of imageInputs(db, batch)) {
    if (signal.aborted) return done;
    await embedRows('cxr', rows);
  }
  for (let s = 0; s < missingTexts.length; s += 64) {
    if (signal.aborted) return done;
    const out = await embedTexts(encoders, missingTexts.slice(s, s + 64));
    await putEmbeddings(db, out);
    index.addEmbeddings(out);
    done += out.length;
    ctx.onProgress(done, total);
  }
  if (done < total) ctx.onProgress(total, total); // items without stored inputs cannot be re-embedded
  return done;
}
