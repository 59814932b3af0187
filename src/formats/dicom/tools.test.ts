// Every transfer syntax against independent tools: dcmtk and GDCM make the files from a real CXR, and
// their own decompression is the reference (exact for lossless syntaxes, correlation >= 0.99 for lossy).
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeJpeg8 } from './codecs/jpeg-dct';
import { decodeJpeg12 } from './codecs/jpeg12';
import { decodeDicom, decodeDicomSamples } from './decode';
import { parseDicom } from './parse';
import { firstFrame, readImageDesc } from './pixel-data';
import { correlation, FixtureDir, maxAbsDiff, missingTools, realCxr, samplesOf } from './testing/tools';

const ROWS = 80;
const COLS = 96;
const missing = missingTools();
const cxr = realCxr(COLS, ROWS);
const skipWhy = missing.length ? `dcmtk/GDCM tools missing: ${missing.join(', ')} (apt-get install dcmtk libgdcm-tools)` : !cxr ? 'shared CXR data not found' : '';

async function samples(path: string) {
  const r = await decodeDicomSamples(new Uint8Array(readFileSync(path)), path);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

it.runIf(!!skipWhy)(`tool-made DICOM fixtures are skipped: ${skipWhy}`, () => {
  console.warn(`DICOM tool fixtures skipped: ${skipWhy}`);
});

describe.runIf(!skipWhy)('DICOM transfer syntaxes vs dcmtk / GDCM', () => {
  const fx = new FixtureDir();
  const n = ROWS * COLS;
  // 12 bits stored in 16 (area-averaged, so the low bits carry real detail), 8-bit grey, and an RGB tint.
  const v12 = new Uint16Array(n);
  const v8 = new Uint8Array(n);
  const rgb = new Uint8Array(3 * n);
  let mono16 = '';
  let mono8 = '';
  let colour = '';
  beforeAll(() => {
    for (let i = 0; i < n; i++) {
      const g = cxr![i];
      v12[i] = Math.round(g * 4095);
      v8[i] = Math.round(g * 255);
      rgb[3 * i] = Math.round(g * 255);
      rgb[3 * i + 1] = Math.round(g * 200 + 20);
      rgb[3 * i + 2] = Math.round(255 - g * 180);
    }
    mono16 = fx.base('mono16', { rows: ROWS, cols: COLS, bits: 16, stored: 12, spp: 1, photometric: 'MONOCHROME2', raw: new Uint8Array(v12.buffer) });
    mono8 = fx.base('mono8', { rows: ROWS, cols: COLS, bits: 8, stored: 8, spp: 1, photometric: 'MONOCHROME2', raw: v8 });
    colour = fx.base('rgb', { rows: ROWS, cols: COLS, bits: 8, stored: 8, spp: 3, photometric: 'RGB', raw: rgb });
  });

  const lossless: [string, string, string[]][] = [
    ['implicit VR little endian', 'dcmconv', ['+ti']],
    ['explicit VR big endian', 'dcmconv', ['+tb']],
    ['deflated explicit VR', 'dcmconv', ['+td']],
    ['GE private implicit VR with big endian pixels', 'dcmconv', ['+tg']],
    ['JPEG lossless process 14', 'dcmcjpeg', ['+el']],
    ['JPEG lossless SV1', 'dcmcjpeg', ['+e1']],
    ['JPEG-LS lossless', 'dcmcjpls', ['+el']],
    ['RLE lossless', 'dcmcrle', []],
    ['JPEG 2000 lossless', 'gdcmconv', ['--j2k']],
    ['JPEG-LS (GDCM)', 'gdcmconv', ['--jpegls']],
  ];
  for (const [label, tool, args] of lossless) {
    it(`${label}: 12-bit grey exactly as written and as the tool decompresses it`, async () => {
      const name = label.replace(/\W+/g, '_');
      const f = fx.convert(tool, args, mono16, name);
      const s = await samples(f);
      expect(s.frame.samples.length).toBe(n);
      expect(maxAbsDiff(s.frame.samples, v12)).toBe(0);
      expect(maxAbsDiff(s.frame.samples, samplesOf(fx.referenceRaw(f, name), 16, n))).toBe(0);
    });
  }

  it('JPEG lossless process 14 with every predictor (selection values 1-7)', async () => {
    for (let sv = 1; sv <= 7; sv++) {
      const f = fx.convert('dcmcjpeg', ['+el', '+sv', String(sv)], mono16, `l14_sv${sv}`);
      const s = await samples(f);
      expect(maxAbsDiff(s.frame.samples, v12), `selection value ${sv}`).toBe(0);
    }
  });

  it('JPEG-LS near-lossless: within NEAR of the source, correlation >= 0.99 with CharLS via GDCM', async () => {
    const f = fx.convert('dcmcjpls', ['+en'], mono16, 'jls_near');
    const s = await samples(f);
    expect(maxAbsDiff(s.frame.samples, v12)).toBeLessThanOrEqual(2);
    expect(correlation(s.frame.samples, samplesOf(fx.referenceRaw(f, 'jls_near'), 16, n))).toBeGreaterThanOrEqual(0.99);
  });

  it('JPEG 2000 lossy: correlation >= 0.99 with OpenJPEG via GDCM', async () => {
    const f = fx.convert('gdcmconv', ['--j2k', '--lossy', '-q', '40'], mono16, 'j2k_lossy');
    const s = await samples(f);
    expect(s.info.transferSyntax).toBe('1.2.840.10008.1.2.4.91');
    expect(maxAbsDiff(s.frame.samples, v12)).toBeGreaterThan(0); // really lossy
    expect(correlation(s.frame.samples, samplesOf(fx.referenceRaw(f, 'j2k_lossy'), 16, n))).toBeGreaterThanOrEqual(0.99);
  });

  it('JPEG extended 12-bit: correlation >= 0.99 with dcmtk decompression, within a few levels', async () => {
    const f = fx.convert('dcmcjpeg', ['+ee'], mono16, 'jpeg_ext12');
    const s = await samples(f);
    expect(s.info.transferSyntax).toBe('1.2.840.10008.1.2.4.51');
    expect(s.info.bitsStored).toBe(12);
    const ref = samplesOf(fx.referenceDcmtk(f, 'jpeg_ext12'), 16, n);
    expect(correlation(s.frame.samples, ref)).toBeGreaterThanOrEqual(0.99);
    expect(maxAbsDiff(s.frame.samples, ref)).toBeLessThanOrEqual(4);
  });

  for (const [label, args] of [
    ['JPEG baseline', ['+eb']],
    ['JPEG extended 8-bit', ['+ee']],
  ] as const) {
    it(`${label}: correlation >= 0.99 with dcmtk decompression`, async () => {
      const name = label.replace(/\W+/g, '_');
      const f = fx.convert('dcmcjpeg', [...args], mono8, name);
      const s = await samples(f);
      const ref = samplesOf(fx.referenceDcmtk(f, name), 8, n);
      expect(correlation(s.frame.samples, ref)).toBeGreaterThanOrEqual(0.99);
      expect(maxAbsDiff(s.frame.samples, ref)).toBeLessThanOrEqual(2);
    });
  }

  const luma = () => {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = (0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]) / 255;
    return out;
  };
  async function grey(path: string) {
    const r = await decodeDicom(new Uint8Array(readFileSync(path)), path);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  it('RGB native (planar configuration 0 and 1) and lossless colour syntaxes give the exact luma', async () => {
    const planar = new Uint8Array(3 * n);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) planar[c * n + i] = rgb[3 * i + c];
    const planarFile = fx.base('rgb_planar', { rows: ROWS, cols: COLS, bits: 8, stored: 8, spp: 3, photometric: 'RGB', planar: 1, raw: planar });
    const want = luma();
    for (const f of [
      colour,
      planarFile,
      fx.convert('dcmcrle', [], colour, 'rgb_rle'),
      fx.convert('dcmcjpls', ['+el'], colour, 'rgb_jls'),
      fx.convert('dcmcjpeg', ['+e1'], colour, 'rgb_sv1'),
      fx.convert('gdcmconv', ['--j2k'], colour, 'rgb_j2k'),
      fx.convert('dcmconv', ['+tb'], colour, 'rgb_be'),
    ]) {
      const g = await grey(f);
      expect(maxAbsDiff(g.pixels, want), f).toBeLessThan(1e-5);
    }
  });

  it('colour JPEG baseline (YBR_FULL_422) and RGB JPEG with an Adobe "no transform" marker: luma correlation >= 0.99', async () => {
    const want = luma();
    const ybr = fx.convert('dcmcjpeg', ['+eb'], colour, 'rgb_jpeg_ybr');
    const adobe = fx.convert('dcmcjpeg', ['+eb', '+cr'], colour, 'rgb_jpeg_adobe');
    const bytes = new Uint8Array(readFileSync(adobe));
    // The codestream carries "Adobe" APP14 with transform 0.
    expect(Buffer.from(bytes).indexOf('Adobe')).toBeGreaterThan(0);
    for (const f of [ybr, adobe]) {
      const g = await grey(f);
      expect(correlation(g.pixels, want), f).toBeGreaterThanOrEqual(0.99);
      expect(maxAbsDiff(g.pixels, want), f).toBeLessThan(0.08);
    }
  });

  it('the 12-bit-capable DCT decoder agrees with libjpeg-turbo on subsampled colour and grey 8-bit codestreams', async () => {
    for (const [src, name] of [
      [colour, 'dct_colour'],
      [mono8, 'dct_grey'],
    ] as const) {
      const f = fx.convert('dcmcjpeg', ['+eb'], src, name);
      const p = parseDicom(new Uint8Array(readFileSync(f)), f);
      if (!p.ok) throw new Error(p.error.message);
      const d = readImageDesc(p.value, f);
      if (!d.ok) throw new Error(d.error.message);
      const fr = firstFrame(p.value, d.value, f);
      if (!fr.ok) throw new Error(fr.error.message);
      const [mine, turbo] = await Promise.all([decodeJpeg12(fr.value.bytes, f), decodeJpeg8(fr.value.bytes, f)]);
      if (!mine.ok || !turbo.ok) throw new Error('decode failed');
      expect(mine.value.components).toBe(turbo.value.components);
      const a = new Uint16Array(mine.value.bytes.buffer, mine.value.bytes.byteOffset, mine.value.bytes.length / 2);
      // Chroma upsampling is not normative (libjpeg-turbo interpolates, this decoder replicates), so
      // colour is compared as luma, which it does not change.
      const lumaOf = (v: ArrayLike<number>) =>
        mine.value.components === 1 ? Array.from(v) : Array.from({ length: v.length / 3 }, (_, i) => 0.299 * v[3 * i] + 0.587 * v[3 * i + 1] + 0.114 * v[3 * i + 2]);
      expect(maxAbsDiff(lumaOf(a), lumaOf(turbo.value.bytes)), name).toBeLessThanOrEqual(3);
    }
  });

  it('decodeDicom gives display grey 0..1 following the CXR for every syntax', async () => {
    for (const f of [mono16, fx.convert('gdcmconv', ['--j2k'], mono16, 'grey_j2k'), fx.convert('dcmcjpeg', ['+el'], mono16, 'grey_l14')]) {
      const g = await grey(f);
      expect([g.width, g.height]).toEqual([COLS, ROWS]);
      expect(correlation(g.pixels, cxr!)).toBeGreaterThan(0.999);
    }
  });
});
