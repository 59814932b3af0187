// JPEG Lossless (process 14, any predictor, and SV1) through jpeg-lossless-decoder-js.
import { Decoder } from 'jpeg-lossless-decoder-js';
import { fail, ok, type Result } from '../../types';
import type { DecodedFrame } from './types';
import { jpegFrameHeader } from './jpeg-header';

export function decodeJpegLossless(data: Uint8Array, file: string): Result<DecodedFrame> {
  const h = jpegFrameHeader(data);
  if (!h) return fail(file, 'JPEG Lossless: no frame header (SOF) in the codestream');
  if (h.sof !== 0xc3 && h.sof !== 0xc7) return fail(file, `JPEG Lossless transfer syntax but the codestream is SOF${h.sof - 0xc0}`);
  try {
    const bps = h.precision > 8 ? 2 : 1;
    const buf = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
    const out = new Decoder().decode(buf, 0, buf.byteLength, bps) as ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number; byteLength: number };
    const bytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
    return ok({ width: h.width, height: h.height, components: h.components, bytesPerSample: bps, bytes, planar: false, rgb: false });
  } catch (e) {
    return fail(file, `JPEG Lossless decode failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
