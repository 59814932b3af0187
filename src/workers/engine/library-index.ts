// The search state of the active model version: one VectorIndex per modality (ECG, CXR, text) built once
// from IndexedDB's packed blocks and updated as items are ingested, plus how many items carry each exact text.
import type { StudioDb } from '../../storage/db';
import { allItems } from '../../storage/items';
import { compactEmbeddings, needsCompaction, readPackedEmbeddings, type PackedEmbeddings } from '../../storage/embedding-blocks';
import type { StoredEmbedding, StoredItem } from '../../storage/types';
import { VectorIndex } from './vector-index';
import { isTextEmbeddingId, textEmbeddingId, textOfEmbeddingId } from '../../storage/embedding-ids';


export class LibraryIndex {
  readonly ecg: VectorIndex;
  readonly cxr: VectorIndex;
  readonly text: VectorIndex;
  /** exact text -> number of library items carrying it */
  readonly textCount = new Map<string, number>();

  constructor(readonly version: string, readonly dim: number) {
    this.ecg = new VectorIndex(dim);
    this.cxr = new VectorIndex(dim);
    this.text = new VectorIndex(dim);
  }

  static async load(db: StudioDb, version: string, dim: number): Promise<LibraryIndex> {
    const idx = new LibraryIndex(version, dim);
    const [items, packed] = await Promise.all([allItems(db), readPackedEmbeddings(db, version)]);
    idx.addItems(items);
    idx.addPacked(packed);
    // Many small blocks (one per ingest batch) or superseded rows: rewrite them as full blocks once.
    if (needsCompaction(packed)) await compactEmbeddings(db, version);
    return idx;
  }

  /** Packed rows of this version, a whole block of rows per call (rows of the wrong size are ignored). */
  addPacked(p: PackedEmbeddings): void {
    if (p.version !== this.version) return;
    for (const [modality, r] of p.byModality) {
      if (r.dim !== this.dim) continue;
      const target = modality === 'ecg' ? this.ecg : modality === 'cxr' ? this.cxr : this.text;
      target.addMany(r.ids, r.vectors);
    }
  }

  addItems(items: readonly Pick<StoredItem, 'text'>[]): void {
    for (const it of items) if (it.text) this.textCount.set(it.text, (this.textCount.get(it.text) ?? 0) + 1);
  }

  /** Rows of another version or of the wrong size are ignored (never mixed into this index). */
  addEmbeddings(rows: readonly StoredEmbedding[]): void {
    for (const r of rows) {
      if (r.version !== this.version || r.vector.length !== this.dim) continue;
      const target = r.modality === 'ecg' ? this.ecg : r.modality === 'cxr' ? this.cxr : this.text;
      target.add(r.id, r.vector);
    }
  }

  /** The text behind a text row id (see storage/embedding-ids.ts). */
  static textOf(id: string): string {
    return isTextEmbeddingId(id) ? textOfEmbeddingId(id) : id;
  }

  hasText(text: string): boolean {
    return this.text.has(textEmbeddingId(text));
  }

  clear(): void {
    this.ecg.clear();
    this.cxr.clear();
    this.text.clear();
    this.textCount.clear();
  }
}
