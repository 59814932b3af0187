// Photometric interpretation to one grey channel. Monochrome stays in stored units (the LUTs come next);
// colour becomes luma 0..1: RGB (and decoder-made RGB: JPEG, YBR_RCT/ICT from JPEG 2000) by Rec. 601
// weights, YBR_* by its Y channel (which is that luma), PALETTE COLOR through its red/green/blue LUTs.
import { fail, ok, type Result } from '../types';
import { u16, words, type DicomDataset } from './dataset';

export interface SampleFrame {
  samples: Float32Array;
  /** Pixels in the frame. */
  nPixels: number;
  components: number;
  planar: boolean;
  /** The codec already gave RGB. */
  rgb: boolean;
  bitsStored: number;
  signed: boolean;
}

export type GreyValues = { kind: 'mono'; values: Float32Array } | { kind: 'luma'; values: Float32Array };

function lumaRgb(f: SampleFrame, maxV: number): Float32Array {
  const n = f.nPixels;
  const out = new Float32Array(n);
  const s = f.samples;
  const inv = 1 / maxV;
  for (let i = 0; i < n; i++) {
    const r = f.planar ? s[i] : s[3 * i];
    const g = f.planar ? s[n + i] : s[3 * i + 1];
    const b = f.planar ? s[2 * n + i] : s[3 * i + 2];
    out[i] = (0.299 * r + 0.587 * g + 0.114 * b) * inv;
  }
  return out;
}

function lumaY(f: SampleFrame, maxV: number, partial: boolean, sub422: boolean): Float32Array {
  const n = f.nPixels;
  const out = new Float32Array(n);
  const s = f.samples;
  // Partial range (YBR_PARTIAL_*): Y from 16..235 of 255, scaled to the sample range.
  const lo = partial ? (16 / 255) * maxV : 0;
  const span = partial ? (219 / 255) * maxV : maxV;
  for (let i = 0; i < n; i++) {
    // 4:2:2 native layout: Y1 Y2 Cb Cr for each pair of pixels.
    const y = sub422 ? s[4 * (i >> 1) + (i & 1)] : f.planar ? s[i] : s[3 * i];
    const v = (y - lo) / span;
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}

function paletteChannel(ds: DicomDataset, descTag: number, dataTag: number, signed: boolean): { lut: Float32Array; first: number } | string {
  const entries = u16(ds, descTag, 0);
  let first = u16(ds, descTag, 1);
  const bits = u16(ds, descTag, 2);
  const data = words(ds, dataTag);
  if (entries === undefined || first === undefined || bits === undefined || !data) return 'missing palette LUT descriptor or data';
  const n = entries === 0 ? 65536 : entries;
  if (signed && first > 32767) first -= 65536;
  const lut = new Float32Array(n);
  if (bits === 8 && data.length * 2 >= n && data.length < n) {
    // 8-bit entries packed two to a word.
    for (let i = 0; i < n; i++) lut[i] = ((data[i >> 1] >> ((i & 1) * 8)) & 0xff) / 255;
  } else if (data.length >= n) {
    const allLow = bits === 8 && data.every((v) => v <= 0xff);
    const div = bits === 8 ? 255 : 65535;
    for (let i = 0; i < n; i++) lut[i] = (bits === 8 && !allLow ? data[i] >> 8 : data[i]) / div;
  } else return `palette LUT data has ${data.length} entries, ${n} declared`;
  return { lut, first };
}

function palette(ds: DicomDataset, f: SampleFrame, file: string): Result<Float32Array> {
  if (f.components !== 1) return fail(file, `PALETTE COLOR with ${f.components} samples per pixel`);
  if (ds.elements.has(0x00281221)) return fail(file, 'PALETTE COLOR with segmented palette LUTs is not supported');
  const ch = [0, 1, 2].map((k) => paletteChannel(ds, 0x00281101 + k, 0x00281201 + k, f.signed));
  for (const c of ch) if (typeof c === 'string') return fail(file, `tag (0028,1101-1203): ${c}`);
  const [r, g, b] = ch as { lut: Float32Array; first: number }[];
  const out = new Float32Array(f.nPixels);
  const at = (c: { lut: Float32Array; first: number }, v: number) => {
    const i = v - c.first;
    return c.lut[i < 0 ? 0 : i >= c.lut.length ? c.lut.length - 1 : i];
  };
  for (let i = 0; i < f.nPixels; i++) {
    const v = f.samples[i];
    out[i] = 0.299 * at(r, v) + 0.587 * at(g, v) + 0.114 * at(b, v);
  }
  return ok(out);
}

export function toGrey(ds: DicomDataset, photometric: string, f: SampleFrame, file: string): Result<GreyValues> {
  const maxV = 2 ** f.bitsStored - 1;
  if (photometric === 'MONOCHROME1' || photometric === 'MONOCHROME2') {
    if (f.components === 1) return ok({ kind: 'mono', values: f.samples });
    // A colour codestream under a monochrome header: its luma, in stored units, goes through the LUTs.
    if (f.components === 3) {
      const v = lumaRgb(f, 1);
      return ok({ kind: 'mono', values: v });
    }
    return fail(file, `${photometric} with ${f.components} samples per pixel`);
  }
  if (photometric === 'PALETTE COLOR') {
    const r = palette(ds, f, file);
    return r.ok ? ok({ kind: 'luma', values: r.value }) : r;
  }
  const sub422 = !f.rgb && f.components === 3 && f.samples.length === f.nPixels * 2;
  if (f.components !== 3) return fail(file, `${photometric} with ${f.components} samples per pixel`);
  if (f.rgb || photometric === 'RGB' || photometric === 'YBR_RCT' || photometric === 'YBR_ICT') return ok({ kind: 'luma', values: lumaRgb(f, maxV) });
  if (photometric === 'YBR_FULL' || photometric === 'YBR_FULL_422') return ok({ kind: 'luma', values: lumaY(f, maxV, false, sub422) });
  if (photometric === 'YBR_PARTIAL_422' || photometric === 'YBR_PARTIAL_420') return ok({ kind: 'luma', values: lumaY(f, maxV, true, sub422) });
  return fail(file, `tag (0028,0004): photometric interpretation ${photometric} is not supported`);
}
