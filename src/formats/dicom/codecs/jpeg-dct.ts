// JPEG DCT codestreams (baseline 8-bit, extended 8-bit) through libjpeg-turbo (wasm). libjpeg-turbo follows
// the codestream for colour: JFIF / no marker -> YCbCr converted to RGB; Adobe APP14 transform 0 -> RGB as is.
import { fail, type Result } from '../../types';
import type { DecodedFrame } from './types';
import { loadCodec, runDecoder, type WasmDecoder } from './wasm';
import { errText, toFrame } from './wasm-frame';

interface LibJpegTurbo {
  JPEGDecoder: new () => WasmDecoder;
}

export async function decodeJpeg8(data: Uint8Array, file: string): Promise<Result<DecodedFrame>> {
  let codec: LibJpegTurbo;
  try {
    codec = await loadCodec<LibJpegTurbo>('libjpeg-turbo');
  } catch (e) {
    return fail(file, `JPEG: could not load the libjpeg-turbo decoder (${errText(e)})`);
  }
  try {
    return toFrame('JPEG', runDecoder(new codec.JPEGDecoder(), data), false, true, file);
  } catch (e) {
    return fail(file, `JPEG decode failed: ${errText(e)}`);
  }
}
