// PNG / JPEG decoding to one grey channel (0..1) for CXR input. Image files are untrusted:
// dimensions are read from the header and capped BEFORE the decoder allocates pixel memory.
import { decode as decodePng, convertIndexedToRgb } from 'fast-png';
import * as jpeg from 'jpeg-js';
import { fail, ok, type GrayImage, type Result } from './types';

/** Largest accepted image (pixels). A 4k x 4k radiograph is 16.8 M. */
export const MAX_IMAGE_PIXELS = 40_000_000;

export type ImageKind = 'png' | 'jpeg' | 'dicom';

/** Detects the file type from its magic bytes (DICOM: "DICM" at byte 128). */
export function detectImageKind(bytes: Uint8Array): ImageKind | null {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d) {
    return 'dicom';
  }
  return null;
}

export function checkDims(width: number, height: number, file: string, where: string): Result<null> {
  if (!(width > 0 && height > 0)) return fail(file, `${where}: bad image size ${width} x ${height}`);
  if (width * height > MAX_IMAGE_PIXELS) {
    return fail(file, `${where}: image ${width} x ${height} exceeds the limit of ${MAX_IMAGE_PIXELS} pixels`);
  }
  return ok(null);
}

/** Frame header of a JPEG: size, sample precision (bits) and component count, and whether an Exif block precedes it. */
export interface JpegFrame {
  width: number;
  height: number;
  precision: number;
  components: number;
  /** Exif orientation tag (1 = as stored), 1 when the file has none. */
  orientation: number;
}

/** Reads width/height of a JPEG from its first SOF marker without decoding. */
export function jpegSize(bytes: Uint8Array, file: string): Result<JpegFrame> {
  let orientation = 1;
  let p = 2;
  while (p + 4 <= bytes.length) {
    if (bytes[p] !== 0xff) return fail(file, `byte ${p}: expected a JPEG marker`);
    const marker = bytes[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      p += 2;
      continue;
    }
    const len = (bytes[p + 2] << 8) | bytes[p + 3];
    if (len < 2) return fail(file, `byte ${p}: bad JPEG segment length ${len}`);
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (p + 10 > bytes.length) break;
      const height = (bytes[p + 5] << 8) | bytes[p + 6];
      const width = (bytes[p + 7] << 8) | bytes[p + 8];
      return ok({ width, height, precision: bytes[p + 4], components: bytes[p + 9], orientation });
    }
    if (marker === 0xe1) orientation = exifOrientation(bytes, p + 4, Math.min(bytes.length, p + 2 + len)) ?? orientation;
    if (marker === 0xd9 || marker === 0xda) break;
    p += 2 + len;
  }
  return fail(file, `byte ${Math.min(p, bytes.length)}: no JPEG frame header (SOF) found`);
}

/** The orientation tag (0x0112) of an APP1 Exif block in bytes[from, to), or null when there is none. */
function exifOrientation(bytes: Uint8Array, from: number, to: number): number | null {
  // "Exif\0\0", then a TIFF header ("II" or "MM", 42, offset of IFD0).
  if (to - from < 14 || bytes[from] !== 0x45 || bytes[from + 1] !== 0x78 || bytes[from + 2] !== 0x69 || bytes[from + 3] !== 0x66) return null;
  const t = from + 6;
  const le = bytes[t] === 0x49;
  const u16 = (o: number) => (o + 2 > to ? -1 : le ? bytes[o] | (bytes[o + 1] << 8) : (bytes[o] << 8) | bytes[o + 1]);
  const u32 = (o: number) => (o + 4 > to ? -1 : le ? (u16(o) | (u16(o + 2) << 16)) >>> 0 : ((u16(o) << 16) | u16(o + 2)) >>> 0);
  const ifd = t + u32(t + 4);
  const n = u16(ifd);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + 12 * i;
    if (e + 12 > to) return null;
    if (u16(e) === 0x0112) return u16(e + 8);
  }
  return null;
}

/**
 * Luma 0..1 of interleaved samples (`stride` values per pixel): 0.299 R + 0.587 G + 0.114 B when the
 * source is colour, the first sample when it is grey. The browser decode path (image-decode.ts) calls it
 * on RGBA with the source's colour flag, so both paths give the same value for the same decoded samples.
 */
export function lumaOf(data: ArrayLike<number>, nPixels: number, stride: number, colour: boolean, maxValue: number): Float32Array {
  const out = new Float32Array(nPixels);
  const inv = 1 / maxValue;
  if (colour) {
    for (let i = 0; i < nPixels; i++) {
      const p = i * stride;
      out[i] = (0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2]) * inv;
    }
  } else {
    for (let i = 0; i < nPixels; i++) out[i] = data[i * stride] * inv;
  }
  return out;
}

const rgbToGray = (data: ArrayLike<number>, nPixels: number, channels: number, maxValue: number) =>
  lumaOf(data, nPixels, channels, channels >= 3, maxValue);

/** Decodes a PNG (gray/RGB/RGBA/palette, 1-16 bit) to luma 0..1; alpha is ignored. */
export function decodePngGray(bytes: Uint8Array, file: string): Result<GrayImage> {
  if (bytes.length < 24) return fail(file, 'byte 0: file too short for a PNG header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const dims = checkDims(width, height, file, 'byte 16');
  if (!dims.ok) return dims;
  try {
    const png = decodePng(bytes);
    if (png.width !== width || png.height !== height) return fail(file, 'byte 16: header size disagrees with decoded image');
    const n = width * height;
    if (png.palette) {
      const rgb = convertIndexedToRgb(png);
      return ok({ width, height, pixels: rgbToGray(rgb, n, png.palette[0].length, 255) });
    }
    const depth = png.depth;
    const ch = png.channels;
    if (depth < 8) {
      // Packed grey samples: unpack row by row.
      const rowBytes = Math.ceil((depth * width * ch) / 8);
      const maxV = (1 << depth) - 1;
      if (png.data.length < rowBytes * height) return fail(file, 'PNG data shorter than its size');
      const out = new Float32Array(n);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const bit = x * depth;
          const byte = png.data[y * rowBytes + (bit >> 3)];
          const v = (byte >> (8 - depth - (bit & 7))) & maxV;
          out[y * width + x] = v / maxV;
        }
      }
      return ok({ width, height, pixels: out });
    }
    if (png.data.length < n * ch) return fail(file, 'PNG data shorter than its size');
    return ok({ width, height, pixels: rgbToGray(png.data, n, ch, depth === 16 ? 65535 : 255) });
  } catch (e) {
    return fail(file, `PNG decode failed: ${(e as Error).message}`);
  }
}

/** Decodes a baseline/progressive JPEG (grey or colour) to luma 0..1. */
export function decodeJpegGray(bytes: Uint8Array, file: string): Result<GrayImage> {
  const size = jpegSize(bytes, file);
  if (!size.ok) return size;
  const dims = checkDims(size.value.width, size.value.height, file, 'SOF');
  if (!dims.ok) return dims;
  try {
    const img = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6,
      maxMemoryUsageInMB: 1024,
    });
    const n = img.width * img.height;
    if (img.data.length < n * 4) return fail(file, 'JPEG data shorter than its size');
    return ok({ width: img.width, height: img.height, pixels: rgbToGray(img.data, n, 4, 255) });
  } catch (e) {
    return fail(file, `JPEG decode failed: ${(e as Error).message}`);
  }
}

/** Decodes a PNG or JPEG chosen by magic bytes (DICOM goes through dicom.ts). */
export function decodeImage(bytes: Uint8Array, file: string): Result<GrayImage> {
  const kind = detectImageKind(bytes);
  if (kind === 'png') return decodePngGray(bytes, file);
  if (kind === 'jpeg') return decodeJpegGray(bytes, file);
  if (kind === 'dicom') return fail(file, 'byte 128: DICOM file; use the DICOM reader');
  return fail(file, 'byte 0: not a PNG or JPEG file');
}
