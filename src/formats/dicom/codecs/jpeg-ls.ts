// JPEG-LS lossless and near-lossless through CharLS (wasm). Interleave mode "none" gives colour planes.
import { fail, type Result } from '../../types';
import type { DecodedFrame } from './types';
import { loadCodec, runDecoder, type WasmDecoder } from './wasm';
import { errText, toFrame } from './wasm-frame';

interface JpegLsDecoder extends WasmDecoder {
  getInterleaveMode(): number;
}
interface CharLs {
  JpegLSDecoder: new () => JpegLsDecoder;
}

/** True when the codestream ends with EOI (FFD9), allowing trailing padding. */
function endsWithEoi(b: Uint8Array): boolean {
  let e = b.length;
  while (e > 2 && b[e - 1] === 0) e--;
  return e >= 4 && b[e - 2] === 0xff && b[e - 1] === 0xd9;
}

export async function decodeJpegLs(data: Uint8Array, file: string): Promise<Result<DecodedFrame>> {
  // CharLS spends many seconds failing on a cut codestream: refuse it up front.
  if (!endsWithEoi(data)) return fail(file, 'JPEG-LS codestream ends before its EOI marker (file truncated)');
  let codec: CharLs;
  try {
    codec = await loadCodec<CharLs>('charls');
  } catch (e) {
    return fail(file, `JPEG-LS: could not load the CharLS decoder (${errText(e)})`);
  }
  try {
    let interleave = 0;
    const r = runDecoder(new codec.JpegLSDecoder(), data, (d) => (interleave = d.getInterleaveMode()));
    return toFrame('JPEG-LS', r, r.components > 1 && interleave === 0, false, file);
  } catch (e) {
    return fail(file, `JPEG-LS decode failed: ${errText(e)}`);
  }
}
