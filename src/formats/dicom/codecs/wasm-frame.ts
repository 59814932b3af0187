// Turns a cornerstone wasm decoder's output into a DecodedFrame, checking its size against the image.
import { fail, ok, type Result } from '../../types';
import type { DecodedFrame } from './types';
import type { runDecoder } from './wasm';

export function toFrame(
  name: string,
  r: ReturnType<typeof runDecoder>,
  planar: boolean,
  rgb: boolean,
  file: string,
): Result<DecodedFrame> {
  const bps = r.bitsPerSample > 16 ? 4 : r.bitsPerSample > 8 ? 2 : 1;
  const need = r.width * r.height * r.components * bps;
  if (!(r.width > 0 && r.height > 0 && r.components > 0)) return fail(file, `${name}: decoder gave an empty image`);
  if (r.bytes.length < need) return fail(file, `${name}: decoder gave ${r.bytes.length} bytes, ${need} expected`);
  return ok({ width: r.width, height: r.height, components: r.components, bytesPerSample: bps, bytes: r.bytes.subarray(0, need), planar, rgb });
}

export const errText = (e: unknown): string =>
  e instanceof Error ? e.message : typeof e === 'number' ? `wasm error ${e}` : String(e);
