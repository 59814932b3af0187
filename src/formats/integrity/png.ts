// PNG integrity before decoding: every chunk lies inside the file and matches its CRC-32, IHDR comes
// first and IEND last, and the zlib stream of the IDAT chunks inflates to the size IHDR implies with a
// matching Adler-32. One flipped bit anywhere in the file fails one of these checks.
import { Inflate } from 'fflate';
import { adler32, crc32 } from './checksums';
import type { IntegrityResult } from './types';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Same cap as the decoder's pixel limit, in inflated bytes (40 M pixels x 8 bytes). */
const MAX_INFLATED_BYTES = 40_000_000 * 8 + 1024 * 1024;

const chunkType = (b: Uint8Array, p: number) => String.fromCharCode(b[p], b[p + 1], b[p + 2], b[p + 3]);

/** Bytes the filtered, inflated image data must have (Adam7 counts each pass's rows separately). */
export function pngInflatedBytes(width: number, height: number, bitDepth: number, colorType: number, interlace: number): number | null {
  const ch = CHANNELS[colorType];
  if (!ch || !(width > 0 && height > 0)) return null;
  const rowBytes = (w: number) => (w > 0 ? 1 + Math.ceil((w * ch * bitDepth) / 8) : 0);
  if (interlace !== 1) return height * rowBytes(width);
  const passes: [number, number, number, number][] = [
    [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
  ];
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w > 0 && h > 0) total += h * rowBytes(w);
  }
  return total;
}

export function checkPng(bytes: Uint8Array): IntegrityResult {
  if (bytes.length < 8 || SIGNATURE.some((v, i) => bytes[i] !== v)) return { ok: false, damage: 'not a PNG signature (byte 0)' };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let p = 8;
  let sawIhdr = false;
  let sawIend = false;
  let expected: number | null = null;
  const idat: Uint8Array[] = [];
  let idatBytes = 0;
  let lastType = '';
  while (p < bytes.length) {
    if (p + 12 > bytes.length) return { ok: false, damage: `truncated: chunk header at byte ${p} runs past the end of the file` };
    const len = dv.getUint32(p);
    const type = chunkType(bytes, p + 4);
    if (!/^[A-Za-z]{4}$/.test(type)) return { ok: false, damage: `unreadable chunk type at byte ${p + 4}` };
    if (len > 0x7fffffff || p + 12 + len > bytes.length) {
      return { ok: false, damage: `truncated: ${type} chunk at byte ${p} declares ${len} bytes, the file ends at ${bytes.length}` };
    }
    const stored = dv.getUint32(p + 8 + len);
    const actual = crc32(bytes.subarray(p + 4, p + 8 + len));
    if (stored !== actual) return { ok: false, damage: `CRC mismatch in ${type} chunk (byte ${p})` };
    if (!sawIhdr) {
      if (type !== 'IHDR' || len < 13) return { ok: false, damage: `the first chunk is ${type}, not IHDR (byte ${p})` };
      sawIhdr = true;
      const w = dv.getUint32(p + 8);
      const h = dv.getUint32(p + 12);
      expected = pngInflatedBytes(w, h, bytes[p + 16], bytes[p + 17], bytes[p + 20]);
      if (expected === null) return { ok: false, damage: `IHDR declares an impossible image (${w} x ${h}, colour type ${bytes[p + 17]})` };
    } else if (type === 'IDAT') {
      if (idat.length > 0 && lastType !== 'IDAT') return { ok: false, damage: `IDAT chunks are not consecutive (byte ${p})` };
      idat.push(bytes.subarray(p + 8, p + 8 + len));
      idatBytes += len;
    } else if (type === 'IEND') {
      sawIend = true;
      break;
    }
    lastType = type;
    p += 12 + len;
  }
  if (!sawIend) return { ok: false, damage: 'truncated: no IEND chunk (the file ends early)' };
  if (idat.length === 0) return { ok: false, damage: 'no IDAT chunk (no image data)' };
  return checkZlib(idat, idatBytes, expected ?? 0);
}

/** Inflates the IDAT zlib stream (streaming, capped) and checks its header, size and Adler-32. */
function checkZlib(parts: Uint8Array[], totalBytes: number, expected: number): IntegrityResult {
  if (totalBytes < 6) return { ok: false, damage: 'the zlib stream in IDAT is too short' };
  const head = new Uint8Array(2);
  const tail = new Uint8Array(4);
  copyRange(parts, 0, head);
  copyRange(parts, totalBytes - 4, tail);
  if ((head[0] & 15) !== 8 || ((head[0] << 8) | head[1]) % 31 !== 0) return { ok: false, damage: 'bad zlib header in IDAT' };
  if (head[1] & 32) return { ok: false, damage: 'the zlib stream in IDAT asks for a preset dictionary (not allowed in PNG)' };
  let adler = 1;
  let produced = 0;
  let overflow = false;
  const inflater = new Inflate((chunk) => {
    produced += chunk.length;
    if (produced > Math.min(MAX_INFLATED_BYTES, expected + 1)) overflow = true;
    else adler = adler32(chunk, adler);
  });
  try {
    // Feed the deflate data without the 2-byte header and the 4-byte Adler trailer.
    let offset = 0;
    const end = totalBytes - 4;
    for (const part of parts) {
      const from = Math.max(0, 2 - offset);
      const to = Math.min(part.length, end - offset);
      if (to > from) inflater.push(part.subarray(from, to), false);
      offset += part.length;
      if (overflow) break;
    }
    if (!overflow) inflater.push(new Uint8Array(0), true);
  } catch (e) {
    return { ok: false, damage: `the compressed image data in IDAT is corrupt (${e instanceof Error ? e.message : String(e)})` };
  }
  if (overflow || produced > expected) return { ok: false, damage: `IDAT inflates to more data than IHDR declares (${expected} bytes)` };
  if (produced < expected) return { ok: false, damage: `truncated image data: IDAT inflates to ${produced} of ${expected} bytes` };
  const stored = ((tail[0] << 24) | (tail[1] << 16) | (tail[2] << 8) | tail[3]) >>> 0;
  if (stored !== adler) return { ok: false, damage: 'Adler-32 mismatch in the IDAT zlib stream' };
  return { ok: true };
}

function copyRange(parts: Uint8Array[], start: number, out: Uint8Array): void {
  let offset = 0;
  let k = 0;
  for (const part of parts) {
    if (offset + part.length > start) {
      for (let i = Math.max(0, start - offset); i < part.length && k < out.length; i++) out[k++] = part[i];
    }
    offset += part.length;
    if (k >= out.length) return;
  }
}
