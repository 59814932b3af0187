// Joins a model version's stored embeddings (packed blocks or rows) with their library items into the explorer's point table
// (column layout, sorted by id) plus one [n, d] unit-vector matrix that never leaves the worker.
import type { StoredEmbedding } from '../../storage/types';
import type { PackedEmbeddings } from '../../storage/embedding-blocks';
import type { ItemSummary } from '../../storage/item-summaries';
import { isTextEmbeddingId, textOfEmbeddingId } from '../../storage/embedding-ids';
import { normaliseRows } from './neighbours';
import { POINT_KINDS, type ExplorerPoints, type PointKind } from './methods';

/** FNV-1a (two 32-bit lanes) over the ids joined by "\n": a short stable key for the point set. */
export function hashIds(ids: readonly string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ ids.length;
  for (const id of ids) {
    for (let i = 0; i <= id.length; i++) {
      const c = i < id.length ? id.charCodeAt(i) : 10;
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
      h2 ^= h2 >>> 15;
    }
  }
  return `${ids.length}-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** The rows of one version for the point table: the packed blocks' rows (see storage/embedding-blocks.ts) or plain rows. */
type Rows = PackedEmbeddings | readonly StoredEmbedding[];

/** Flattens rows of `version` into (id, modality, source array, offset) columns without per-row copies. */
function columns(version: string, rows: Rows) {
  const ids: string[] = [];
  const modality: StoredEmbedding['modality'][] = [];
  const src: Float32Array[] = [];
  const off: number[] = [];
  const dims: number[] = [];
  if (Array.isArray(rows)) {
    for (const r of rows as readonly StoredEmbedding[]) {
      if (r.version !== version) continue;
      ids.push(r.id);
      modality.push(r.modality);
      src.push(r.vector);
      off.push(0);
      dims.push(r.vector.length);
    }
  } else {
    const p = rows as PackedEmbeddings;
    if (p.version === version) {
      for (const [kind, r] of p.byModality) {
        r.ids.forEach((id, i) => {
          ids.push(id);
          modality.push(kind);
          src.push(r.vectors);
          off.push(i * r.dim);
          dims.push(r.dim);
        });
      }
    }
  }
  return { ids, modality, src, off, dims };
}

export function buildPoints(
  version: string,
  embeddings: Rows,
  items: readonly ItemSummary[],
): { points: ExplorerPoints; vectors: Float32Array } {
  const c = columns(version, embeddings);
  const order = Array.from(c.ids.keys()).sort((a, b) => (c.ids[a] < c.ids[b] ? -1 : c.ids[a] > c.ids[b] ? 1 : 0));
  const n = order.length;
  const d = n ? c.dims[order[0]] : 0;
  const byId = new Map(items.map((it) => [it.id, it]));
  const byText = new Map<string, ItemSummary[]>();
  const keys = new Set<string>();
  const seenMeta = new Set<object>(); // summaries share one meta object per distinct value
  for (const it of items) {
    const list = byText.get(it.text);
    if (list) list.push(it);
    else byText.set(it.text, [it]);
    if (it.meta && !seenMeta.has(it.meta)) {
      seenMeta.add(it.meta);
      for (const k of Object.keys(it.meta)) keys.add(k);
    }
  }
  const metaKeys = [...keys].sort();
  const sortedIds = order.map((i) => c.ids[i]);
  const points: ExplorerPoints = {
    version,
    itemSetHash: hashIds(sortedIds),
    n,
    embedDim: d,
    ids: sortedIds,
    kind: new Uint8Array(n),
    dataset: new Array(n),
    labels: new Array(n),
    text: new Array(n),
    sourceName: new Array(n),
    split: new Array(n),
    count: new Uint32Array(n),
    meta: Object.fromEntries(metaKeys.map((k) => [k, new Array<string | number | null>(n).fill(null)])),
    orphans: 0,
  };
  const vectors = new Float32Array(n * d);
  order.forEach((row, i) => {
    const id = c.ids[row];
    const modality = c.modality[row];
    if (c.dims[row] !== d) {
      throw new Error(`embedding ${id} of version ${version} has ${c.dims[row]} dims, expected ${d}`);
    }
    vectors.set(c.src[row].subarray(c.off[row], c.off[row] + d), i * d);
    points.kind[i] = POINT_KINDS.indexOf(modality as PointKind);
    if (modality === 'text') {
      const text = isTextEmbeddingId(id) ? textOfEmbeddingId(id) : id;
      const carriers = byText.get(text) ?? [];
      points.text[i] = text;
      points.labels[i] = [...new Set(carriers.flatMap((x) => x.labels))].sort();
      points.dataset[i] = [...new Set(carriers.map((x) => x.dataset))].join(', ');
      points.sourceName[i] = text.length > 60 ? `${text.slice(0, 57)}…` : text;
      points.split[i] = '';
      points.count[i] = carriers.length;
      return;
    }
    const it = byId.get(id);
    if (!it) points.orphans++;
    points.text[i] = it?.text ?? '';
    points.labels[i] = it?.labels ?? [];
    points.dataset[i] = it?.dataset ?? '';
    points.sourceName[i] = it?.sourceName ?? id;
    points.split[i] = it?.split ?? '';
    points.count[i] = 1;
    if (it?.meta) for (const [k, v] of Object.entries(it.meta)) points.meta[k][i] = v;
  });
  normaliseRows(vectors, n, d);
  return { points, vectors };
}
