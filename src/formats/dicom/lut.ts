// Grey-level transforms for monochrome images (PS3.3 C.11): the Modality LUT (rescale slope/intercept,
// or a Modality LUT Sequence), then the VOI (the first window with its VOI LUT Function, or the first
// VOI LUT Sequence item; min-max when neither is given), then MONOCHROME1 inversion. Output 0..1.
import { firstItem, num, str, u16, words, type DicomDataset } from './dataset';

interface Lut {
  first: number;
  data: Uint16Array;
}

function readLut(item: DicomDataset | undefined, signedInput: boolean): Lut | null {
  if (!item) return null;
  const entries = u16(item, 0x00283002, 0);
  let first = u16(item, 0x00283002, 1);
  const bits = u16(item, 0x00283002, 2);
  const data = words(item, 0x00283006);
  if (entries === undefined || first === undefined || !data || !data.length) return null;
  const n = entries === 0 ? 65536 : entries;
  if (signedInput && first > 32767) first -= 65536;
  // 8-bit entries may be packed two to a word.
  if (bits === 8 && data.length < n && data.length * 2 >= n) {
    const unpacked = new Uint16Array(n);
    for (let i = 0; i < n; i++) unpacked[i] = (data[i >> 1] >> ((i & 1) * 8)) & 0xff;
    return { first, data: unpacked };
  }
  return { first, data: data.length > n ? data.subarray(0, n) : data };
}

function applyLut(v: number, lut: Lut): number {
  const i = Math.round(v) - lut.first;
  return lut.data[i < 0 ? 0 : i >= lut.data.length ? lut.data.length - 1 : i];
}

/**
 * Enhanced (multi-frame) objects keep rescale and window in functional groups: the data set seen by the
 * LUTs is the top level plus, where it lacks them, the shared and then the first frame's
 * Pixel Value Transformation and Frame VOI LUT items.
 */
export function withFunctionalGroups(ds: DicomDataset): DicomDataset {
  const groups = [firstItem(ds, 0x52009229), firstItem(ds, 0x52009230)];
  const extra = groups.flatMap((g) => (g ? [firstItem(g, 0x00289145), firstItem(g, 0x00289132)] : [])).filter((x): x is DicomDataset => !!x);
  if (!extra.length) return ds;
  const elements = new Map(ds.elements);
  for (const e of extra) for (const [tag, el] of e.elements) if (!elements.has(tag)) elements.set(tag, el);
  return { ...ds, elements };
}

/** Modality LUT in place: stored values -> modality values (e.g. HU). */
export function applyModality(ds: DicomDataset, values: Float32Array, signed: boolean): void {
  const lut = readLut(firstItem(ds, 0x00283000), signed);
  if (lut) {
    for (let i = 0; i < values.length; i++) values[i] = applyLut(values[i], lut);
    return;
  }
  const slope = num(ds, 0x00281053) ?? 1;
  const intercept = num(ds, 0x00281052) ?? 0;
  if (slope !== 1 || intercept !== 0) for (let i = 0; i < values.length; i++) values[i] = values[i] * slope + intercept;
}

function minMax(values: Float32Array, out: Float32Array): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  for (let i = 0; i < values.length; i++) out[i] = range > 0 ? (values[i] - lo) / range : 0;
}

/** VOI transform to 0..1 (display-ready; MONOCHROME1 inverted). */
export function applyVoi(ds: DicomDataset, values: Float32Array, monochrome1: boolean, signedModality: boolean): Float32Array {
  const out = new Float32Array(values.length);
  const voiLut = readLut(firstItem(ds, 0x00283010), signedModality);
  const center = num(ds, 0x00281050, 0);
  const width = num(ds, 0x00281051, 0);
  const fn = (str(ds, 0x00281056) ?? 'LINEAR').toUpperCase();
  if (voiLut) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of voiLut.data) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const span = hi > lo ? hi - lo : 1;
    for (let i = 0; i < values.length; i++) out[i] = (applyLut(values[i], voiLut) - lo) / span;
  } else if (center !== undefined && width !== undefined && (width >= 1 || (fn !== 'LINEAR' && width > 0))) {
    if (fn === 'SIGMOID') {
      for (let i = 0; i < values.length; i++) out[i] = 1 / (1 + Math.exp((-4 * (values[i] - center)) / width));
    } else if (fn === 'LINEAR_EXACT') {
      for (let i = 0; i < values.length; i++) {
        const v = (values[i] - center) / width + 0.5;
        out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
      }
    } else {
      // C.11.2.1.2.1 linear function.
      const lo = center - 0.5 - (width - 1) / 2;
      const hi = center - 0.5 + (width - 1) / 2;
      for (let i = 0; i < values.length; i++) {
        const x = values[i];
        out[i] = x <= lo ? 0 : x > hi ? 1 : (x - (center - 0.5)) / (width - 1) + 0.5;
      }
    }
  } else minMax(values, out);
  if (monochrome1) for (let i = 0; i < out.length; i++) out[i] = 1 - out[i];
  return out;
}
