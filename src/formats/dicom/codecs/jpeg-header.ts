// Reads a JPEG codestream's frame header (SOF marker, precision, size, components) without decoding,
// so the right decoder is chosen and sizes are checked before any allocation.
export interface JpegFrameHeader {
  /** The SOF marker byte (0xc0 baseline, 0xc1 extended, 0xc3 lossless, ...). */
  sof: number;
  precision: number;
  width: number;
  height: number;
  components: number;
  /** Adobe APP14 transform flag when present (0: no colour transform). */
  adobeTransform?: number;
}

export function jpegFrameHeader(b: Uint8Array): JpegFrameHeader | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let p = 2;
  let adobeTransform: number | undefined;
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) return null;
    const m = b[p + 1];
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      p += 2;
      continue;
    }
    const len = (b[p + 2] << 8) | b[p + 3];
    if (len < 2) return null;
    if (m === 0xee && len >= 14 && p + 15 < b.length && String.fromCharCode(...b.subarray(p + 4, p + 9)) === 'Adobe') adobeTransform = b[p + 15];
    const isSof = m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
    if (isSof) {
      if (p + 10 > b.length) return null;
      return { sof: m, precision: b[p + 4], height: (b[p + 5] << 8) | b[p + 6], width: (b[p + 7] << 8) | b[p + 8], components: b[p + 9], adobeTransform };
    }
    if (m === 0xd9 || m === 0xda) return null;
    p += 2 + len;
  }
  return null;
}
