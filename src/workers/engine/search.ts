// Search over the active version's index: a query vector -> top-K ECGs, CXRs and texts by cosine, with
// item metadata from IndexedDB; query findings are the texts nearest to the query.
import type { StudioDb } from '../../storage/db';
import { getItems } from '../../storage/items';
import type { Modality } from '../../formats/types';
import type { ItemHit, SearchResults, TextHit } from '../api';
import { LibraryIndex } from './library-index';
import type { Hit } from './vector-index';

/** How many texts are shown as the query's findings. */
export const N_FINDINGS = 3;

export async function searchByVector(
  db: StudioDb,
  index: LibraryIndex,
  query: { kind: Modality | 'text'; name: string; vector: Float32Array },
  k: number,
  startedMs: number,
): Promise<SearchResults> {
  const kk = Math.max(1, Math.min(1000, Math.floor(k)));
  const ecgHits = index.ecg.search(query.vector, kk);
  const cxrHits = index.cxr.search(query.vector, kk);
  const textHits = index.text.search(query.vector, Math.max(kk, N_FINDINGS));
  const [ecg, cxr] = await Promise.all([toItemHits(db, ecgHits, 'ecg'), toItemHits(db, cxrHits, 'cxr')]);
  const texts: TextHit[] = textHits.map((h) => {
    const text = LibraryIndex.textOf(h.id);
    return { text, similarity: h.similarity, count: index.textCount.get(text) ?? 0 };
  });
  return {
    query: { kind: query.kind, name: query.name, findings: texts.slice(0, N_FINDINGS) },
    ecg,
    cxr,
    text: texts.slice(0, kk),
    elapsedMs: performance.now() - startedMs,
  };
}

async function toItemHits(db: StudioDb, hits: Hit[], modality: Modality): Promise<ItemHit[]> {
  const rows = await getItems(db, hits.map((h) => h.id));
  const out: ItemHit[] = [];
  hits.forEach((h, i) => {
    const it = rows[i];
    if (!it) return; // removed meanwhile
    out.push({ id: it.id, modality, dataset: it.dataset, sourceName: it.sourceName, labels: it.labels, text: it.text, similarity: h.similarity });
  });
  return out;
}
