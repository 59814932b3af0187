// The one place that picks an image decoder. In a browser (page or worker) the browser's own decoder
// (createImageBitmap + OffscreenCanvas getImageData) is native code and several times faster than the JS
// decoders; it is used where it yields the JS path's samples: 8-bit PNGs without transparency (the canvas
// keeps premultiplied alpha) and 8-bit JPEGs with 1 or 3 components stored upright (Exif orientation 1).
// Colour management is switched off so the samples are the file's own. Everything else (16-bit and
// packed PNGs, alpha, 12-bit or CMYK JPEGs, Node, a browser decode that fails) goes through fast-png /
// jpeg-js in image.ts, which also produce the error messages. Both paths turn samples into luma with lumaOf.
import { checkDims, decodeImage, detectImageKind, jpegSize, lumaOf } from './image';
import { ok, type GrayImage, type Result } from './types';

/** Which decoder a file would get: 'browser', or 'js' with the reason. */
export type DecodePlan = { decoder: 'browser'; kind: 'png' | 'jpeg'; colour: boolean; width: number; height: number } | { decoder: 'js'; reason: string };

export const browserDecodeAvailable = (): boolean =>
  typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';

const ascii = (b: Uint8Array, at: number) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);

/** PNG: IHDR bit depth 8, colour type grey / RGB / palette, and no tRNS chunk before the image data. */
function planPng(bytes: Uint8Array): DecodePlan {
  if (bytes.length < 33 || ascii(bytes, 12) !== 'IHDR') return { decoder: 'js', reason: 'no IHDR chunk' };
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = dv.getUint32(16);
  const height = dv.getUint32(20);
  const depth = bytes[24];
  const colourType = bytes[25];
  if (depth !== 8) return { decoder: 'js', reason: `${depth}-bit samples` };
  if (colourType !== 0 && colourType !== 2 && colourType !== 3) return { decoder: 'js', reason: 'alpha channel' };
  for (let p = 8; p + 8 <= bytes.length; ) {
    const len = dv.getUint32(p);
    const type = ascii(bytes, p + 4);
    if (type === 'tRNS') return { decoder: 'js', reason: 'transparency' };
    if (type === 'IDAT' || type === 'IEND') break;
    p += 12 + len;
  }
  return { decoder: 'browser', kind: 'png', colour: colourType !== 0, width, height };
}

function planJpeg(bytes: Uint8Array, file: string): DecodePlan {
  const f = jpegSize(bytes, file);
  if (!f.ok) return { decoder: 'js', reason: f.error.message };
  const { width, height, precision, components, orientation } = f.value;
  if (precision !== 8) return { decoder: 'js', reason: `${precision}-bit samples` };
  if (components !== 1 && components !== 3) return { decoder: 'js', reason: `${components} components` };
  if (orientation !== 1) return { decoder: 'js', reason: `Exif orientation ${orientation}` };
  // jpeg-js returns R = G = B for a grey JPEG and image.ts weighs them as colour; so does this path.
  return { decoder: 'browser', kind: 'jpeg', colour: true, width, height };
}

/** The decoder `bytes` would get in an environment with the browser decoder. */
export function planDecode(bytes: Uint8Array, file: string): DecodePlan {
  const kind = detectImageKind(bytes);
  if (kind === 'png') return planPng(bytes);
  if (kind === 'jpeg') return planJpeg(bytes, file);
  return { decoder: 'js', reason: kind === 'dicom' ? 'DICOM' : 'not a PNG or JPEG' };
}

/** RGBA samples of the image as the browser decodes it, colour management off; null when it cannot. */
export async function browserRgba(bytes: Uint8Array, width: number, height: number): Promise<Uint8ClampedArray | null> {
  let bitmap: ImageBitmap | null = null;
  try {
    bitmap = await createImageBitmap(new Blob([bytes as BlobPart]), {
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
      imageOrientation: 'none',
    });
    if (bitmap.width !== width || bitmap.height !== height) return null;
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true, alpha: false });
    if (!ctx) return null;
    ctx.drawImage(bitmap, 0, 0);
    return ctx.getImageData(0, 0, width, height).data;
  } catch {
    return null;
  } finally {
    bitmap?.close();
  }
}

export interface DecodeOptions {
  /** Force the JS decoders (tests compare the two paths); default: the browser's where it applies. */
  decoder?: 'auto' | 'js';
}

/** Decodes a PNG or JPEG to luma 0..1: the browser's decoder where it gives the JS path's samples, else image.ts. */
export async function decodeImageAuto(bytes: Uint8Array, file: string, o: DecodeOptions = {}): Promise<Result<GrayImage>> {
  if (o.decoder === 'js' || !browserDecodeAvailable()) return decodeImage(bytes, file);
  const plan = planDecode(bytes, file);
  if (plan.decoder === 'js') return decodeImage(bytes, file);
  const dims = checkDims(plan.width, plan.height, file, plan.kind === 'jpeg' ? 'SOF' : 'byte 16');
  if (!dims.ok) return dims;
  const rgba = await browserRgba(bytes, plan.width, plan.height);
  // A file the browser refuses gets the JS decoder, which names what is wrong with it.
  if (!rgba) return decodeImage(bytes, file);
  return ok({ width: plan.width, height: plan.height, pixels: lumaOf(rgba, plan.width * plan.height, 4, plan.colour, 255) });
}
