import { describe, expect, it } from 'vitest';
import { makeNormal, makeRng } from '../rng';
import { decodeParamFiles, encodeParamFiles, exportBundle, importBundle, sha256Hex } from './version-files';
import type { ParamArrays } from './trainer';

const params = (): ParamArrays => {
  const g = makeNormal(makeRng(3));
  return {
    'ecg/head/w': { shape: [5, 3], values: Float32Array.from({ length: 15 }, g) },
    'ecg/head/b': { shape: [3], values: Float32Array.from({ length: 3 }, g) },
    'ecg/tf/lnf/g': { shape: [5], values: Float32Array.from({ length: 5 }, g) },
  };
};
const meta = { id: 'ft-1700000000000', name: 'test', parent: 'bd-1', createdAt: 1700000000000, lineage: { base: 'bd-1', settings: { epochs: 3 } } };

describe('version files', () => {
  it('sha256 matches a known vector', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('export -> import gives identical parameters and lineage', async () => {
    const p = params();
    const files = await encodeParamFiles(meta.id, p);
    expect(files.map((f) => f.name)).toEqual(['ft-1700000000000.weights.json', 'ft-1700000000000.weights.bin']);
    const bundle = exportBundle(meta, files);
    // simulate a download + re-upload: fresh copies of the bytes, in another order
    const uploaded = bundle.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) })).reverse();
    const back = await importBundle(uploaded);
    if (!back.ok) throw new Error(back.error);
    expect(back.value.meta.lineage).toEqual(meta.lineage);
    expect(back.value.meta.parent).toBe('bd-1');
    expect(Object.keys(back.value.params).sort()).toEqual(Object.keys(p).sort());
    for (const [k, v] of Object.entries(p)) {
      expect(back.value.params[k].shape).toEqual(v.shape);
      expect(Array.from(back.value.params[k].values)).toEqual(Array.from(v.values));
    }
    expect(back.value.files.map((f) => f.sha256)).toEqual(files.map((f) => f.sha256));
  });

  it('refuses a changed byte with a sha256 message naming the file', async () => {
    const bundle = exportBundle(meta, await encodeParamFiles(meta.id, params()));
    const bad = bundle.map((f) => ({ name: f.name, bytes: new Uint8Array(f.bytes) }));
    bad[1].bytes[7] ^= 1;
    const r = await importBundle(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/ft-1700000000000\.weights\.bin.*sha256 mismatch/);
  });

  it('refuses missing files and foreign JSON', async () => {
    const bundle = exportBundle(meta, await encodeParamFiles(meta.id, params()));
    const r1 = await importBundle(bundle.filter((f) => !f.name.endsWith('.bin')));
    expect(r1.ok || r1.error).toMatch(/weights\.bin" listed .* was not given/);
    const r2 = await importBundle([{ name: 'x.version.json', bytes: new TextEncoder().encode('{"format":"other"}') }]);
    expect(r2.ok || r2.error).toMatch(/not a MEDBind Studio version file/);
    const r3 = await importBundle([]);
    expect(r3.ok || r3.error).toMatch(/exactly one \*\.version\.json/);
  });

  it('decode checks the data size against the manifest', async () => {
    const files = await encodeParamFiles('v', params());
    const short = files.map((f) => (f.name.endsWith('.bin') ? { name: f.name, bytes: f.bytes.slice(0, 8) } : f));
    const r = decodeParamFiles(short);
    expect(r.ok || r.error).toMatch(/needs 92 bytes, data files hold 8/);
  });
});
