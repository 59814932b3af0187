// The explorer worker's handlers: load a version's vectors from IndexedDB once, compute maps (cached),
// answer neighbour and text-query questions in the full space, and build export files. Kept apart from
// explorer.worker.ts so tests run it in-process (fake-indexeddb + FakeWorker).
import { readPackedEmbeddings } from '../../storage/embedding-blocks';
import { SUMMARY_BLOCK_ROWS, compactItemSummaries, readItemSummaries } from '../../storage/item-summaries';
import { activeVersionId } from '../../storage/active-version';
import type { StudioDb } from '../../storage/db';
import { fitPca, projectPca, type PcaModel } from '../../model/projection/pca';
import { runProjection } from '../../model/projection/project';
import type { Handlers } from '../rpc-worker';
import { withTransfer } from '../protocol';
import { layeredCache, projectionKey, type ProjectionCache } from './cache';
import type { ExplorerMethods, ExplorerPoints, ExportFile, ProjectionResult } from './methods';
import { POINT_KINDS } from './methods';
import { neighboursByKind, placeBySimilarity } from './neighbours';
import { encodeNpy } from './npy';
import { buildPoints } from './points';
import { metadataTsv, toCsv, vectorsTsv } from './text-formats';
import { lazyDb } from '../shared/lazy-db';
import { badInput } from '../shared/errors';

const DEFAULT_SEED = 42;
const MAX_K = 100;

export interface ExplorerDeps {
  openDb(): Promise<StudioDb>;
  /** The shipped weights' version (manifest.json); needed when load is called without a version. */
  shippedVersion?(): Promise<string>;
  /** Overrides the cache (tests); default: memory in front of IndexedDB. */
  cache?: ProjectionCache;
}

interface Loaded {
  points: ExplorerPoints;
  vectors: Float32Array;
}


export function createExplorerHandlers(deps: ExplorerDeps): Handlers<ExplorerMethods> {
  let cache: ProjectionCache | null = deps.cache ?? null;
  let loaded: Loaded | null = null;
  const pcaModels = new Map<string, PcaModel>(); // key: hash|dims
  const lastCoords = new Map<string, Float32Array>(); // method|dims -> coords of the loaded set

  let compactPending = false;
  const db = lazyDb(deps.openDb);
  const getCache = async () => (cache ??= layeredCache(await db()));
  const activeVersion = async (handle: StudioDb): Promise<string> => {
    if (!deps.shippedVersion) throw badInput('explorer: no version given and no shipped weights to fall back on');
    return activeVersionId(handle, await deps.shippedVersion());
  };
  const need = (): Loaded => {
    if (!loaded) throw badInput('explorer: no library loaded (call load first)');
    return loaded;
  };
  const checkIndex = (i: number, n: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw badInput(`explorer: point index ${i} is outside 0..${n - 1}`);
  };
  const pcaModel = (l: Loaded, dims: number): PcaModel => {
    const key = `${l.points.itemSetHash}|${dims}`;
    let m = pcaModels.get(key);
    if (!m) {
      const k = Math.min(dims, l.points.embedDim);
      m = fitPca(l.vectors, l.points.n, l.points.embedDim, k, { seed: DEFAULT_SEED });
      pcaModels.set(key, m);
    }
    return m;
  };
  const pickRows = (l: Loaded, indices?: number[]): number[] => {
    const rows = indices ?? Array.from({ length: l.points.n }, (_, i) => i);
    rows.forEach((i) => checkIndex(i, l.points.n));
    return rows;
  };

  return {
    async load(params) {
      const handle = await db();
      const version = params.version ?? (await activeVersion(handle));
      const [embeddings, summaries] = await Promise.all([readPackedEmbeddings(handle, version), readItemSummaries(handle)]);
      const built = buildPoints(version, embeddings, summaries.items);
      // Many small ingest blocks are rewritten as full ones, after the first map (not before the first draw).
      compactPending = summaries.packed && summaries.blocks > Math.ceil(summaries.items.length / SUMMARY_BLOCK_ROWS);
      if (!loaded || loaded.points.itemSetHash !== built.points.itemSetHash || loaded.points.version !== version) {
        pcaModels.clear();
        lastCoords.clear();
      }
      loaded = built;
      // The page asks for the 2-D PCA map next: fit it while the point table travels to the page and is
      // drawn (a macrotask, so the reply is posted first). project() finds the model in pcaModels.
      setTimeout(() => {
        try {
          if (loaded === built && built.points.n > 0) pcaModel(built, 2);
        } catch {
          // project() fits again and reports the error to its caller
        }
      }, 0);
      return built.points;
    },

    async project({ method, dims, seed = DEFAULT_SEED }, ctx) {
      const l = need();
      const t0 = Date.now();
      const { n, embedDim: d, version, itemSetHash } = l.points;
      if (n === 0) return { method, dims, coords: new Float32Array(0), nFit: 0, cached: false, elapsedMs: 0 };
      const key = projectionKey(version, itemSetHash, method, dims, seed);
      const c = await getCache();
      const hit = await c.get(key);
      let result: ProjectionResult;
      if (hit && hit.coords.length === n * dims) {
        result = { method, dims, coords: hit.coords, nFit: hit.nFit, explained: hit.explained, cached: true, elapsedMs: Date.now() - t0 };
      } else if (method === 'pca') {
        const m = pcaModel(l, dims);
        const p = projectPca(m, l.vectors, n);
        const coords = new Float32Array(n * dims);
        for (let i = 0; i < n; i++) for (let a = 0; a < m.k; a++) coords[i * dims + a] = p[i * m.k + a];
        const explained = Array.from(m.variance, (v) => v / (m.totalVariance || 1));
        result = { method, dims, coords, nFit: m.nFit, explained, cached: false, elapsedMs: Date.now() - t0 };
      } else {
        const out = await runProjection(l.vectors, n, d, { method, dims, seed }, ctx.progress, ctx.signal);
        result = { method, dims, coords: out.coords, nFit: out.nFit, cached: false, elapsedMs: Date.now() - t0 };
      }
      if (!result.cached) {
        await c.put({
          key, version, itemSetHash, method, dims, seed, coords: result.coords, nFit: result.nFit,
          explained: result.explained, createdAt: Date.now(),
        });
      }
      lastCoords.set(`${method}|${dims}`, result.coords);
      if (compactPending) {
        compactPending = false;
        void db().then(compactItemSummaries).catch(() => undefined); // a failed rewrite leaves the blocks as they were
      }
      // The worker keeps its copy (for query placement); the page gets a transferred clone.
      const coords = result.coords.slice();
      return withTransfer({ ...result, coords }, [coords.buffer]);
    },

    async neighbours({ index, k }) {
      const l = need();
      checkIndex(index, l.points.n);
      const d = l.points.embedDim;
      const q = l.vectors.slice(index * d, index * d + d);
      return neighboursByKind(l.vectors, l.points.n, d, l.points.kind, q, Math.min(MAX_K, Math.max(1, k)), index);
    },

    async query({ vector, k, method, dims }) {
      const l = need();
      const d = l.points.embedDim;
      if (!(vector instanceof Float32Array) || vector.length !== d) {
        throw badInput(`explorer: the query vector has ${vector?.length ?? 0} dims, the library has ${d}`);
      }
      const neighbours = neighboursByKind(l.vectors, l.points.n, d, l.points.kind, vector, Math.min(MAX_K, Math.max(1, k)));
      let norm = 0;
      for (const v of vector) norm += v * v;
      const unit = Float32Array.from(vector, (v) => v / (Math.sqrt(norm) || 1));
      let position: number[];
      if (method === 'pca') {
        const m = pcaModel(l, dims);
        const p = projectPca(m, unit, 1);
        position = Array.from({ length: dims }, (_, a) => (a < m.k ? p[a] : 0));
      } else {
        const coords = lastCoords.get(`${method}|${dims}`);
        if (!coords) throw badInput(`explorer: no ${method} ${dims}-D map computed yet`);
        position = placeBySimilarity(l.vectors, l.points.n, d, coords, dims, unit);
      }
      return { position, neighbours };
    },

    async exportEmbeddings({ format, indices }) {
      const l = need();
      const rows = pickRows(l, indices);
      const d = l.points.embedDim;
      const sub = new Float32Array(rows.length * d);
      rows.forEach((r, i) => sub.set(l.vectors.subarray(r * d, r * d + d), i * d));
      const base = `medbind-${safeName(l.points.version)}`;
      const meta = metadataTable(l.points, rows);
      const files: ExportFile[] = [];
      if (format === 'npy') {
        files.push({ name: `${base}-embeddings.npy`, blob: new Blob([encodeNpy(sub, [rows.length, d]) as BlobPart]) });
        files.push({ name: `${base}-metadata.tsv`, blob: new Blob([metadataTsv(meta.columns, meta.rows)], { type: 'text/tab-separated-values' }) });
      } else {
        files.push({ name: `${base}-vectors.tsv`, blob: new Blob([vectorsTsv(sub, rows.length, d)], { type: 'text/tab-separated-values' }) });
        files.push({ name: `${base}-metadata.tsv`, blob: new Blob([metadataTsv(meta.columns, meta.rows)], { type: 'text/tab-separated-values' }) });
      }
      return files;
    },

    async exportSelection({ indices }) {
      const l = need();
      const rows = pickRows(l, indices);
      const meta = metadataTable(l.points, rows);
      return {
        name: `medbind-selection-${rows.length}.csv`,
        blob: new Blob([toCsv(meta.columns, meta.rows)], { type: 'text/csv' }),
      };
    },
  };
}

/** Columns for metadata.tsv / selection CSV: id, modality, dataset, labels, text, split, then meta keys. */
export function metadataTable(p: ExplorerPoints, rows: readonly number[]): { columns: string[]; rows: string[][] } {
  const metaKeys = Object.keys(p.meta);
  const columns = ['id', 'modality', 'dataset', 'labels', 'text', 'split', ...metaKeys];
  return {
    columns,
    rows: rows.map((i) => [
      p.ids[i],
      POINT_KINDS[p.kind[i]] ?? '',
      p.dataset[i],
      p.labels[i].join('; '),
      p.text[i],
      p.split[i],
      ...metaKeys.map((k) => (p.meta[k][i] === null ? '' : String(p.meta[k][i]))),
    ]),
  };
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
