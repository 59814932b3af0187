// Image Pixel module and the first frame of Pixel Data: native frames (bits allocated 1/8/16/32, big
// endian words swapped to little endian) and encapsulated frames (basic offset table, one fragment per
// frame, or fragments split at codestream start markers). Sizes are checked before allocating.
import { MAX_IMAGE_PIXELS } from '../image';
import { fail, ok, type Result } from '../types';
import { num, str, tagName, u16, type DicomElement, type Fragment } from './dataset';
import { PIXEL_DATA, type ParsedDicom } from './parse';

export interface ImageDesc {
  rows: number;
  cols: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  signed: boolean;
  photometric: string;
  /** Planar configuration 1: colour planes one after another. */
  planar: boolean;
  nFrames: number;
}

export function readImageDesc(parsed: ParsedDicom, file: string): Result<ImageDesc> {
  const ds = parsed.ds;
  const rows = u16(ds, 0x00280010) ?? 0;
  const cols = u16(ds, 0x00280011) ?? 0;
  const spp = u16(ds, 0x00280002) ?? 1;
  const bitsAllocated = u16(ds, 0x00280100) ?? 0;
  const bitsStored = u16(ds, 0x00280101) ?? bitsAllocated;
  const highBit = u16(ds, 0x00280102) ?? bitsStored - 1;
  const photometric = (str(ds, 0x00280004) ?? (spp === 3 ? 'RGB' : 'MONOCHROME2')).toUpperCase();
  const nFrames = Math.max(1, Math.floor(num(ds, 0x00280008) ?? 1));
  if (!(rows > 0 && cols > 0)) return fail(file, `tag (0028,0010/0011): bad image size ${rows} x ${cols}`);
  if (rows * cols > MAX_IMAGE_PIXELS) return fail(file, `image ${cols} x ${rows} exceeds the limit of ${MAX_IMAGE_PIXELS} pixels`);
  if (spp !== 1 && spp !== 3) return fail(file, `tag (0028,0002): ${spp} samples per pixel is not supported (1 or 3)`);
  if (![1, 8, 16, 32].includes(bitsAllocated)) return fail(file, `tag (0028,0100): ${bitsAllocated} bits allocated is not supported (1, 8, 16 or 32)`);
  if (!(bitsStored >= 1 && bitsStored <= bitsAllocated)) return fail(file, `tag (0028,0101): bad bits stored ${bitsStored} for ${bitsAllocated} allocated`);
  if (!(highBit >= bitsStored - 1 && highBit < bitsAllocated)) return fail(file, `tag (0028,0102): bad high bit ${highBit}`);
  return ok({
    rows,
    cols,
    samplesPerPixel: spp,
    bitsAllocated,
    bitsStored,
    highBit,
    signed: (u16(ds, 0x00280103) ?? 0) === 1,
    photometric,
    planar: spp > 1 && (u16(ds, 0x00280006) ?? 0) === 1,
    nFrames,
  });
}

/** The first frame's bytes: native (little endian) or one compressed codestream. */
export type Frame = { encapsulated: false; bytes: Uint8Array } | { encapsulated: true; bytes: Uint8Array };

function concatFragments(b: Uint8Array, frags: Fragment[]): Uint8Array {
  if (frags.length === 1) return b.subarray(frags[0].offset, frags[0].offset + frags[0].length);
  const out = new Uint8Array(frags.reduce((a, f) => a + f.length, 0));
  let o = 0;
  for (const f of frags) {
    out.set(b.subarray(f.offset, f.offset + f.length), o);
    o += f.length;
  }
  return out;
}

const startsFrame = (b: Uint8Array, f: Fragment) =>
  f.length >= 2 && b[f.offset] === 0xff && (b[f.offset + 1] === 0xd8 || b[f.offset + 1] === 0x4f);

function firstEncapsulated(b: Uint8Array, el: DicomElement, eot: DicomElement | undefined, nFrames: number, littleEndian: boolean, file: string): Result<Uint8Array> {
  const frags = (el.fragments ?? []).filter((f) => f.length > 0);
  if (!frags.length) return fail(file, `${tagName(PIXEL_DATA)}: encapsulated pixel data has no fragments`);
  if (nFrames === 1) return ok(concatFragments(b, frags));
  // Offsets count from the first fragment's item header; frame 1 starts at the second offset, taken
  // from the Basic Offset Table (32-bit) or else the Extended Offset Table (7FE0,0001; 64-bit).
  const bot = el.offsetTable;
  let second: number | undefined;
  if (bot && bot.length >= 8) second = new DataView(b.buffer, b.byteOffset + bot.offset, bot.length).getUint32(4, littleEndian);
  else if (eot && eot.length >= 16) second = Number(new DataView(b.buffer, b.byteOffset + eot.offset, eot.length).getBigUint64(8, littleEndian));
  if (second !== undefined) {
    const base = frags[0].offset - 8;
    const take = frags.filter((f) => f.offset - 8 - base < second);
    if (take.length) return ok(concatFragments(b, take));
  }
  if (frags.length === nFrames) return ok(concatFragments(b, [frags[0]]));
  let end = 1;
  while (end < frags.length && !startsFrame(b, frags[end])) end++;
  return ok(concatFragments(b, frags.slice(0, end)));
}

export function firstFrame(parsed: ParsedDicom, desc: ImageDesc, file: string): Result<Frame> {
  const ds = parsed.ds;
  const el = ds.elements.get(PIXEL_DATA);
  if (!el) return fail(file, 'no Pixel Data element (7FE0,0010)');
  if (el.fragments) {
    const r = firstEncapsulated(ds.bytes, el, ds.elements.get(0x7fe00001), desc.nFrames, ds.littleEndian, file);
    return r.ok ? ok({ encapsulated: true, bytes: r.value }) : r;
  }
  // Native YBR_FULL_422 keeps two samples per pixel (Y1 Y2 Cb Cr for each pair).
  const perPixel = desc.photometric === 'YBR_FULL_422' && desc.samplesPerPixel === 3 ? 2 : desc.samplesPerPixel;
  const nSamples = desc.rows * desc.cols * perPixel;
  const need = Math.ceil((nSamples * desc.bitsAllocated) / 8);
  if (el.length < need) {
    const cut = parsed.truncated ? ' (file truncated)' : '';
    return fail(file, `byte ${el.offset}: pixel data has ${el.length} bytes, the first frame needs ${need}${cut}`);
  }
  const src = ds.bytes.subarray(el.offset, el.offset + need);
  const bigEndian = !ds.littleEndian || !!parsed.transferSyntax?.pixelBigEndian;
  if (!bigEndian) return ok({ encapsulated: false, bytes: src });
  // Big endian: OW words (and 32-bit samples) are byte-swapped; OB bytes are not.
  const unit = desc.bitsAllocated >= 16 ? desc.bitsAllocated / 8 : el.vr === 'OW' && ds.littleEndian === false ? 2 : 1;
  const out = new Uint8Array(need + (need % unit ? unit - (need % unit) : 0));
  const avail = Math.min(el.length, out.length);
  out.set(ds.bytes.subarray(el.offset, el.offset + avail));
  if (unit > 1) for (let i = 0; i + unit <= out.length; i += unit) out.subarray(i, i + unit).reverse();
  return ok({ encapsulated: false, bytes: out.subarray(0, need) });
}

/**
 * Stored sample values from little-endian sample bytes: bits stored taken below the high bit, sign
 * extended for signed pixel data. bitsAllocated 1 is packed LSB first.
 */
export function unpackSamples(
  bytes: Uint8Array,
  nSamples: number,
  bitsAllocated: number,
  bitsStored: number,
  highBit: number,
  signed: boolean,
): Float32Array {
  const out = new Float32Array(nSamples);
  if (bitsAllocated === 1) {
    for (let i = 0; i < nSamples; i++) out[i] = (bytes[i >> 3] >> (i & 7)) & 1;
    return out;
  }
  const shift = highBit + 1 - bitsStored;
  if (bitsAllocated <= 16) {
    // Fast path: everything fits in 32-bit integer arithmetic.
    const mask = (1 << bitsStored) - 1;
    const sign = 1 << (bitsStored - 1);
    const u16 = bitsAllocated === 16 ? new Uint16Array(nSamples) : null;
    if (u16) for (let i = 0; i < nSamples; i++) u16[i] = bytes[2 * i] | (bytes[2 * i + 1] << 8);
    for (let i = 0; i < nSamples; i++) {
      const v = ((u16 ? u16[i] : bytes[i]) >> shift) & mask;
      out[i] = signed && v & sign ? v - (mask + 1) : v;
    }
    return out;
  }
  const range = 2 ** bitsStored;
  const half = range / 2;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < nSamples; i++) {
    const raw = dv.getUint32(4 * i, true);
    let v = bitsStored === 32 && shift === 0 ? raw : Math.floor(raw / 2 ** shift) % range;
    if (signed && v >= half) v -= range;
    out[i] = v;
  }
  return out;
}
