// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of segment offsets, one PackBits segment per
// byte plane (most significant byte of each sample first). Output is planar, little endian.
import { fail, ok, type Result } from '../../types';
import type { DecodedFrame } from './types';

function unpackBits(src: Uint8Array, out: Uint8Array, outOffset: number, outStride: number, count: number): number {
  let p = 0;
  let n = 0;
  while (p < src.length && n < count) {
    const h = src[p++];
    if (h < 128) {
      for (let i = 0; i <= h && p < src.length && n < count; i++, n++) out[outOffset + n * outStride] = src[p++];
    } else if (h > 128) {
      if (p >= src.length) break;
      const v = src[p++];
      for (let i = 0; i < 257 - h && n < count; i++, n++) out[outOffset + n * outStride] = v;
    }
  }
  return n;
}

export function decodeRle(data: Uint8Array, rows: number, cols: number, spp: number, bitsAllocated: number, file: string): Result<DecodedFrame> {
  if (data.length < 64) return fail(file, 'RLE: frame shorter than its 64-byte header');
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const nSeg = dv.getUint32(0, true);
  const bps = Math.max(1, bitsAllocated / 8);
  if (bitsAllocated === 1) return fail(file, 'RLE: 1-bit pixel data is not supported');
  if (nSeg !== spp * bps) return fail(file, `RLE: ${nSeg} segments, ${spp * bps} expected for ${spp} x ${bitsAllocated}-bit samples`);
  const n = rows * cols;
  const out = new Uint8Array(n * spp * bps);
  for (let s = 0; s < nSeg; s++) {
    const start = dv.getUint32(4 + 4 * s, true);
    const end = s + 1 < nSeg ? dv.getUint32(8 + 4 * s, true) : data.length;
    if (start < 64 || start > data.length || end < start) return fail(file, `RLE: segment ${s + 1} offset ${start} is outside the frame`);
    const sample = Math.floor(s / bps);
    const byteInSample = bps - 1 - (s % bps); // segment order: most significant byte first
    const got = unpackBits(data.subarray(start, Math.min(end, data.length)), out, sample * n * bps + byteInSample, bps, n);
    if (got < n) return fail(file, `RLE: segment ${s + 1} decodes to ${got} of ${n} bytes (truncated)`);
  }
  return ok({ width: cols, height: rows, components: spp, bytesPerSample: bps, bytes: out, planar: true, rgb: false });
}
