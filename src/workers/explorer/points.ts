// Joins a model version's stored embeddings with their library items into the explorer's point table
// (column layout, sorted by id) plus one [n, d] unit-vector matrix that never leaves the worker.
import type { StoredEmbedding, StoredItem } from '../../storage/types';
import { normaliseRows } from './neighbours';
import { POINT_KINDS, type ExplorerPoints, type PointKind } from './methods';

const TEXT_PREFIX = 'text:';

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

export function buildPoints(
  version: string,
  embeddings: readonly StoredEmbedding[],
  items: readonly StoredItem[],
): { points: ExplorerPoints; vectors: Float32Array } {
  const rows = embeddings.filter((e) => e.version === version).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = rows.length;
  const d = n ? rows[0].vector.length : 0;
  const byId = new Map(items.map((it) => [it.id, it]));
  const byText = new Map<string, StoredItem[]>();
  for (const it of items) {
    const list = byText.get(it.text);
    if (list) list.push(it);
    else byText.set(it.text, [it]);
  }
  const metaKeys = [...new Set(items.flatMap((it) => Object.keys(it.meta ?? {})))].sort();
  const points: ExplorerPoints = {
    version,
    itemSetHash: hashIds(rows.map((r) => r.id)),
    n,
    embedDim: d,
    ids: new Array(n),
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
  rows.forEach((row, i) => {
    if (row.vector.length !== d) {
      throw new Error(`embedding ${row.id} of version ${version} has ${row.vector.length} dims, expected ${d}`);
    }
    vectors.set(row.vector, i * d);
    points.ids[i] = row.id;
    points.kind[i] = POINT_KINDS.indexOf(row.modality as PointKind);
    if (row.modality === 'text') {
      const text = row.id.startsWith(TEXT_PREFIX) ? row.id.slice(TEXT_PREFIX.length) : row.id;
      const carriers = byText.get(text) ?? [];
      points.text[i] = text;
      points.labels[i] = [...new Set(carriers.flatMap((c) => c.labels))].sort();
      points.dataset[i] = [...new Set(carriers.map((c) => c.dataset))].join(', ');
      points.sourceName[i] = text.length > 60 ? `${text.slice(0, 57)}…` : text;
      points.split[i] = '';
      points.count[i] = carriers.length;
      return;
    }
    const it = byId.get(row.id);
    if (!it) points.orphans++;
    points.text[i] = it?.text ?? '';
    points.labels[i] = it?.labels ?? [];
    points.dataset[i] = it?.dataset ?? '';
    points.sourceName[i] = it?.sourceName ?? row.id;
    points.split[i] = it?.split ?? '';
    points.count[i] = 1;
    if (it?.meta) for (const [k, v] of Object.entries(it.meta)) points.meta[k][i] = v;
  });
  normaliseRows(vectors, n, d);
  return { points, vectors };
}
