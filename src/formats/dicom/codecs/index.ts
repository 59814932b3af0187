// Chooses the decoder for an encapsulated frame from the transfer syntax and the codestream itself
// (some writers label JPEG codestreams with the wrong JPEG syntax), after checking the codestream's own
// size against the image's. Wasm codecs load on first use.
import { fail, type Result } from '../../types';
import type { Codec } from '../dictionary';
import type { ImageDesc } from '../pixel-data';
import { jpegFrameHeader } from './jpeg-header';
import { decodeJpegLossless } from './jpeg-lossless';
import { decodeRle } from './rle';
import type { DecodedFrame } from './types';

function j2kSize(b: Uint8Array): { width: number; height: number } | null {
  // SOC (FF4F) then SIZ (FF51): Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz.
  if (b.length < 24 || b[0] !== 0xff || b[1] !== 0x4f || b[2] !== 0xff || b[3] !== 0x51) return null; // JP2 wrapper etc.: the decoder reads it
  const p = 2;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { width: dv.getUint32(p + 6) - dv.getUint32(p + 14), height: dv.getUint32(p + 10) - dv.getUint32(p + 18) };
}

export async function decodeCompressed(codec: Codec, data: Uint8Array, desc: ImageDesc, file: string): Promise<Result<DecodedFrame>> {
  const sizeOk = (w: number, h: number) => w === desc.cols && h === desc.rows;
  const badSize = (name: string, w: number, h: number) =>
    fail<DecodedFrame>(file, `${name} codestream is ${w} x ${h}, the data set says ${desc.cols} x ${desc.rows}`);
  if (codec === 'rle') return decodeRle(data, desc.rows, desc.cols, desc.samplesPerPixel, desc.bitsAllocated, file);
  if (codec === 'jpeg-baseline' || codec === 'jpeg-extended' || codec === 'jpeg-lossless') {
    const h = jpegFrameHeader(data);
    if (!h) return fail(file, 'JPEG: no frame header (SOF) in the first frame (corrupt or truncated codestream)');
    if (!sizeOk(h.width, h.height)) return badSize('JPEG', h.width, h.height);
    if (h.sof === 0xc3 || h.sof === 0xc7) return decodeJpegLossless(data, file);
    if (h.sof > 0xc2) return fail(file, `JPEG: SOF${h.sof - 0xc0} codestreams (arithmetic or hierarchical) are not supported`);
    if (h.precision > 8) {
      const { decodeJpeg12 } = await import('./jpeg12');
      return decodeJpeg12(data, file);
    }
    const { decodeJpeg8 } = await import('./jpeg-dct');
    return decodeJpeg8(data, file);
  }
  if (codec === 'jpeg-ls') {
    const { decodeJpegLs } = await import('./jpeg-ls');
    return decodeJpegLs(data, file);
  }
  if (codec === 'j2k' || codec === 'htj2k') {
    const s = j2kSize(data);
    if (s && !sizeOk(s.width, s.height)) return badSize('JPEG 2000', s.width, s.height);
    const { decodeJ2k, decodeHtj2k } = await import('./jpeg2000');
    return codec === 'j2k' ? decodeJ2k(data, file) : decodeHtj2k(data, file);
  }
  return fail(file, `no decoder for ${codec} pixel data`);
}
