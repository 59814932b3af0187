// A bounds-checked walk over the data elements of a DICOM Part 10 file, without decoding values: the
// file meta group, then the data set in its transfer syntax, sequences and encapsulated pixel data
// included. Used for the length pre-check and to read the SOP Instance UID cheaply; pixel decoding
// lives in the DICOM decoder, not here.

const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const MAX_ELEMENTS = 2_000_000;
const MAX_DEPTH = 16;

export interface DicomElement {
  group: number;
  element: number;
  vr: string | null;
  /** Byte offset of the value and its length (the length is undefined for sequences / encapsulated data). */
  valueOffset: number;
  length: number;
  depth: number;
}

export interface DicomWalk {
  transferSyntax: string;
  /** Media Storage SOP Instance UID from the file meta group (0002,0003), if present. */
  metaSopInstanceUid: string | null;
}

export class DicomLengthError extends Error {}

const text = (b: Uint8Array, off: number, len: number) => {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(b[off + i]);
  return s.replace(/[\0 ]+$/, '').trim();
};

/**
 * Walks the file; `visit` sees every element (return false to stop early). Throws DicomLengthError
 * naming the element and byte where a length runs past the end of the file or a delimiter is missing.
 */
export function walkDicom(bytes: Uint8Array, visit: (e: DicomElement) => boolean | void): DicomWalk {
  const n = bytes.length;
  if (n < 132 || text(bytes, 128, 4) !== 'DICM') throw new DicomLengthError('no "DICM" marker at byte 128');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 132;
  let transferSyntax = '1.2.840.10008.1.2.1';
  let metaSopInstanceUid: string | null = null;
  // File meta group: always explicit VR little endian.
  while (p + 8 <= n && dv.getUint16(p, true) === 0x0002) {
    const el = readHeader(bytes, dv, p, true, true, 0);
    if (el.length === UNDEFINED) throw new DicomLengthError(`file meta element (0002,${hex(el.element)}) has an undefined length (byte ${p})`);
    end(el, n, p);
    if (el.element === 0x0010) transferSyntax = text(bytes, el.valueOffset, el.length);
    if (el.element === 0x0003) metaSopInstanceUid = text(bytes, el.valueOffset, el.length) || null;
    if (visit(el) === false) return { transferSyntax, metaSopInstanceUid };
    p = el.valueOffset + el.length;
  }
  if (transferSyntax === '1.2.840.10008.1.2.1.99') return { transferSyntax, metaSopInstanceUid }; // deflated: lengths are inside the zlib stream
  const explicit = transferSyntax !== '1.2.840.10008.1.2';
  const little = transferSyntax !== '1.2.840.10008.1.2.2';
  let count = 0;
  const walk = (from: number, to: number, depth: number, explicitVr: boolean, stopAtItemEnd: boolean): number => {
    let q = from;
    while (q < to) {
      if (++count > MAX_ELEMENTS) throw new DicomLengthError(`more than ${MAX_ELEMENTS} elements`);
      if (q + 8 > to) throw new DicomLengthError(`truncated: an element header at byte ${q} runs past the end of the file`);
      const group = dv.getUint16(q, little);
      const element = dv.getUint16(q + 2, little);
      if (group === 0xfffe && element === 0xe00d) return q + 8; // item delimitation
      const el = readHeader(bytes, dv, q, explicitVr, little, depth);
      if (el.length === UNDEFINED) {
        if (visit(el) === false) return -1;
        const isPixels = el.group === 0x7fe0 && el.element === 0x0010;
        q = isPixels ? fragments(el.valueOffset, to, little) : sequence(el.valueOffset, to, depth + 1, el.vr === 'UN' ? false : explicitVr);
        if (q < 0) return -1;
        continue;
      }
      end(el, to, q);
      if (visit(el) === false) return -1;
      q = el.valueOffset + el.length;
    }
    if (stopAtItemEnd) throw new DicomLengthError(`truncated: a sequence item has no end (byte ${from})`);
    return q;
  };
  const sequence = (from: number, to: number, depth: number, explicitVr: boolean): number => {
    if (depth > MAX_DEPTH) throw new DicomLengthError(`sequences nested deeper than ${MAX_DEPTH} (byte ${from})`);
    let q = from;
    while (q + 8 <= to) {
      const group = dv.getUint16(q, little);
      const element = dv.getUint16(q + 2, little);
      const len = dv.getUint32(q + 4, little);
      if (group !== 0xfffe) throw new DicomLengthError(`byte ${q}: expected a sequence item, found (${hex(group)},${hex(element)})`);
      if (element === 0xe0dd) return q + 8;
      if (element !== 0xe000) throw new DicomLengthError(`byte ${q}: unexpected delimiter (FFFE,${hex(element)}) in a sequence`);
      if (len === UNDEFINED) {
        q = walk(q + 8, to, depth, explicitVr, true);
        if (q < 0) return -1;
      } else {
        if (q + 8 + len > to) throw new DicomLengthError(`truncated: a sequence item at byte ${q} declares ${len} bytes past the end of the file`);
        if (walk(q + 8, q + 8 + len, depth, explicitVr, false) < 0) return -1;
        q += 8 + len;
      }
    }
    throw new DicomLengthError(`truncated: a sequence starting at byte ${from} has no end delimiter`);
  };
  const fragments = (from: number, to: number, le: boolean): number => {
    let q = from;
    while (q + 8 <= to) {
      const group = dv.getUint16(q, le);
      const element = dv.getUint16(q + 2, le);
      const len = dv.getUint32(q + 4, le);
      if (group !== 0xfffe) throw new DicomLengthError(`byte ${q}: expected a pixel data fragment, found (${hex(group)},${hex(element)})`);
      if (element === 0xe0dd) return q + 8;
      if (len === UNDEFINED || q + 8 + len > to) {
        throw new DicomLengthError(`truncated: a pixel data fragment at byte ${q} declares ${len === UNDEFINED ? 'no' : len} bytes, the file ends at ${to}`);
      }
      q += 8 + len;
    }
    throw new DicomLengthError('truncated: the compressed pixel data has no end delimiter (the file ends early)');
  };
  walk(p, n, 0, explicit, false);
  return { transferSyntax, metaSopInstanceUid };
}

function readHeader(bytes: Uint8Array, dv: DataView, p: number, explicitVr: boolean, little: boolean, depth: number): DicomElement {
  const group = dv.getUint16(p, little);
  const element = dv.getUint16(p + 2, little);
  const isDelimiter = group === 0xfffe;
  if (!explicitVr || isDelimiter) return { group, element, vr: null, valueOffset: p + 8, length: dv.getUint32(p + 4, little), depth };
  const vr = String.fromCharCode(bytes[p + 4], bytes[p + 5]);
  if (!/^[A-Z]{2}$/.test(vr)) throw new DicomLengthError(`byte ${p + 4}: (${hex(group)},${hex(element)}) has no valid VR`);
  if (LONG_VRS.has(vr)) {
    if (p + 12 > bytes.length) throw new DicomLengthError(`truncated: the header of (${hex(group)},${hex(element)}) at byte ${p} runs past the end`);
    return { group, element, vr, valueOffset: p + 12, length: dv.getUint32(p + 8, little), depth };
  }
  return { group, element, vr, valueOffset: p + 8, length: dv.getUint16(p + 6, little), depth };
}

function end(el: DicomElement, to: number, at: number): void {
  if (el.valueOffset + el.length > to) {
    throw new DicomLengthError(
      `truncated: element (${hex(el.group)},${hex(el.element)}) at byte ${at} declares ${el.length} bytes, only ${Math.max(0, to - el.valueOffset)} remain`,
    );
  }
}

export const hex = (v: number) => v.toString(16).toUpperCase().padStart(4, '0');
