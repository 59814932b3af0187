// Test support: a small DICOM writer for hand-built data sets (any of the native encodings, with or
// without preamble and meta group, sequences, encapsulated fragments), to reach cases tools do not make.
import { deflateSync } from 'fflate';

export interface El {
  tag: number;
  vr: string;
  /** Text, numbers (encoded per VR and byte order) or raw bytes (written as given). */
  value?: string | number[] | Uint8Array;
  items?: El[][];
  /** Encapsulated pixel data: offset table entries and fragments. */
  fragments?: Uint8Array[];
  offsetTable?: number[];
  /** Write the sequence with undefined length and delimiters. */
  undefinedLength?: boolean;
}

export const TS = {
  implicit: '1.2.840.10008.1.2',
  explicit: '1.2.840.10008.1.2.1',
  deflated: '1.2.840.10008.1.2.1.99',
  bigEndian: '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
} as const;

const LONG = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT']);

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

interface Enc {
  le: boolean;
  explicit: boolean;
}

function valueOf(e: El, enc: Enc): Uint8Array {
  const v = e.value ?? new Uint8Array(0);
  let b: Uint8Array;
  if (typeof v === 'string') b = new TextEncoder().encode(v);
  else if (v instanceof Uint8Array) b = v;
  else {
    const size = e.vr === 'UL' || e.vr === 'SL' || e.vr === 'FL' ? 4 : e.vr === 'FD' ? 8 : 2;
    b = new Uint8Array(v.length * size);
    const dv = new DataView(b.buffer);
    v.forEach((x, i) => {
      if (e.vr === 'SS') dv.setInt16(i * 2, x, enc.le);
      else if (e.vr === 'UL') dv.setUint32(i * 4, x, enc.le);
      else if (e.vr === 'SL') dv.setInt32(i * 4, x, enc.le);
      else if (e.vr === 'FL') dv.setFloat32(i * 4, x, enc.le);
      else if (e.vr === 'FD') dv.setFloat64(i * 8, x, enc.le);
      else dv.setUint16(i * 2, x, enc.le);
    });
  }
  if (b.length % 2) b = concat([b, new Uint8Array([e.vr === 'UI' || e.vr === 'OB' || e.vr === 'UN' ? 0 : 0x20])]);
  return b;
}

function header(tag: number, vr: string, len: number, enc: Enc): Uint8Array {
  const item = tag >>> 16 === 0xfffe;
  const long = !enc.explicit || item || LONG.has(vr);
  const h = new Uint8Array(enc.explicit && !item && LONG.has(vr) ? 12 : 8);
  const dv = new DataView(h.buffer);
  dv.setUint16(0, tag >>> 16, enc.le);
  dv.setUint16(2, tag & 0xffff, enc.le);
  if (enc.explicit && !item) {
    h[4] = vr.charCodeAt(0);
    h[5] = vr.charCodeAt(1);
    if (LONG.has(vr)) dv.setUint32(8, len, enc.le);
    else dv.setUint16(6, len, enc.le);
  } else if (long) dv.setUint32(4, len, enc.le);
  return h;
}

const UNDEF = 0xffffffff;

export function encodeElements(els: El[], enc: Enc): Uint8Array {
  const sorted = [...els].sort((a, b) => a.tag - b.tag);
  return concat(
    sorted.map((e) => {
      if (e.fragments) {
        const words = e.offsetTable ?? [];
        const bot = new Uint8Array(words.length * 4);
        words.forEach((w, i) => new DataView(bot.buffer).setUint32(i * 4, w, enc.le));
        const items = [bot, ...e.fragments].map((f) => {
          const p = f.length % 2 ? concat([f, new Uint8Array(1)]) : f;
          return concat([header(0xfffee000, '', p.length, enc), p]);
        });
        return concat([header(e.tag, e.vr, UNDEF, enc), ...items, header(0xfffee0dd, '', 0, enc)]);
      }
      if (e.items) {
        const items = e.items.map((it) => {
          const body = encodeElements(it, enc);
          return e.undefinedLength
            ? concat([header(0xfffee000, '', UNDEF, enc), body, header(0xfffee00d, '', 0, enc)])
            : concat([header(0xfffee000, '', body.length, enc), body]);
        });
        const body = concat(items);
        return e.undefinedLength
          ? concat([header(e.tag, 'SQ', UNDEF, enc), body, header(0xfffee0dd, '', 0, enc)])
          : concat([header(e.tag, 'SQ', body.length, enc), body]);
      }
      const v = valueOf(e, enc);
      return concat([header(e.tag, e.vr, v.length, enc), v]);
    }),
  );
}

export function writeDicom(els: El[], o: { ts?: string; preamble?: boolean; meta?: boolean; sopClass?: string } = {}): Uint8Array {
  const ts = o.ts ?? TS.explicit;
  const enc: Enc = { le: ts !== TS.bigEndian, explicit: ts !== TS.implicit };
  const sop = o.sopClass ?? '1.2.840.10008.5.1.4.1.1.7';
  const all = els.some((e) => e.tag === 0x00080016) ? els : [{ tag: 0x00080016, vr: 'UI', value: sop }, ...els];
  let body = encodeElements(all, enc);
  if (ts === TS.deflated) body = deflateSync(body);
  const parts: Uint8Array[] = [];
  if (o.preamble ?? true) parts.push(new Uint8Array(128), new TextEncoder().encode('DICM'));
  if (o.meta ?? true) {
    const metaEnc = { le: true, explicit: true };
    const rest = encodeElements(
      [
        { tag: 0x00020001, vr: 'OB', value: new Uint8Array([0, 1]) },
        { tag: 0x00020002, vr: 'UI', value: sop },
        { tag: 0x00020010, vr: 'UI', value: ts },
      ],
      metaEnc,
    );
    parts.push(encodeElements([{ tag: 0x00020000, vr: 'UL', value: [rest.length] }], metaEnc), rest);
  }
  parts.push(body);
  return concat(parts);
}

/** Image Pixel module elements. */
export function imageEls(o: {
  rows: number;
  cols: number;
  bits: number;
  stored?: number;
  high?: number;
  signed?: boolean;
  spp?: number;
  photometric?: string;
  planar?: number;
  frames?: number;
}): El[] {
  const stored = o.stored ?? o.bits;
  const els: El[] = [
    { tag: 0x00080060, vr: 'CS', value: 'CR' },
    { tag: 0x00280002, vr: 'US', value: [o.spp ?? 1] },
    { tag: 0x00280004, vr: 'CS', value: o.photometric ?? 'MONOCHROME2' },
    { tag: 0x00280010, vr: 'US', value: [o.rows] },
    { tag: 0x00280011, vr: 'US', value: [o.cols] },
    { tag: 0x00280100, vr: 'US', value: [o.bits] },
    { tag: 0x00280101, vr: 'US', value: [stored] },
    { tag: 0x00280102, vr: 'US', value: [o.high ?? stored - 1] },
    { tag: 0x00280103, vr: 'US', value: [o.signed ? 1 : 0] },
  ];
  if ((o.spp ?? 1) > 1) els.push({ tag: 0x00280006, vr: 'US', value: [o.planar ?? 0] });
  if (o.frames) els.push({ tag: 0x00280008, vr: 'IS', value: String(o.frames) });
  return els;
}

/** PackBits-literal RLE frame (DICOM Annex G) of byte planes, most significant byte first. */
export function rleFrame(planes: Uint8Array[]): Uint8Array {
  const segs = planes.map((p) => {
    const out: number[] = [];
    for (let i = 0; i < p.length; i += 128) {
      const run = p.subarray(i, Math.min(p.length, i + 128));
      out.push(run.length - 1, ...run);
    }
    if (out.length % 2) out.push(0x80); // no-op pad byte
    return new Uint8Array(out);
  });
  const head = new Uint8Array(64);
  const dv = new DataView(head.buffer);
  dv.setUint32(0, segs.length, true);
  let off = 64;
  segs.forEach((s, i) => {
    dv.setUint32(4 + 4 * i, off, true);
    off += s.length;
  });
  return concat([head, ...segs]);
}
