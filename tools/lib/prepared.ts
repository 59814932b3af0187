// Loads every dataset under a folder (any layout discoverDatasets knows) and preprocesses each item into
// the model's input, once, for the Node tools (pretrain, eval, bench). Broken items are reported and
// skipped; the rest load. The same parsers and preprocessing as the browser are used.
import { discoverDatasets, loadItem } from '../../src/formats/datasets/index';
import type { DatasetItem, FormatError, Modality } from '../../src/formats/types';
import { CXR_SIZE_PX, ECG_LEADS, ECG_SAMPLES } from '../../src/formats/types';
import { preprocessCxr, preprocessEcg } from '../../src/model/preprocess';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listNodeFiles } from './node-files';

export const ECG_INPUT_LEN = ECG_LEADS.length * ECG_SAMPLES;
export const CXR_INPUT_LEN = CXR_SIZE_PX * CXR_SIZE_PX;

export interface PreparedItem {
  item: DatasetItem;
  /** Model input: [12*1000] for ECG, [224*224] for CXR. */
  input: Float32Array;
}

export interface PreparedSet {
  items: PreparedItem[];
  /** Text-only corpus found in the folder (e.g. ROCO captions). */
  texts: string[];
  errors: FormatError[];
}

/** Cache folder for prepared inputs (keyed by the folder's file list and sizes and the code version). */
const CACHE_DIR = '.cache/prepared';
const CACHE_VERSION = 1;

export async function prepareFolder(dataDir: string, onProgress?: (done: number, total: number) => void, useCache = true): Promise<PreparedSet> {
  const files = await listNodeFiles(dataDir);
  const key = createHash('sha256')
    .update(`${CACHE_VERSION}\n${files.map((f) => `${f.path}\t${f.sizeBytes}`).join('\n')}`)
    .digest('hex')
    .slice(0, 16);
  const cachePath = join(CACHE_DIR, `${key}.bin`);
  if (useCache) {
    const cached = await readCache(cachePath);
    if (cached) return cached;
  }
  const set = await prepareFiles(files, onProgress);
  if (useCache) await writeCache(cachePath, set);
  return set;
}

async function prepareFiles(files: Awaited<ReturnType<typeof listNodeFiles>>, onProgress?: (done: number, total: number) => void): Promise<PreparedSet> {
  // listNodeFiles keeps the root folder's own name in each path; a folder of datasets becomes "data/<set>/...".
  const disc = await discoverDatasets(files);
  const out: PreparedSet = { items: [], texts: disc.texts, errors: [...disc.errors] };
  let done = 0;
  for (const item of disc.items) {
    const loaded = await loadItem(item);
    done++;
    if (onProgress && (done % 50 === 0 || done === disc.items.length)) onProgress(done, disc.items.length);
    if (!loaded.ok) {
      out.errors.push(loaded.error);
      continue;
    }
    if (loaded.value.modality === 'ecg') {
      const p = preprocessEcg(loaded.value.record, item.files[0]?.path ?? item.id);
      if (!p.ok) {
        out.errors.push(p.error);
        continue;
      }
      out.items.push({ item, input: p.value.input });
    } else {
      out.items.push({ item, input: preprocessCxr(loaded.value.image) });
    }
  }
  return out;
}

export function byModality(items: PreparedItem[], m: Modality): PreparedItem[] {
  return items.filter((p) => p.item.modality === m);
}

/** Concatenates inputs of the given items into one [n, len] buffer. */
export function stackInputs(items: PreparedItem[], len: number): Float32Array {
  const out = new Float32Array(items.length * len);
  items.forEach((p, i) => out.set(p.input, i * len));
  return out;
}

/** Cache layout: u32 header length, JSON header (items without file handles, texts, errors), float32 inputs. */
async function writeCache(path: string, set: PreparedSet): Promise<void> {
  const header = JSON.stringify({
    items: set.items.map((p) => ({ ...p.item, files: p.item.files.map((f) => ({ path: f.path, sizeBytes: f.sizeBytes })), inputLength: p.input.length })),
    texts: set.texts,
    errors: set.errors,
  });
  const json = new TextEncoder().encode(header);
  const total = set.items.reduce((n, p) => n + p.input.length, 0);
  const body = new Float32Array(total);
  let off = 0;
  for (const p of set.items) {
    body.set(p.input, off);
    off += p.input.length;
  }
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, json.length, true);
  await mkdir(CACHE_DIR, { recursive: true });
  await writeFile(`${path}.tmp`, Buffer.concat([head, json, new Uint8Array(body.buffer)]));
  await rename(`${path}.tmp`, path);
}

async function readCache(path: string): Promise<PreparedSet | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return null;
  }
  const n = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + n).toString('utf8')) as {
    items: (DatasetItem & { inputLength: number })[];
    texts: string[];
    errors: FormatError[];
  };
  const body = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 4 + n, bytes.byteOffset + bytes.length));
  let off = 0;
  const items: PreparedItem[] = header.items.map(({ inputLength, files, ...item }) => {
    const input = body.subarray(off, off + inputLength);
    off += inputLength;
    const handles = files.map((f) => ({ path: f.path, sizeBytes: f.sizeBytes, read: async () => { throw new Error(`${f.path}: not readable from the prepared cache`); } }));
    return { item: { ...item, files: handles }, input };
  });
  return { items, texts: header.texts, errors: header.errors };
}
