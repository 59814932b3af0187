// In-memory embedding matrix for one modality of the active model version: built once from IndexedDB,
// grown on ingest, searched with topk.ts. Rows are keyed by id; re-adding an id overwrites its row.
import { searchTopK } from './topk';

export interface Hit {
  id: string;
  similarity: number;
}

export class VectorIndex {
  private matrix: Float32Array;
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private scratch = new Float32Array(0);

  constructor(readonly dim: number, initialRows = 1024) {
    this.matrix = new Float32Array(Math.max(1, initialRows) * dim);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  idAt(row: number): string {
    return this.ids[row];
  }

  /** Adds or replaces rows. `vectors` is [ids.length, dim] row-major. */
  addMany(ids: readonly string[], vectors: Float32Array): void {
    if (vectors.length !== ids.length * this.dim) {
      throw new Error(`index: ${ids.length} ids need ${ids.length * this.dim} values, got ${vectors.length}`);
    }
    this.reserve(this.ids.length + ids.length);
    ids.forEach((id, i) => {
      let row = this.rowOf.get(id);
      if (row === undefined) {
        row = this.ids.length;
        this.ids.push(id);
        this.rowOf.set(id, row);
      }
      this.matrix.set(vectors.subarray(i * this.dim, (i + 1) * this.dim), row * this.dim);
    });
  }

  add(id: string, vector: Float32Array): void {
    this.addMany([id], vector);
  }

  /** The k rows most similar to `query` (cosine for normalised rows), best first. */
  search(query: Float32Array, k: number): Hit[] {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    if (this.scratch.length < n) this.scratch = new Float32Array(this.matrix.length / this.dim);
    const { indices, scores } = searchTopK(this.matrix, n, this.dim, query, k, this.scratch);
    return Array.from(indices, (row, r) => ({ id: this.ids[row], similarity: scores[r] }));
  }

  clear(): void {
    this.ids.length = 0;
    this.rowOf.clear();
  }

  private reserve(rows: number): void {
    const cap = this.matrix.length / this.dim;
    if (rows <= cap) return;
    const next = new Float32Array(Math.max(rows, cap * 2) * this.dim);
    next.set(this.matrix.subarray(0, this.ids.length * this.dim));
    this.matrix = next;
  }
}
