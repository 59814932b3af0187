// JPEG 2000 (OpenJPEG) and High-Throughput JPEG 2000 (OpenJPH), both wasm. Output is interleaved; a
// multi-component transform (YBR_RCT / YBR_ICT) is undone by the decoder, so colour comes out as RGB.
import { fail, type Result } from '../../types';
import type { DecodedFrame } from './types';
import { loadCodec, runDecoder, type WasmDecoder } from './wasm';
import { errText, toFrame } from './wasm-frame';

interface OpenJpeg {
  J2KDecoder: new () => WasmDecoder;
}
interface OpenJph {
  HTJ2KDecoder: new () => WasmDecoder;
}

export async function decodeJ2k(data: Uint8Array, file: string): Promise<Result<DecodedFrame>> {
  let codec: OpenJpeg;
  try {
    codec = await loadCodec<OpenJpeg>('openjpeg');
  } catch (e) {
    return fail(file, `JPEG 2000: could not load the OpenJPEG decoder (${errText(e)})`);
  }
  try {
    return toFrame('JPEG 2000', runDecoder(new codec.J2KDecoder(), data), false, false, file);
  } catch (e) {
    return fail(file, `JPEG 2000 decode failed: ${errText(e)}`);
  }
}

export async function decodeHtj2k(data: Uint8Array, file: string): Promise<Result<DecodedFrame>> {
  let codec: OpenJph;
  try {
    codec = await loadCodec<OpenJph>('openjph');
  } catch (e) {
    return fail(file, `HTJ2K: could not load the OpenJPH decoder (${errText(e)})`);
  }
  try {
    return toFrame('HTJ2K', runDecoder(new codec.HTJ2KDecoder(), data), false, false, file);
  } catch (e) {
    return fail(file, `HTJ2K decode failed: ${errText(e)}`);
  }
}
