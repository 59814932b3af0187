// DICOM Part 10 / raw data set parser: finds the preamble and file meta group when present (and reads
// files without either), picks the encoding from the transfer syntax (inflating deflated data sets with a
// size cap), and walks the elements, sequences and encapsulated pixel fragments. Every length is checked
// against the bytes that are there; a file cut short keeps what was read and says where it ends.
import { Inflate } from 'fflate';
import { fail, ok, type Result } from '../types';
import { tagName, type DicomDataset, type DicomElement, type Fragment, str } from './dataset';
import { KNOWN_SEQUENCES, KNOWN_VRS, LONG_VRS, TRANSFER_SYNTAXES, type TransferSyntax } from './dictionary';

export const PIXEL_DATA = 0x7fe00010;
const ITEM = 0xfffee000;
const ITEM_END = 0xfffee00d;
const SEQ_END = 0xfffee0dd;
const UNDEFINED = 0xffffffff;
const MAX_DEPTH = 12;
/** Largest inflated data set accepted from a deflated file. */
export const MAX_INFLATED_BYTES = 768 * 1024 * 1024;

export interface ParsedDicom {
  meta: DicomDataset | null;
  ds: DicomDataset;
  transferSyntaxUid: string;
  /** Undefined when the UID is not one the reader knows. */
  transferSyntax: TransferSyntax | undefined;
  hasPreamble: boolean;
  /** Where and how the file ends early, when it does. */
  truncated?: string;
}

interface Walker {
  bytes: Uint8Array;
  dv: DataView;
  explicit: boolean;
  le: boolean;
  problem?: string;
}

const NOT_DICOM = 'not a DICOM file (no DICM marker, no readable dataset)';

function vrAt(b: Uint8Array, p: number): string {
  return p + 6 <= b.length ? String.fromCharCode(b[p + 4], b[p + 5]) : '';
}

function readFragments(w: Walker, start: number, end: number): { offsetTable?: Fragment; fragments: Fragment[]; next: number } {
  const fragments: Fragment[] = [];
  let offsetTable: Fragment | undefined;
  let p = start;
  let first = true;
  while (p + 8 <= end) {
    const tag = ((w.dv.getUint16(p, w.le) << 16) | w.dv.getUint16(p + 2, w.le)) >>> 0;
    const len = w.dv.getUint32(p + 4, w.le);
    if (tag === SEQ_END) return { offsetTable, fragments, next: p + 8 };
    if (tag !== ITEM || len === UNDEFINED) {
      w.problem = `byte ${p}: pixel data fragment expected, found ${tagName(tag)}`;
      return { offsetTable, fragments, next: end };
    }
    const avail = Math.min(len, end - p - 8);
    if (avail < len) w.problem = `byte ${p}: pixel data fragment of ${len} bytes cut to ${avail} (file truncated)`;
    const frag = { offset: p + 8, length: avail };
    if (first) offsetTable = frag;
    else fragments.push(frag);
    first = false;
    p += 8 + avail;
  }
  if (!w.problem) w.problem = `byte ${p}: encapsulated pixel data has no sequence delimiter (file truncated)`;
  return { offsetTable, fragments, next: end };
}

function readItems(w: Walker, start: number, end: number, depth: number): { items: DicomDataset[]; next: number } {
  const items: DicomDataset[] = [];
  let p = start;
  while (p + 8 <= end) {
    const tag = ((w.dv.getUint16(p, w.le) << 16) | w.dv.getUint16(p + 2, w.le)) >>> 0;
    const len = w.dv.getUint32(p + 4, w.le);
    if (tag === SEQ_END) return { items, next: p + 8 };
    if (tag !== ITEM) {
      w.problem = `byte ${p}: sequence item expected, found ${tagName(tag)}`;
      return { items, next: end };
    }
    if (len === UNDEFINED) {
      const r = readElements(w, p + 8, end, depth + 1);
      items.push(r.ds);
      p = r.next;
    } else {
      const itemEnd = Math.min(end, p + 8 + len);
      if (p + 8 + len > end) w.problem = `byte ${p}: sequence item of ${len} bytes runs past the end (file truncated)`;
      items.push(readElements(w, p + 8, itemEnd, depth + 1).ds);
      p = itemEnd;
    }
    if (w.problem) return { items, next: end };
  }
  return { items, next: p };
}

/** Reads elements from start to end (or to an item delimiter), and where reading stopped. */
function readElements(w: Walker, start: number, end: number, depth: number, onlyGroup?: number): { ds: DicomDataset; next: number } {
  const ds: DicomDataset = { bytes: w.bytes, littleEndian: w.le, elements: new Map() };
  let p = start;
  while (p < end) {
    if (p + 8 > end) {
      w.problem = `byte ${p}: element header cut short (file truncated)`;
      return { ds, next: end };
    }
    const group = w.dv.getUint16(p, w.le);
    if (onlyGroup !== undefined && group !== onlyGroup) break;
    const tag = ((group << 16) | w.dv.getUint16(p + 2, w.le)) >>> 0;
    if (tag === ITEM_END || tag === SEQ_END) return { ds, next: p + 8 };
    let vr: string;
    let len: number;
    let hdr: number;
    if (w.explicit && group !== 0xfffe) {
      vr = vrAt(w.bytes, p);
      if (!KNOWN_VRS.has(vr)) {
        w.problem = `byte ${p}: ${tagName(tag)} has no valid value representation`;
        return { ds, next: end };
      }
      if (LONG_VRS.has(vr)) {
        if (p + 12 > end) {
          w.problem = `byte ${p}: element header cut short (file truncated)`;
          return { ds, next: end };
        }
        len = w.dv.getUint32(p + 8, w.le);
        hdr = 12;
      } else {
        len = w.dv.getUint16(p + 6, w.le);
        hdr = 8;
      }
    } else {
      vr = tag === PIXEL_DATA ? 'OW' : KNOWN_SEQUENCES.has(tag) ? 'SQ' : 'UN';
      len = w.dv.getUint32(p + 4, w.le);
      hdr = 8;
    }
    const valueStart = p + hdr;
    const el: DicomElement = { tag, vr, offset: valueStart, length: 0 };
    if (len === UNDEFINED) {
      if (tag === PIXEL_DATA) {
        const r = readFragments(w, valueStart, end);
        el.offsetTable = r.offsetTable;
        el.fragments = r.fragments;
        p = r.next;
      } else if (depth < MAX_DEPTH) {
        // An undefined-length UN holds implicit VR little endian items (PS3.5 6.2.2).
        const saved = w.explicit;
        if (vr === 'UN') w.explicit = false;
        const r = readItems(w, valueStart, end, depth);
        w.explicit = saved;
        el.items = r.items;
        p = r.next;
      } else {
        w.problem = `byte ${p}: sequences nested deeper than ${MAX_DEPTH} levels`;
        return { ds, next: end };
      }
    } else {
      const valueEnd = valueStart + len;
      if (valueEnd > end) {
        el.length = Math.max(0, end - valueStart);
        if (!ds.elements.has(tag)) ds.elements.set(tag, el);
        w.problem = `byte ${p}: ${tagName(tag)} needs ${len} bytes, ${el.length} left (file truncated)`;
        return { ds, next: end };
      }
      el.length = len;
      if (vr === 'SQ' && depth < MAX_DEPTH) el.items = readItems(w, valueStart, valueEnd, depth).items;
      p = valueEnd;
    }
    if (!ds.elements.has(tag)) ds.elements.set(tag, el);
    if (w.problem) return { ds, next: end };
  }
  return { ds, next: p };
}

/** A plausible first group of a data set without meta (and its byte order). */
function guessEncoding(b: Uint8Array, p: number): { le: boolean; explicit: boolean } | null {
  if (p + 8 > b.length) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const plausible = (g: number) => g === 0x0002 || g === 0x0008 || g === 0x0010 || g === 0x0018 || g === 0x0020 || g === 0x0028;
  const le = plausible(dv.getUint16(p, true)) ? true : plausible(dv.getUint16(p, false)) ? false : null;
  if (le === null) return null;
  return { le, explicit: KNOWN_VRS.has(vrAt(b, p)) };
}

function inflateRaw(data: Uint8Array): Uint8Array | string {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let tooBig = false;
  const inf = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_INFLATED_BYTES) tooBig = true;
    else chunks.push(chunk);
  });
  try {
    const step = 1 << 16;
    for (let i = 0; i < data.length && !tooBig; i += step) inf.push(data.subarray(i, i + step), i + step >= data.length);
  } catch (e) {
    if (!chunks.length) return `deflated data set does not inflate (${(e as Error).message})`;
  }
  if (tooBig) return `deflated data set inflates past ${MAX_INFLATED_BYTES} bytes`;
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

/** Parses a DICOM file (Part 10 or a bare data set). Never throws. */
export function parseDicom(bytes: Uint8Array, file: string): Result<ParsedDicom> {
  try {
    return parseInner(bytes, file);
  } catch (e) {
    return fail(file, `DICOM parse failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function hasMagic(b: Uint8Array, at: number): boolean {
  return b.length >= at + 4 && b[at] === 0x44 && b[at + 1] === 0x49 && b[at + 2] === 0x43 && b[at + 3] === 0x4d;
}

function parseInner(bytes: Uint8Array, file: string): Result<ParsedDicom> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 0;
  let hasPreamble = false;
  if (hasMagic(bytes, 128)) {
    p = 132;
    hasPreamble = true;
  } else if (hasMagic(bytes, 0)) p = 4;
  const problems: string[] = [];
  let meta: DicomDataset | null = null;
  if (p + 8 <= bytes.length && dv.getUint16(p, true) === 0x0002) {
    // The meta group is explicit VR little endian; some writers use implicit VR there.
    const w: Walker = { bytes, dv, explicit: KNOWN_VRS.has(vrAt(bytes, p)), le: true };
    const r = readElements(w, p, bytes.length, 0, 0x0002);
    meta = r.ds;
    if (w.problem) problems.push(w.problem);
    p = r.next;
  } else if (!hasPreamble && p === 0 && !guessEncoding(bytes, 0)) {
    return fail(file, NOT_DICOM);
  }
  let uid = meta ? (str(meta, 0x00020010) ?? '') : '';
  let syntax = TRANSFER_SYNTAXES[uid];
  let dsBytes = bytes;
  let le: boolean;
  let explicit: boolean;
  if (syntax) {
    le = syntax.littleEndian;
    explicit = syntax.explicitVr;
    if (syntax.deflated) {
      const inflated = inflateRaw(bytes.subarray(p));
      if (typeof inflated === 'string') return fail(file, inflated);
      dsBytes = inflated;
      p = 0;
    }
  } else {
    // Unknown or absent transfer syntax: the data set itself tells its byte order; pixel data is then
    // read natively only when no transfer syntax was given.
    const g = guessEncoding(bytes, p);
    if (!g) {
      if (!meta) return fail(file, NOT_DICOM);
      le = true;
      explicit = true;
    } else {
      le = g.le;
      explicit = g.explicit;
    }
    if (!meta || !uid) {
      uid = explicit ? (le ? '1.2.840.10008.1.2.1' : '1.2.840.10008.1.2.2') : '1.2.840.10008.1.2';
      syntax = TRANSFER_SYNTAXES[uid];
    }
  }
  // Some writers label an implicit VR data set as explicit (and the reverse): trust the bytes.
  if (p + 6 <= dsBytes.length && dsBytes === bytes) {
    const vrOk = KNOWN_VRS.has(vrAt(dsBytes, p));
    if (explicit !== vrOk && le) explicit = vrOk;
  }
  const w: Walker = { bytes: dsBytes, dv: new DataView(dsBytes.buffer, dsBytes.byteOffset, dsBytes.byteLength), explicit, le };
  const { ds } = readElements(w, p, dsBytes.length, 0);
  if (w.problem) problems.push(w.problem);
  if (!hasPreamble && !meta && ds.elements.size < 3) return fail(file, NOT_DICOM);
  if (hasPreamble && !meta && ds.elements.size === 0) return fail(file, `byte 132: DICM marker but no readable data set${problems.length ? ` (${problems[0]})` : ''}`);
  return ok({ meta, ds, transferSyntaxUid: uid, transferSyntax: syntax, hasPreamble, truncated: problems[0] });
}
