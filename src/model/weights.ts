// Serialises the parameter map in the tfjs weights format (a WeightsManifestConfig "weights.json" plus
// one .bin per encoder), optionally as float16, with manifest.json (sha256 of every file) and the
// tokenizer vocabulary. Pure bytes in, bytes out: Node tools write them to disk, the browser can store them.
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from './config';
import type { Encoder } from './params';
import type { Tokenizer } from './tokenizer';
import type { WeightsManifest } from './types';

export const MANIFEST_FILE = 'manifest.json';
export const WEIGHTS_FILE = 'weights.json';
export const VOCAB_FILE = 'vocab.json';

export interface SaveMeta {
  version: string;
  variant: 'BD' | 'NM';
  demoPairing: boolean;
  trainedOn: string[];
  /** Store as float16 (half the bytes); check embedding cosine before shipping. */
  float16: boolean;
}

/** float32 -> IEEE half bits, round to nearest even; overflow -> inf, underflow -> subnormal/zero. */
export function float32ToFloat16Bits(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < values.length; i++) {
    f[0] = values[i];
    const x = u[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {
      out[i] = sign | 0x7c00 | (mant ? 0x200 : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 0x1f) {
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let half = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const mid = 1 << (shift - 1);
      if (rem > mid || (rem === mid && half & 1)) half++;
      out[i] = sign | half;
      continue;
    }
    let half = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // may carry into the exponent: still correct
    out[i] = sign | half;
  }
  return out;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as unknown as ArrayBuffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const encoderOf = (name: string): Encoder => name.split('/')[0] as Encoder;

/** Returns every file of a weights folder by name (manifest.json last, with the others' sha256). */
export async function encodeWeights(params: ReadonlyMap<string, tf.Tensor>, config: MedbindConfig, tokenizer: Tokenizer, meta: SaveMeta): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const groups: tf.io.WeightsManifestConfig = [];
  for (const enc of ['cxr', 'ecg', 'text'] as Encoder[]) {
    const names = [...params.keys()].filter((n) => encoderOf(n) === enc);
    if (names.length === 0) continue;
    const specs: tf.io.WeightsManifestEntry[] = [];
    const chunks: Uint8Array[] = [];
    for (const name of names) {
      const t = params.get(name)!;
      const values = (await t.data()) as Float32Array;
      if (meta.float16) {
        const half = float32ToFloat16Bits(values);
        chunks.push(new Uint8Array(half.buffer));
        specs.push({ name, shape: t.shape, dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } } as tf.io.WeightsManifestEntry);
      } else {
        chunks.push(new Uint8Array(Float32Array.from(values).buffer));
        specs.push({ name, shape: t.shape, dtype: 'float32' });
      }
    }
    const total = chunks.reduce((a, c) => a + c.length, 0);
    const bin = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      bin.set(c, off);
      off += c.length;
    }
    const binName = `${enc}.bin`;
    files.set(binName, bin);
    groups.push({ paths: [binName], weights: specs });
  }
  const enc = new TextEncoder();
  files.set(WEIGHTS_FILE, enc.encode(JSON.stringify(groups)));
  files.set(VOCAB_FILE, enc.encode(JSON.stringify(tokenizer.toJson())));
  const list: WeightsManifest['files'] = [];
  for (const [name, bytes] of files) list.push({ name, bytes: bytes.length, sha256: await sha256Hex(bytes) });
  const manifest: WeightsManifest = {
    name: config.name,
    version: meta.version,
    variant: meta.variant,
    embedDim: config.embedDim,
    tau: config.tau,
    config: { ...config, text: { ...config.text, vocabSize: tokenizer.vocabSize } },
    tokenizer: VOCAB_FILE,
    preprocessing: {
      ecg: { fsHz: config.ecg.fsHz, nSamples: config.ecg.nSamples, leads: [...config.ecg.leads] },
      cxr: { sizePx: config.cxr.sizePx, channels: 1 },
    },
    files: list,
    demoPairing: meta.demoPairing,
    trainedOn: meta.trainedOn,
  };
  files.set(MANIFEST_FILE, enc.encode(JSON.stringify(manifest, null, 2)));
  return files;
}
