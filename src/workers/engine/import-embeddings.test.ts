// Importing embeddings made outside the browser: vectors land for the items the library holds (matched by
// content hash whatever the names, else by id), the search index uses them, and a set made with another
// model (version or manifest) is refused with a message that says so.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { contentHash, sha256Hex } from '../../formats/identity/content-hash';
import { encodeNpy } from '../../formats/npy';
import { openStudioDb } from '../../storage/db';
import { embeddingsOfVersion } from '../../storage/embeddings';
import { allItems } from '../../storage/items';
import type { PageFile } from '../api';
import { cxrA, ecgA, makeEngine } from '../testing/engine-fixtures';
import type { EmbeddingsIndex } from './import-embeddings';

const never = new AbortController().signal;
const D = 16; // the projection test model's embedDim
const manifest = new TextEncoder().encode(JSON.stringify({ version: 'v1' }));

async function filesOf(p: PageFile[]) {
  return p.map((f) => ({ path: f.path, sizeBytes: f.file.size, read: async () => new Uint8Array(await f.file.arrayBuffer()) }));
}

function unitVector(seed: number): Float32Array {
  const v = Float32Array.from({ length: D }, (_, i) => Math.sin(seed * 7.3 + i));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

async function embeddingSet(index: Partial<EmbeddingsIndex> & Pick<EmbeddingsIndex, 'items'>, rows: Float32Array[]): Promise<PageFile[]> {
  const full: EmbeddingsIndex = {
    format: 'medbind-embeddings',
    version: 1,
    model: { version: 'v1', manifestSha256: await sha256Hex(manifest) },
    embedDim: D,
    shards: [{ file: 'embeddings-00000.npy', modality: 'ecg', rows: rows.length }],
    ...index,
  };
  const data = new Float32Array(rows.length * D);
  rows.forEach((r, i) => data.set(r, i * D));
  return [
    { path: 'emb/embeddings.json', file: new Blob([JSON.stringify(full)]) },
    { path: 'emb/embeddings-00000.npy', file: new Blob([encodeNpy({ dtype: '<f4', shape: [rows.length, D], data }) as Uint8Array<ArrayBuffer>]) },
  ];
}

describe('importEmbeddings', () => {
  it('writes vectors for library items by content hash or id, and names the entries it could not place', async () => {
    const { engine, dbName } = makeEngine({ fetchAsset: async (p) => (p === 'weights/manifest.json' ? new Blob([manifest]) : Promise.reject(new Error(p))) });
    await engine.ingest([...ecgA, cxrA], never, () => undefined);
    const db = await openStudioDb({ name: dbName });
    const items = await allItems(db);
    const ecg = items.find((i) => i.modality === 'ecg')!;
    const cxr = items.find((i) => i.modality === 'cxr')!;
    // The ECG is found by its content hash under another id (another archive's naming); the CXR by id.
    const hash = await contentHash(await filesOf(ecgA));
    expect(hash).toBe(ecg.contentHash);
    const set = await embeddingSet(
      {
        shards: [{ file: 'embeddings-00000.npy', modality: 'ecg', rows: 4 }],
        items: [
          { id: 'archive/record-17', modality: 'ecg', shard: 0, row: 0, contentHash: hash },
          { id: cxr.id, modality: 'cxr', shard: 0, row: 1 },
          { id: 'archive/not-here', modality: 'ecg', shard: 0, row: 2 },
          { id: cxr.id, modality: 'ecg', shard: 0, row: 3 },
        ],
      },
      [unitVector(1), unitVector(2), unitVector(3), unitVector(4)],
    );
    const r = await engine.importEmbeddings(set);
    expect(r).toMatchObject({ modelVersion: 'v1', imported: 2, byContentHash: 1, byId: 1, unmatched: 2 });
    expect(r.unmatchedExamples.map((u) => u.reason)).toEqual(['not in the library', 'is an ECG in the file but a CXR in the library']);
    const stored = await embeddingsOfVersion(db, 'v1');
    const vecOf = (id: string, m: string) => stored.filter((s) => s.id === id && s.modality === m).at(-1)!.vector;
    expect(Array.from(vecOf(ecg.id, 'ecg'))).toEqual(Array.from(unitVector(1)));
    expect(Array.from(vecOf(cxr.id, 'cxr'))).toEqual(Array.from(unitVector(2)));
    db.close();
    // Search reads the imported vectors: a text query ranks what the imported vectors say.
    const res = await engine.searchText('normal', 5);
    expect(res.ecg.map((h) => h.id)).toContain(ecg.id);
  });

  it('refuses a set made with another model version or another manifest, and a set without its shards', async () => {
    const { engine } = makeEngine({ fetchAsset: async () => new Blob([manifest]) });
    await engine.ingest([...ecgA], never, () => undefined);
    const otherVersion = await embeddingSet({ model: { version: 'v0', manifestSha256: '0'.repeat(64) }, items: [] }, [unitVector(1)]);
    await expect(engine.importEmbeddings(otherVersion)).rejects.toThrow(/made with model v0; the active model is v1/);
    const otherManifest = await embeddingSet({ model: { version: 'v1', manifestSha256: 'a'.repeat(64) }, items: [] }, [unitVector(1)]);
    await expect(engine.importEmbeddings(otherManifest)).rejects.toThrow(/another manifest/);
    const noShard = (await embeddingSet({ items: [] }, [unitVector(1)])).slice(0, 1);
    await expect(engine.importEmbeddings(noShard)).rejects.toThrow(/embeddings-00000\.npy: shard listed in embeddings\.json but not among the files given/);
    await expect(engine.importEmbeddings([{ path: 'x.npy', file: new Blob([new Uint8Array(8)]) }])).rejects.toThrow(/no embeddings\.json among the 1 files/);
  });
});
