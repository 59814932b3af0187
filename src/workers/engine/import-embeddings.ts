// Imports embeddings computed outside the browser (training/embed.py over a whole archive, on a GPU) for
// the items the library holds, so a hospital-scale library is not re-embedded in a tab. The set is
// embeddings.json + its .npy shards. It is taken only for the model version it was made with: the version
// must be the active one and, for the shipped weights, the sha256 of their manifest.json must match.
// Items are matched by content hash (the same bytes, whatever their names), else by item id.
import { decodeNpy, type NpyArray } from '../../formats/npy';
import type { InputFile } from '../../formats/types';
import type { StudioDb } from '../../storage/db';
import { putEmbeddingBlocks } from '../../storage/embedding-blocks';
import { itemsByContentHash } from '../../storage/identity';
import { getItems } from '../../storage/items';
import type { StoredEmbedding, StoredItem } from '../../storage/types';
import type { ImportEmbeddingsReport } from '../api';

export type { ImportEmbeddingsReport };

export const EMBEDDINGS_FORMAT = 'medbind-embeddings';
export const EMBEDDINGS_INDEX = 'embeddings.json';
const MAX_INDEX_BYTES = 512 * 1024 * 1024;
const MAX_ITEMS = 10_000_000;

export interface EmbeddingsIndex {
  format: typeof EMBEDDINGS_FORMAT;
  version: 1;
  model: { version: string; manifestSha256: string };
  embedDim: number;
  shards: { file: string; modality: 'ecg' | 'cxr'; rows: number }[];
  items: { id: string; modality: 'ecg' | 'cxr'; shard: number; row: number; contentHash?: string; files?: string[] }[];
}


export class ImportRefused extends Error {}

const baseName = (p: string) => p.split('/').pop() ?? p;
const NAME = { ecg: 'an ECG', cxr: 'a CXR' } as const;

/** Reads and checks embeddings.json and its shards from the given files (any folder prefix). */
export async function readEmbeddingsSet(files: InputFile[]): Promise<{ index: EmbeddingsIndex; shards: NpyArray[] }> {
  const byName = new Map(files.map((f) => [baseName(f.path), f]));
  const idxFile = byName.get(EMBEDDINGS_INDEX);
  if (!idxFile) throw new ImportRefused(`no ${EMBEDDINGS_INDEX} among the ${files.length} files given (select it together with its .npy shards)`);
  if (idxFile.sizeBytes > MAX_INDEX_BYTES) throw new ImportRefused(`${idxFile.path}: ${idxFile.sizeBytes} bytes is larger than an embeddings index can be`);
  let index: EmbeddingsIndex;
  try {
    index = JSON.parse(new TextDecoder().decode(await idxFile.read())) as EmbeddingsIndex;
  } catch (e) {
    throw new ImportRefused(`${idxFile.path}: not valid JSON (${(e as Error).message})`);
  }
  if (index?.format !== EMBEDDINGS_FORMAT || index.version !== 1) throw new ImportRefused(`${idxFile.path}: not a ${EMBEDDINGS_FORMAT} version 1 index`);
  if (!index.model?.version || !/^[0-9a-f]{64}$/.test(index.model.manifestSha256 ?? '')) throw new ImportRefused(`${idxFile.path}: lacks the model version or its manifest sha256`);
  if (!Array.isArray(index.items) || index.items.length > MAX_ITEMS || !Array.isArray(index.shards)) throw new ImportRefused(`${idxFile.path}: items or shards missing or too many`);
  const shards: NpyArray[] = [];
  for (const s of index.shards) {
    const f = byName.get(baseName(s.file));
    if (!f) throw new ImportRefused(`${s.file}: shard listed in ${EMBEDDINGS_INDEX} but not among the files given`);
    const a = decodeNpy(await f.read(), f.path);
    if (a.dtype !== '<f4' || a.shape.length !== 2 || a.shape[1] !== index.embedDim || a.shape[0] !== s.rows) {
      throw new ImportRefused(`${f.path}: expected float32 [${s.rows}, ${index.embedDim}], found ${a.dtype} [${a.shape}]`);
    }
    shards.push(a);
  }
  return { index, shards };
}

/**
 * Writes the vectors of the set's items that the library holds, under `activeVersion`. Refuses a set made
 * with another model: another version, or (when `shippedManifestSha256` is given, i.e. the active version is
 * the shipped one) another manifest.
 */
export async function importEmbeddings(
  db: StudioDb,
  set: { index: EmbeddingsIndex; shards: NpyArray[] },
  activeVersion: string,
  embedDim: number,
  shippedManifestSha256: string | null,
): Promise<ImportEmbeddingsReport> {
  const { index, shards } = set;
  if (index.model.version !== activeVersion) throw new ImportRefused(`these embeddings were made with model ${index.model.version}; the active model is ${activeVersion}`);
  if (shippedManifestSha256 && index.model.manifestSha256 !== shippedManifestSha256) {
    throw new ImportRefused(`these embeddings name model ${index.model.version} but another manifest (sha256 ${index.model.manifestSha256.slice(0, 12)}…, the app's is ${shippedManifestSha256.slice(0, 12)}…)`);
  }
  if (index.embedDim !== embedDim) throw new ImportRefused(`these embeddings have ${index.embedDim} dimensions, the model ${embedDim}`);
  const hashes = index.items.flatMap((it) => (it.contentHash ? [it.contentHash] : []));
  const [byHash, byIdList] = await Promise.all([itemsByContentHash(db, hashes), getItems(db, index.items.map((it) => it.id))]);
  const report: ImportEmbeddingsReport = { modelVersion: activeVersion, imported: 0, byContentHash: 0, byId: 0, unmatched: 0, unmatchedExamples: [] };
  const rows: StoredEmbedding[] = [];
  const miss = (id: string, reason: string) => {
    report.unmatched++;
    if (report.unmatchedExamples.length < 50) report.unmatchedExamples.push({ id, reason });
  };
  index.items.forEach((it, i) => {
    const viaHash = it.contentHash ? byHash.get(it.contentHash) : undefined;
    const stored: StoredItem | undefined = viaHash ?? byIdList[i];
    if (!stored) return miss(it.id, 'not in the library');
    if (stored.modality !== it.modality) return miss(it.id, `is ${NAME[it.modality]} in the file but ${NAME[stored.modality]} in the library`);
    const shard = shards[it.shard];
    if (!shard || !Number.isInteger(it.row) || it.row < 0 || it.row >= shard.shape[0]) return miss(it.id, `row ${it.row} of shard ${it.shard} does not exist`);
    const vector = Float32Array.from((shard.data as Float32Array).subarray(it.row * embedDim, (it.row + 1) * embedDim));
    if (!vector.every(Number.isFinite)) return miss(it.id, 'its vector holds NaN or infinity');
    rows.push({ version: activeVersion, id: stored.id, modality: stored.modality, vector });
    if (viaHash) report.byContentHash++;
    else report.byId++;
  });
  if (rows.length) await putEmbeddingBlocks(db, rows);
  report.imported = rows.length;
  return report;
}
