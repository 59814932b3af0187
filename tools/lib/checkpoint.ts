// Resumable pretraining checkpoints: the trainer state (step, seed, parameters, AdamW moments) as one
// binary file: a little-endian u32 header length, a JSON header (names, lengths), then float32 data.
// Written to a temporary file and renamed, so a run killed mid-write keeps the previous checkpoint.
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { TrainerState } from '../../src/model/train';

interface Header {
  format: 'medbind-ckpt';
  step: number;
  seed: number;
  t: number;
  arrays: { group: 'params' | 'm' | 'v'; name: string; length: number }[];
  extra: unknown;
}

export async function saveCheckpoint(path: string, s: TrainerState, extra: unknown): Promise<void> {
  const arrays: Header['arrays'] = [];
  const chunks: Float32Array[] = [];
  const add = (group: 'params' | 'm' | 'v', rec: Record<string, Float32Array>) => {
    for (const [name, a] of Object.entries(rec)) {
      arrays.push({ group, name, length: a.length });
      chunks.push(a);
    }
  };
  add('params', s.params);
  add('m', s.optimizer.m);
  add('v', s.optimizer.v);
  const header: Header = { format: 'medbind-ckpt', step: s.step, seed: s.seed, t: s.optimizer.t, arrays, extra };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const buf = new Uint8Array(4 + json.length + total * 4);
  new DataView(buf.buffer).setUint32(0, json.length, true);
  buf.set(json, 4);
  const body = new Float32Array(total);
  let off = 0;
  for (const c of chunks) {
    body.set(c, off);
    off += c.length;
  }
  buf.set(new Uint8Array(body.buffer), 4 + json.length);
  await writeFile(`${path}.tmp`, buf);
  await rename(`${path}.tmp`, path);
}

export async function loadCheckpoint(path: string): Promise<{ state: TrainerState; extra: unknown } | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    return null;
  }
  const jsonLen = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + jsonLen).toString('utf8')) as Header;
  if (header.format !== 'medbind-ckpt') throw new Error(`${path}: not a checkpoint`);
  const start = 4 + jsonLen;
  const body = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.length));
  const groups: Record<'params' | 'm' | 'v', Record<string, Float32Array>> = { params: {}, m: {}, v: {} };
  let off = 0;
  for (const a of header.arrays) {
    groups[a.group][a.name] = body.slice(off, off + a.length);
    off += a.length;
  }
  return {
    state: { step: header.step, seed: header.seed, params: groups.params, optimizer: { t: header.t, m: groups.m, v: groups.v } },
    extra: header.extra,
  };
}
