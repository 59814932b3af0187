// The explorer worker end to end in-process: real handlers behind serveRpc on a FakeWorker, the real
// client, and a fake-indexeddb library.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../../storage/db';
import { putEmbeddings, textEmbeddingId } from '../../storage/embeddings';
import { putItems } from '../../storage/items';
import { SUMMARY_STORE, readItemSummaries } from '../../storage/item-summaries';
import { setSetting } from '../../storage/settings';
import { putVersion } from '../../storage/versions';
import type { StoredEmbedding, StoredItem } from '../../storage/types';
import { makeNormal, makeRng } from '../../model/rng';
import { RpcError } from '../protocol';
import { serveRpc } from '../rpc-worker';
import { FakeWorker } from '../testing/fake-worker';
import { parseCsvCells } from '../../formats/csv';
import { createExplorerClient } from './client';
import { memoryCache } from './cache';
import type { ExplorerMethods } from './methods';
import { createExplorerHandlers } from './service';

const D = 16;
let seq = 0;

/** A library of nPer ECGs + nPer CXRs in two label clusters, with their two texts. */
async function makeLibrary(nPer: number) {
  const name = `explorer-test-${Date.now()}-${seq++}`;
  const db = await openStudioDb({ name });
  const normal = makeNormal(makeRng(5));
  const centre = (label: string) => Float32Array.from({ length: D }, (_, j) => (j === (label === 'MI' ? 0 : 1) ? 5 : 0));
  const items: StoredItem[] = [];
  const emb: StoredEmbedding[] = [];
  for (let i = 0; i < 2 * nPer; i++) {
    const modality = i % 2 ? 'cxr' : 'ecg';
    const label = i % 4 < 2 ? 'MI' : 'NORM';
    const id = `ds/${modality}-${String(i).padStart(3, '0')}`;
    const text = label === 'MI' ? 'myocardial infarction' : 'normal study';
    items.push({ id, modality, dataset: 'ds', sourceName: `${id}.x`, labels: [label], text, split: 'test', meta: { age: 40 + i }, addedAt: 0 });
    emb.push({ version: 'v1', id, modality, vector: Float32Array.from(centre(label), (v) => v + 0.3 * normal()) });
  }
  for (const label of ['MI', 'NORM']) {
    const text = label === 'MI' ? 'myocardial infarction' : 'normal study';
    emb.push({ version: 'v1', id: textEmbeddingId(text), modality: 'text', vector: centre(label) });
  }
  emb.push({ version: 'v0', id: 'ds/ecg-000', modality: 'ecg', vector: new Float32Array(D).fill(1) }); // other version
  await putItems(db, items);
  await putEmbeddings(db, emb);
  return { db, items };
}

function setup(db: Awaited<ReturnType<typeof openStudioDb>>) {
  let worker: FakeWorker | null = null;
  const client = createExplorerClient(() => {
    worker = new FakeWorker();
    serveRpc<ExplorerMethods>(createExplorerHandlers({ openDb: async () => db, cache: memoryCache() }), worker.scope);
    return worker;
  });
  return { client, worker: () => worker };
}

describe('explorer worker', () => {
  it('loads every embedded item and text of the version, with metadata joined', async () => {
    const { db } = await makeLibrary(10);
    const { client } = setup(db);
    const p = await client.load('v1');
    expect(p.n).toBe(22);
    expect(p.embedDim).toBe(D);
    expect([...p.kind].filter((k) => k === 2).length).toBe(2);
    const t = p.ids.indexOf('text:myocardial infarction');
    expect(p.labels[t]).toEqual(['MI']);
    expect(p.count[t]).toBe(10);
    const e = p.ids.indexOf('ds/ecg-004');
    expect(p.meta.age[e]).toBe(44);
    expect(p.sourceName[e]).toBe('ds/ecg-004.x');
    client.dispose();
  });

  it('the point table read from the packed item summaries is the one the item records give', async () => {
    const { db } = await makeLibrary(10);
    expect((await readItemSummaries(db)).packed).toBe(true);
    const fromSummaries = await setup(db).client.load('v1');
    await db.clear(SUMMARY_STORE); // no summaries: the explorer reads the item records
    expect((await readItemSummaries(db)).packed).toBe(false);
    const fromItems = await setup(db).client.load('v1');
    expect(fromSummaries).toEqual(fromItems);
    expect(fromSummaries.meta.age.filter((v) => v !== null).length).toBe(20);
  });

  it('computes PCA at once and caches UMAP/t-SNE per version and item set', async () => {
    const { db } = await makeLibrary(10);
    const { client } = setup(db);
    await client.load('v1');
    const pca = await client.project({ method: 'pca', dims: 3 }).promise;
    expect(pca.coords.length).toBe(22 * 3);
    expect(pca.explained![0]).toBeGreaterThan(0.5); // two clusters: one dominant axis
    const progress: number[] = [];
    const first = await client.project({ method: 'tsne', dims: 2 }, (pr) => progress.push(pr.done)).promise;
    expect(first.cached).toBe(false);
    expect(progress.length).toBeGreaterThan(0);
    const again = await client.project({ method: 'tsne', dims: 2 }).promise;
    expect(again.cached).toBe(true);
    expect(Array.from(again.coords)).toEqual(Array.from(first.coords));
    client.dispose();
  });

  it('lists neighbours per modality by cosine, never the point itself', async () => {
    const { db } = await makeLibrary(10);
    const { client } = setup(db);
    const p = await client.load('v1');
    const i = p.ids.indexOf('ds/ecg-000'); // MI
    const nb = await client.neighbours(i, 3);
    expect(nb.ecg.map((h) => h.index)).not.toContain(i);
    for (const kind of ['ecg', 'cxr'] as const) {
      expect(nb[kind].length).toBe(3);
      for (const h of nb[kind]) expect(p.labels[h.index]).toEqual(['MI']);
    }
    expect(p.text[nb.text[0].index]).toBe('myocardial infarction');
    expect(nb.ecg[0].similarity).toBeGreaterThanOrEqual(nb.ecg[2].similarity);
    client.dispose();
  });

  it('places a text query on the map next to its nearest items', async () => {
    const { db } = await makeLibrary(10);
    const { client } = setup(db);
    const p = await client.load('v1');
    const pca = await client.project({ method: 'pca', dims: 2 }).promise;
    const q = new Float32Array(D);
    q[1] = 1; // the NORM direction
    const r = await client.query(q, 5, 'pca', 2);
    expect(r.neighbours.cxr.every((h) => p.labels[h.index][0] === 'NORM')).toBe(true);
    const t = p.ids.indexOf('text:normal study');
    expect(r.position[0]).toBeCloseTo(pca.coords[t * 2], 3); // same vector as the NORM text point
    await client.project({ method: 'umap', dims: 2 }).promise;
    const u = await client.query(q, 5, 'umap', 2);
    expect(u.position.every(Number.isFinite)).toBe(true);
    await expect(client.query(new Float32Array(3), 5, 'pca', 2)).rejects.toBeInstanceOf(RpcError);
    client.dispose();
  });

  it('exports .npy and Projector TSVs whose rows match the library, and a selection CSV', async () => {
    const { db } = await makeLibrary(4);
    const { client } = setup(db);
    const p = await client.load('v1');
    const [npy, npyMeta] = await client.exportEmbeddings('npy');
    const bytes = new Uint8Array(await npy.blob.arrayBuffer());
    const headerLen = bytes[8] | (bytes[9] << 8);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLen))).toContain(`'shape': (${p.n}, ${D})`);
    expect(bytes.length).toBe(10 + headerLen + p.n * D * 4);
    const [vec, meta] = await client.exportEmbeddings('projector');
    const vecRows = (await vec.blob.text()).trimEnd().split('\n');
    const metaRows = (await meta.blob.text()).trimEnd().split('\n');
    expect(vecRows.length).toBe(p.n);
    expect(vecRows[0].split('\t').length).toBe(D);
    expect(metaRows.length).toBe(p.n + 1);
    expect(metaRows.slice(1).map((r) => r.split('\t')[0])).toEqual(p.ids);
    expect(await npyMeta.blob.text()).toBe(await meta.blob.text());
    const sel = await client.exportSelection([0, 2]);
    const cells = parseCsvCells(await sel.blob.text(), sel.name);
    expect(cells.ok && cells.value.cells.slice(1).map((r) => r[0])).toEqual([p.ids[0], p.ids[2]]);
    await expect(client.exportSelection([999])).rejects.toMatchObject({ code: 'bad-input' });
    client.dispose();
  });

  it('a cancelled projection settles as cancelled and the worker still answers', async () => {
    const { db } = await makeLibrary(30);
    const { client } = setup(db);
    await client.load('v1');
    const call = client.project({ method: 'tsne', dims: 3, seed: 9 }, () => call.cancel());
    await expect(call.promise).rejects.toMatchObject({ code: 'cancelled' });
    const pca = await client.project({ method: 'pca', dims: 2 }).promise;
    expect(pca.coords.length).toBe(62 * 2);
    client.dispose();
  });
});

describe('projection cache in IndexedDB', () => {
  it('a fresh worker finds a map computed earlier (same version and item set) without recomputing', async () => {
    const { db } = await makeLibrary(8);
    const spawn = () => {
      const w = new FakeWorker();
      serveRpc<ExplorerMethods>(createExplorerHandlers({ openDb: async () => db }), w.scope);
      return w;
    };
    const a = createExplorerClient(spawn);
    await a.load('v1');
    const first = await a.project({ method: 'umap', dims: 2 }).promise;
    expect(first.cached).toBe(false);
    a.dispose();
    const b = createExplorerClient(spawn);
    await b.load('v1');
    const again = await b.project({ method: 'umap', dims: 2 }).promise;
    expect(again.cached).toBe(true);
    expect(Array.from(again.coords)).toEqual(Array.from(first.coords));
    // A changed item set is a different key.
    await putEmbeddings(db, [{ version: 'v1', id: 'ds/extra', modality: 'ecg', vector: new Float32Array(D).fill(0.1) }]);
    await b.load('v1');
    expect((await b.project({ method: 'umap', dims: 2 }).promise).cached).toBe(false);
    b.dispose();
  });
});

describe('the active version, read from storage', () => {
  const spawnWith = (db: Awaited<ReturnType<typeof openStudioDb>>, shippedVersion?: () => Promise<string>) => () => {
    const w = new FakeWorker();
    serveRpc<ExplorerMethods>(createExplorerHandlers({ openDb: async () => db, cache: memoryCache(), shippedVersion }), w.scope);
    return w;
  };

  it('load() without a version shows the shipped weights, then a stored active version; an unknown id falls back', async () => {
    const { db } = await makeLibrary(3);
    const client = createExplorerClient(spawnWith(db, async () => 'v1'));
    expect((await client.load()).version).toBe('v1');
    expect((await client.load()).n).toBe(8);
    await putVersion(db, { id: 'v0', name: 'fine-tuned', parent: 'v1', createdAt: 1, lineage: {} });
    await setSetting(db, 'activeVersion', 'v0');
    const p = await client.load();
    expect(p.version).toBe('v0');
    expect(p.ids).toEqual(['ds/ecg-000']);
    await setSetting(db, 'activeVersion', 'ft-gone');
    expect((await client.load()).version).toBe('v1');
    client.dispose();
  });

  it('without a version and no shipped weights to fall back on, load says so', async () => {
    const { db } = await makeLibrary(1);
    const client = createExplorerClient(spawnWith(db));
    await expect(client.load()).rejects.toThrow(/no version given/);
    client.dispose();
  });
});
