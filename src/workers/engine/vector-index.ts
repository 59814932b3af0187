// In-memory embedding matrix for one modality of the active model version: built once from IndexedDB,
// grown on ingest, searched with topk.ts. Rows are keyed by id; re-adding an id overwrites its row.
// Beside the float32 rows it keeps an int8 copy (int8-rows.ts): larger indexes are scanned in int8 with
// SIMD and re-ranked in float32 (rerank.ts), with results identical to the float32 scan.
import { Int8Rows } from './int8-rows';
import { DEFAULT_MIN_CANDIDATES, rerankedTopK, type RerankStats } from './rerank';
import { searchTopK } from './topk';

export interface Hit {
  id: string;
  similarity: number;
}

export interface VectorIndexOptions {
  /** From this many rows on, search scans the int8 copy first (smaller indexes: the float32 scan is cheap). */
  quantiseFromRows?: number;
  /** Float32 re-rank depth of the first round (see rerank.ts). */
  minCandidates?: number;
}

export class VectorIndex {
  private matrix: Float32Array;
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private scratch = new Float32Array(0);
  private readonly int8: Int8Rows | null;
  /** Rows holding NaN or infinities: the int8 path cannot bound them, so their presence means float32 scans. */
  private readonly nonFiniteRows = new Set<number>();
  private readonly quantiseFromRows: number;
  private readonly minCandidates: number;
  /** How the last search ran: null for a float32 scan. */
  lastRerank: RerankStats | null = null;

  constructor(readonly dim: number, initialRows = 1024, opts: VectorIndexOptions = {}) {
    this.matrix = new Float32Array(Math.max(1, initialRows) * dim);
    this.int8 = Int8Rows.create(dim);
    this.quantiseFromRows = opts.quantiseFromRows ?? 1024;
    this.minCandidates = opts.minCandidates ?? DEFAULT_MIN_CANDIDATES;
  }

  /** Whether search can take the int8 path here (WebAssembly SIMD present). */
  get quantised(): boolean {
    return this.int8 !== null;
  }

  /** The int8 block (for the bandwidth anchor of the bench), or null. */
  get int8Rows(): Int8Rows | null {
    return this.int8;
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
      const v = vectors.subarray(i * this.dim, (i + 1) * this.dim);
      this.matrix.set(v, row * this.dim);
      if (allFinite(v)) this.nonFiniteRows.delete(row);
      else this.nonFiniteRows.add(row);
      this.int8?.set(row, v);
    });
  }

  add(id: string, vector: Float32Array): void {
    this.addMany([id], vector);
  }

  /** The k rows most similar to `query` (cosine for normalised rows), best first. */
  search(query: Float32Array, k: number): Hit[] {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    if (query.length !== this.dim) throw new Error(`index: query has ${query.length} dims, the index has ${this.dim}`);
    this.lastRerank = null;
    let top;
    if (this.int8 && n >= this.quantiseFromRows && this.nonFiniteRows.size === 0 && allFinite(query)) {
      top = rerankedTopK(this.matrix, this.int8, query, k, this.minCandidates);
      this.lastRerank = { candidates: top.candidates, rounds: top.rounds };
    } else {
      if (this.scratch.length < n) this.scratch = new Float32Array(this.matrix.length / this.dim);
      top = searchTopK(this.matrix, n, this.dim, query, k, this.scratch);
    }
    const { indices, scores } = top;
    return Array.from(indices, (row, r) => ({ id: this.ids[row], similarity: scores[r] }));
  }

  clear(): void {
    this.ids.length = 0;
    this.rowOf.clear();
    this.nonFiniteRows.clear();
    this.int8?.clear();
  }

  private reserve(rows: number): void {
    const cap = this.matrix.length / this.dim;
    if (rows <= cap) return;
    const next = new Float32Array(Math.max(rows, cap * 2) * this.dim);
    next.set(this.matrix.subarray(0, this.ids.length * this.dim));
    this.matrix = next;
  }
}

function allFinite(v: Float32Array): boolean {
  for (let j = 0; j < v.length; j++) if (!Number.isFinite(v[j])) return false;
  return true;
}
