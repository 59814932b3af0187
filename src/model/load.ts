// Loads shipped or user weights into MedbindEncoders: reads manifest.json, checks every file's size and
// sha256 (a mismatch is a clear error naming the file), decodes the tfjs weight groups (float16 or
// float32) and the tokenizer, and refuses weights whose preprocessing block disagrees with their config
// or with the caller's preprocessing. The browser reads same-origin URLs under weights/; Node reads files.
import * as tf from '@tensorflow/tfjs';
import { validateConfig, type MedbindConfig } from './config';
import { encodersFromParams, type RuntimeOptions } from './encoders/runtime';
import { paramSpecs } from './params';
import { Tokenizer } from './tokenizer';
import type { MedbindEncoders, WeightSource, WeightsManifest } from './types';
import { MANIFEST_FILE, sha256Hex, WEIGHTS_FILE } from './weights';
import { checkPreprocessing, preprocessingOf, type Preprocessing } from './preprocessing-check';

/** Same-origin fetch source for the browser (default base "weights/", relative to the app). */
export function fetchWeightSource(baseUrl = 'weights/'): WeightSource {
  return {
    async readFile(name) {
      const res = await fetch(`${baseUrl}${name}`);
      if (!res.ok) throw new Error(`weights: ${baseUrl}${name}: HTTP ${res.status}`);
      return new Uint8Array(await res.arrayBuffer());
    },
  };
}

function parseJson<T>(bytes: Uint8Array, file: string): T {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as T;
  } catch (e) {
    throw new Error(`weights: ${file} is not valid JSON (${(e as Error).message})`, { cause: e });
  }
}

export async function readManifest(source: WeightSource): Promise<WeightsManifest> {
  const m = parseJson<WeightsManifest>(await source.readFile(MANIFEST_FILE), MANIFEST_FILE);
  if (!m || typeof m.version !== 'string' || !Array.isArray(m.files) || typeof m.embedDim !== 'number') {
    throw new Error(`weights: ${MANIFEST_FILE} lacks version, embedDim or files`);
  }
  return m;
}

/** Reads a file listed in the manifest and verifies its size and sha256. */
async function readVerified(source: WeightSource, m: WeightsManifest, name: string): Promise<Uint8Array> {
  const entry = m.files.find((f) => f.name === name);
  if (!entry) throw new Error(`weights: ${name} is not listed in ${MANIFEST_FILE}`);
  const bytes = await source.readFile(name);
  if (bytes.length !== entry.bytes) throw new Error(`weights: ${name} has ${bytes.length} bytes, manifest says ${entry.bytes}`);
  const hash = await sha256Hex(bytes);
  if (hash !== entry.sha256) throw new Error(`weights: sha256 mismatch for ${name} (manifest ${entry.sha256.slice(0, 12)}..., file ${hash.slice(0, 12)}...)`);
  return bytes;
}

export interface LoadedWeights {
  manifest: WeightsManifest;
  config: MedbindConfig;
  tokenizer: Tokenizer;
  params: Map<string, tf.Tensor>;
}

export interface LoadOptions {
  /**
   * The preprocessing the caller's code performs (the app passes CODE_PREPROCESSING); weights whose
   * manifest says otherwise are refused. The manifest's block must always agree with its own config.
   */
  preprocessing?: Preprocessing;
}

export async function loadWeights(source: WeightSource, opts: LoadOptions = {}): Promise<LoadedWeights> {
  const manifest = await readManifest(source);
  const config = validateConfig(manifest.config as MedbindConfig);
  checkPreprocessing(MANIFEST_FILE, manifest.preprocessing, preprocessingOf(config), 'its own model config');
  if (opts.preprocessing) checkPreprocessing(MANIFEST_FILE, manifest.preprocessing, opts.preprocessing, "the app's preprocessing");
  const tokenizer = Tokenizer.fromJson(parseJson(await readVerified(source, manifest, manifest.tokenizer), manifest.tokenizer));
  if (tokenizer.vocabSize !== config.text.vocabSize) throw new Error(`weights: vocabulary has ${tokenizer.vocabSize} tokens, config says ${config.text.vocabSize}`);
  const groups = parseJson<tf.io.WeightsManifestConfig>(await readVerified(source, manifest, WEIGHTS_FILE), WEIGHTS_FILE);
  const params = new Map<string, tf.Tensor>();
  try {
    for (const g of groups) {
      const parts = await Promise.all(g.paths.map((p) => readVerified(source, manifest, p)));
      const total = parts.reduce((a, p) => a + p.length, 0);
      const buf = new Uint8Array(total);
      let off = 0;
      for (const p of parts) {
        buf.set(p, off);
        off += p.length;
      }
      const decoded = tf.io.decodeWeights(buf.buffer, g.weights);
      for (const [name, t] of Object.entries(decoded)) params.set(name, t);
    }
    for (const spec of paramSpecs(config)) {
      const t = params.get(spec.name);
      if (!t) throw new Error(`weights: parameter ${spec.name} is missing`);
      if (t.shape.join() !== spec.shape.join()) throw new Error(`weights: parameter ${spec.name} has shape [${t.shape}], expected [${spec.shape}]`);
    }
  } catch (e) {
    for (const t of params.values()) t.dispose();
    throw e;
  }
  return { manifest, config, tokenizer, params };
}

/** Loads the encoders (the backend must be initialised first, see initBackend). */
export async function loadEncoders(source: WeightSource, opts: RuntimeOptions & LoadOptions = {}): Promise<MedbindEncoders> {
  const w = await loadWeights(source, opts);
  return encodersFromParams(w.params, w.config, w.tokenizer, w.manifest.version, opts);
}
