// A parsed DICOM data set: element positions into the file bytes (no values copied), with typed readers.
// Readers never throw: a missing or short value reads as undefined.

export interface Fragment {
  /** Byte offset of the fragment's value in the data set bytes. */
  offset: number;
  length: number;
}

export interface DicomElement {
  /** (group << 16) | element. */
  tag: number;
  vr: string;
  /** Byte offset of the value in the data set bytes. */
  offset: number;
  length: number;
  /** Sequence items (SQ, or undefined-length UN). */
  items?: DicomDataset[];
  /** Encapsulated pixel data: basic offset table item, then the fragments. */
  offsetTable?: Fragment;
  fragments?: Fragment[];
}

export interface DicomDataset {
  bytes: Uint8Array;
  littleEndian: boolean;
  elements: Map<number, DicomElement>;
}

export const tagOf = (group: number, element: number): number => ((group << 16) | element) >>> 0;

export const tagName = (tag: number): string =>
  `(${(tag >>> 16).toString(16).padStart(4, '0').toUpperCase()},${(tag & 0xffff).toString(16).padStart(4, '0').toUpperCase()})`;

function view(ds: DicomDataset, el: DicomElement): DataView {
  return new DataView(ds.bytes.buffer, ds.bytes.byteOffset + el.offset, el.length);
}

/** Value bytes of an element (a view, not a copy). */
export function valueBytes(ds: DicomDataset, tag: number): Uint8Array | undefined {
  const el = ds.elements.get(tag);
  return el ? ds.bytes.subarray(el.offset, el.offset + el.length) : undefined;
}

/** Text value with trailing padding removed (first value only when index is given). */
export function str(ds: DicomDataset, tag: number, index?: number): string | undefined {
  const b = valueBytes(ds, tag);
  if (!b) return undefined;
  let s = '';
  for (let i = 0; i < b.length && i < 1024; i++) s += String.fromCharCode(b[i]);
  s = s.replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (index === undefined) return s;
  const parts = s.split('\\');
  return parts[index]?.trim();
}

/** Unsigned 16-bit value (US), index-th of a multi-valued element. */
export function u16(ds: DicomDataset, tag: number, index = 0): number | undefined {
  const el = ds.elements.get(tag);
  if (!el || el.length < 2 * (index + 1)) return undefined;
  return view(ds, el).getUint16(2 * index, ds.littleEndian);
}

/** Signed 16-bit value (SS). */
export function s16(ds: DicomDataset, tag: number, index = 0): number | undefined {
  const el = ds.elements.get(tag);
  if (!el || el.length < 2 * (index + 1)) return undefined;
  return view(ds, el).getInt16(2 * index, ds.littleEndian);
}

/** Decimal or integer string (DS / IS) as a number, index-th value. */
export function num(ds: DicomDataset, tag: number, index = 0): number | undefined {
  const s = str(ds, tag, index);
  if (s === undefined || s === '') return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** All 16-bit words of an element (LUT data), unsigned. */
export function words(ds: DicomDataset, tag: number): Uint16Array | undefined {
  const el = ds.elements.get(tag);
  if (!el) return undefined;
  const n = el.length >> 1;
  const dv = view(ds, el);
  const out = new Uint16Array(n);
  for (let i = 0; i < n; i++) out[i] = dv.getUint16(2 * i, ds.littleEndian);
  return out;
}

/** First item of a sequence. */
export function firstItem(ds: DicomDataset, tag: number): DicomDataset | undefined {
  return ds.elements.get(tag)?.items?.[0];
}
