// Model-input preprocessing shared by the browser workers and the Node tools (pure TS, no tfjs).
// ECG: standard 12-lead order, anti-aliased resampling to 100 Hz, 10 s, median baseline, clip +-10 mV;
// no per-record amplitude scaling, because voltage criteria (e.g. hypertrophy) depend on absolute mV.
// CXR: squash to 224x224 (area average down, bilinear up), then per-image standardisation.
import {
  CXR_SIZE_PX,
  ECG_FS_HZ,
  ECG_LEADS,
  ECG_SAMPLES,
  fail,
  ok,
  type EcgRecord,
  type GrayImage,
  type PreparedEcg,
  type Result,
} from '../formats/types';
import { KERNEL_HALF_PERIODS, resampleSignals } from '../formats/resample';

export { resampleSignals } from '../formats/resample';

export const ECG_CLIP_MV = 10;
export const ECG_DISPLAY_MAX_FS_HZ = 500;
export const ECG_WINDOW_S = ECG_SAMPLES / ECG_FS_HZ;
export const CXR_STD_FLOOR = 1e-2;

/** Other names of standard leads: Einthoven's D1..D3, and the modified limb leads MLI..MLIII of Holter and MIT-BIH records. */
const LEAD_ALIASES: Record<string, string> = { d1: 'i', d2: 'ii', d3: 'iii', '1': 'i', '2': 'ii', '3': 'iii', mli: 'i', mlii: 'ii', mliii: 'iii' };

/** Normalises a lead name for matching: "AVR", "aVR", "Lead aVR", "avr" -> "avr". */
export function normaliseLeadName(name: string): string {
  const n = name.toLowerCase().replace(/^lead[\s_-]*/, '').replace(/[\s_-]/g, '');
  return LEAD_ALIASES[n] ?? n;
}

/** For each standard lead, the index of the matching source lead (or -1). */
export function mapLeads(leadNames: string[]): number[] {
  const idx = new Map<string, number>();
  leadNames.forEach((n, i) => {
    const k = normaliseLeadName(n);
    if (!idx.has(k)) idx.set(k, i);
  });
  return ECG_LEADS.map((l) => idx.get(l.toLowerCase()) ?? -1);
}

/** Rearranges a[lo..hi] so that a[k] holds the value it would hold sorted (Hoare quickselect, O(n)). */
function selectInPlace(a: Float32Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

/** Median of values[0..n) (finite values), the mean of the two middle ones for even n. */
export function median(values: Float32Array, n: number): number {
  if (n === 0) return 0;
  const a = Float32Array.from(values.subarray(0, n));
  const hiMid = selectInPlace(a, n >> 1);
  if (n % 2) return hiMid;
  // The lower middle is the largest value left of the upper one after the selection.
  let loMid = -Infinity;
  for (let i = 0; i < n >> 1; i++) if (a[i] > loMid) loMid = a[i];
  return 0.5 * (loMid + hiMid);
}

/** Source leads that have no standard 12-lead position (e.g. MCL1, V, "ECG 1"), in record order. */
export function extraLeads(leadNames: string[]): number[] {
  const standard = new Set(ECG_LEADS.map((l) => l.toLowerCase()));
  const used = new Set(mapLeads(leadNames));
  return leadNames.map((n, i) => (used.has(i) || standard.has(normaliseLeadName(n)) ? -1 : i)).filter((i) => i >= 0);
}

/**
 * Maps leads to the standard order, resamples to 100 Hz, first 10 s (zero-padded), median baseline, clip.
 * Standard positions a record lacks are zeros in the model input and NaN in the display; leads with other
 * names are kept in the display after the 12 standard ones, under their own names. `resample`: tests pass
 * the direct form.
 */
export function preprocessEcg(rec: EcgRecord, file: string, resample: typeof resampleSignals = resampleSignals): Result<PreparedEcg> {
  if (!(rec.fsHz > 0) || !Number.isFinite(rec.fsHz)) return fail(file, `bad sampling frequency ${rec.fsHz} Hz`);
  if (!(rec.nSamples > 0)) return fail(file, 'record has no samples');
  if (rec.signalsMv.length !== rec.leadNames.length) return fail(file, 'lead names and signals differ in count');
  if (rec.leadNames.length === 0) return fail(file, 'record has no leads');
  const map = mapLeads(rec.leadNames);
  const extras = extraLeads(rec.leadNames);
  const missingLeads = ECG_LEADS.filter((_, j) => map[j] < 0) as string[];
  // Source segment: the first 10 s plus the kernel margin, non-finite samples -> 0.
  const marginS = KERNEL_HALF_PERIODS / Math.min(rec.fsHz, ECG_FS_HZ);
  const nSrc = Math.min(rec.nSamples, Math.ceil((ECG_WINDOW_S + marginS) * rec.fsHz));
  const present = [...map.filter((i) => i >= 0), ...extras];
  const src = present.map((i) => {
    const s = rec.signalsMv[i];
    const o = new Float32Array(nSrc);
    const n = Math.min(nSrc, s.length);
    for (let t = 0; t < n; t++) o[t] = Number.isFinite(s[t]) ? s[t] : 0;
    return o;
  });
  const nValid = Math.min(ECG_SAMPLES, Math.floor((rec.nSamples * ECG_FS_HZ) / rec.fsHz));
  const res = resample(src.slice(0, present.length - extras.length), rec.fsHz, ECG_FS_HZ, nValid);

  const input = new Float32Array(ECG_LEADS.length * ECG_SAMPLES);
  let p = 0;
  map.forEach((i, j) => {
    if (i < 0) return;
    const y = res[p++];
    const base = median(y, nValid);
    for (let t = 0; t < nValid; t++) {
      const v = y[t] - base;
      input[j * ECG_SAMPLES + t] = v > ECG_CLIP_MV ? ECG_CLIP_MV : v < -ECG_CLIP_MV ? -ECG_CLIP_MV : v;
    }
  });

  const displayFsHz = Math.min(rec.fsHz, ECG_DISPLAY_MAX_FS_HZ);
  const nDisplay = Math.min(Math.round(ECG_WINDOW_S * displayFsHz), Math.floor((rec.nSamples * displayFsHz) / rec.fsHz));
  const disp = resample(src, rec.fsHz, displayFsHz, nDisplay);
  p = 0;
  const leads = [...map, ...extras].map((i) => {
    if (i < 0) return new Float32Array(nDisplay).fill(NaN);
    const y = disp[p++];
    const base = median(y, nDisplay);
    for (let t = 0; t < nDisplay; t++) y[t] -= base;
    return y;
  });
  const display = extras.length
    ? { fsHz: displayFsHz, leads, leadNames: [...ECG_LEADS, ...extras.map((i) => rec.leadNames[i])] }
    : { fsHz: displayFsHz, leads };
  return ok({ input, display, missingLeads });
}

/** 1-D resize along one axis: area average when shrinking, bilinear (centre-aligned) when growing. */
function resizeAxis(src: Float32Array, nIn: number, nOut: number, stride: number, count: number, countStride: number, dst: Float32Array, dstStride: number, dstCountStride: number) {
  if (nOut <= nIn) {
    const scale = nIn / nOut;
    for (let c = 0; c < count; c++) {
      for (let j = 0; j < nOut; j++) {
        const a = j * scale;
        const b = a + scale;
        let acc = 0;
        for (let i = Math.floor(a); i < Math.min(nIn, Math.ceil(b)); i++) {
          const wgt = Math.min(b, i + 1) - Math.max(a, i);
          acc += wgt * src[c * countStride + i * stride];
        }
        dst[c * dstCountStride + j * dstStride] = acc / scale;
      }
    }
  } else {
    for (let c = 0; c < count; c++) {
      for (let j = 0; j < nOut; j++) {
        let x = ((j + 0.5) * nIn) / nOut - 0.5;
        x = Math.max(0, Math.min(nIn - 1, x));
        const i0 = Math.floor(x);
        const i1 = Math.min(nIn - 1, i0 + 1);
        const f = x - i0;
        dst[c * dstCountStride + j * dstStride] = src[c * countStride + i0 * stride] * (1 - f) + src[c * countStride + i1 * stride] * f;
      }
    }
  }
}

/** Resizes a grey image to sizePx x sizePx (aspect ratio not kept: squash). Output row-major. */
export function resizeGray(img: GrayImage, sizePx = CXR_SIZE_PX): Float32Array {
  const { width, height } = img;
  if (!(width > 0 && height > 0) || img.pixels.length < width * height) return new Float32Array(sizePx * sizePx);
  const clean = new Float32Array(width * height);
  for (let i = 0; i < clean.length; i++) clean[i] = Number.isFinite(img.pixels[i]) ? img.pixels[i] : 0;
  // Rows first (width -> sizePx), then columns (height -> sizePx).
  const tmp = new Float32Array(height * sizePx);
  resizeAxis(clean, width, sizePx, 1, height, width, tmp, 1, sizePx);
  const out = new Float32Array(sizePx * sizePx);
  resizeAxis(tmp, height, sizePx, sizePx, sizePx, 1, out, sizePx, 1);
  return out;
}

/** [224*224] model input: squash-resize then (x - mean) / max(std, CXR_STD_FLOOR). */
export function preprocessCxr(img: GrayImage): Float32Array {
  const out = resizeGray(img, CXR_SIZE_PX);
  let mean = 0;
  for (let i = 0; i < out.length; i++) mean += out[i];
  mean /= out.length;
  let v = 0;
  for (let i = 0; i < out.length; i++) v += (out[i] - mean) ** 2;
  const std = Math.max(Math.sqrt(v / out.length), CXR_STD_FLOOR);
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - mean) / std;
  return out;
}
