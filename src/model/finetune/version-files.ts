// A model version's changed parameters as tfjs weight files (a weights manifest JSON + one float32 .bin),
// each with its sha256, plus the export bundle (those files + "<id>.version.json" with lineage and hashes)
// and its verified import. Runs in workers and Node.
import { sha256Hex } from '../weights';
import type { ParamArrays } from './trainer';

export { sha256Hex };

export interface VersionFile {
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

/** The JSON written next to the weight files of an exported version. */
export interface VersionBundleJson {
  format: 'medbind-studio-version/1';
  id: string;
  name: string;
  parent: string | null;
  createdAt: number;
  lineage: Record<string, unknown>;
  files: { name: string; bytes: number; sha256: string }[];
}

/** tfjs weights manifest (tf.io.WeightsManifestConfig) restricted to what we write. */
interface WeightsManifestJson {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: 'float32' }[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_PARAM_VALUES = 64 * 1024 * 1024; // 256 MB of float32: refuse anything larger before allocating

const safeId = (id: string) => id.replace(/[^A-Za-z0-9._-]/g, '_');
export const bundleJsonName = (id: string) => `${safeId(id)}.version.json`;

/** Parameters -> [weights manifest "<id>.weights.json", data "<id>.weights.bin"], names in sorted order. */
export async function encodeParamFiles(id: string, params: ParamArrays): Promise<VersionFile[]> {
  const names = Object.keys(params).sort();
  const total = names.reduce((a, n) => a + params[n].values.length, 0);
  const data = new Float32Array(total);
  let off = 0;
  const weights: WeightsManifestJson['weights'] = [];
  for (const n of names) {
    const p = params[n];
    const size = p.shape.reduce((a, d) => a * d, 1);
    if (size !== p.values.length) throw new Error(`version files: "${n}" has ${p.values.length} values for shape [${p.shape}]`);
    data.set(p.values, off);
    off += size;
    weights.push({ name: n, shape: p.shape.slice(), dtype: 'float32' });
  }
  const binName = `${safeId(id)}.weights.bin`;
  const manifest: WeightsManifestJson[] = [{ paths: [binName], weights }];
  const jsonBytes = new TextEncoder().encode(JSON.stringify(manifest, null, 1));
  const binBytes = new Uint8Array(data.buffer);
  return [
    { name: `${safeId(id)}.weights.json`, bytes: jsonBytes, sha256: await sha256Hex(jsonBytes) },
    { name: binName, bytes: binBytes, sha256: await sha256Hex(binBytes) },
  ];
}

/** Inverse of encodeParamFiles; checks every size against the manifest before reading. */
export function decodeParamFiles(files: readonly { name: string; bytes: Uint8Array }[]): Checked<ParamArrays> {
  const byName = new Map(files.map((f) => [f.name, f.bytes]));
  const manifestFile = files.find((f) => f.name.endsWith('.weights.json'));
  if (!manifestFile) return { ok: false, error: 'no *.weights.json (tfjs weights manifest) among the files' };
  let manifest: WeightsManifestJson[];
  try {
    manifest = JSON.parse(new TextDecoder().decode(manifestFile.bytes));
  } catch (e) {
    return { ok: false, error: `${manifestFile.name}: not JSON (${(e as Error).message})` };
  }
  if (!Array.isArray(manifest)) return { ok: false, error: `${manifestFile.name}: expected a list of weight groups` };
  const out: ParamArrays = {};
  for (const [gi, group] of manifest.entries()) {
    const where = `${manifestFile.name}: group ${gi}`;
    if (!group || !Array.isArray(group.paths) || !Array.isArray(group.weights)) return { ok: false, error: `${where}: missing paths or weights` };
    const parts: Uint8Array[] = [];
    for (const p of group.paths) {
      const b = byName.get(p);
      if (!b) return { ok: false, error: `${where}: data file "${p}" is missing` };
      parts.push(b);
    }
    const nBytes = parts.reduce((a, b) => a + b.length, 0);
    let needed = 0;
    for (const [wi, w] of group.weights.entries()) {
      if (w.dtype !== 'float32') return { ok: false, error: `${where}, weight ${wi} "${w.name}": dtype ${w.dtype} (only float32 is written)` };
      if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isInteger(d) && d >= 0)) return { ok: false, error: `${where}, weight ${wi} "${w.name}": bad shape` };
      needed += w.shape.reduce((a, d) => a * d, 1);
      if (needed > MAX_PARAM_VALUES) return { ok: false, error: `${where}: more than ${MAX_PARAM_VALUES} values` };
    }
    if (needed * 4 !== nBytes) return { ok: false, error: `${where}: manifest needs ${needed * 4} bytes, data files hold ${nBytes}` };
    const all = new Uint8Array(nBytes);
    let o = 0;
    for (const b of parts) all.set(b, (o += b.length) - b.length);
    const floats = new Float32Array(all.buffer);
    let off = 0;
    for (const w of group.weights) {
      const size = w.shape.reduce((a, d) => a * d, 1);
      out[w.name] = { shape: w.shape.slice(), values: floats.slice(off, off + size) };
      off += size;
    }
  }
  return { ok: true, value: out };
}

/** The files to download for a version: its weight files and the bundle JSON (lineage + sha256 of each). */
export function exportBundle(v: Omit<VersionBundleJson, 'format' | 'files'>, files: readonly VersionFile[]): VersionFile[] {
  const json: VersionBundleJson = {
    format: 'medbind-studio-version/1',
    ...v,
    files: files.map((f) => ({ name: f.name, bytes: f.bytes.length, sha256: f.sha256 })),
  };
  const bytes = new TextEncoder().encode(JSON.stringify(json, null, 2));
  // The bundle JSON's own hash is not checked on import (it carries the others); sha256 left empty.
  return [...files, { name: bundleJsonName(v.id), bytes, sha256: '' }];
}

/**
 * Reads an exported bundle back: finds the *.version.json, checks every listed file is present with the
 * same size and sha256, and decodes the parameters. Any mismatch is refused with the file named.
 */
export async function importBundle(
  files: readonly { name: string; bytes: Uint8Array }[],
): Promise<Checked<{ meta: VersionBundleJson; files: VersionFile[]; params: ParamArrays }>> {
  const base = (n: string) => n.split('/').pop() ?? n;
  const byName = new Map(files.map((f) => [base(f.name), f.bytes]));
  const jsons = files.filter((f) => base(f.name).endsWith('.version.json'));
  if (jsons.length !== 1) return { ok: false, error: `expected exactly one *.version.json among the files, found ${jsons.length}` };
  let meta: VersionBundleJson;
  try {
    meta = JSON.parse(new TextDecoder().decode(jsons[0].bytes));
  } catch (e) {
    return { ok: false, error: `${jsons[0].name}: not JSON (${(e as Error).message})` };
  }
  if (meta?.format !== 'medbind-studio-version/1' || typeof meta.id !== 'string' || !Array.isArray(meta.files)) {
    return { ok: false, error: `${jsons[0].name}: not a MEDBind Studio version file (format "${meta?.format}")` };
  }
  const checked: VersionFile[] = [];
  for (const f of meta.files) {
    const bytes = byName.get(f.name);
    if (!bytes) return { ok: false, error: `file "${f.name}" listed in ${jsons[0].name} was not given` };
    if (bytes.length !== f.bytes) return { ok: false, error: `file "${f.name}": ${bytes.length} bytes, expected ${f.bytes}` };
    const sha = await sha256Hex(bytes);
    if (sha !== f.sha256) return { ok: false, error: `file "${f.name}": sha256 mismatch (expected ${f.sha256}, got ${sha}); the file is damaged or was changed` };
    checked.push({ name: f.name, bytes, sha256: sha });
  }
  const params = decodeParamFiles(checked);
  if (!params.ok) return params;
  return { ok: true, value: { meta, files: checked, params: params.value } };
}
