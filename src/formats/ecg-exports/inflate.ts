// Raw-deflate inflation with a cap on the output size (a deflate stream can expand a thousand-fold, so the
// output is collected chunk by chunk and refused as soon as it passes the cap, never allocated up front).
import { Inflate } from 'fflate';

export function inflateRawCapped(data: Uint8Array, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inf = new Inflate((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new Error(`inflated data exceeds ${maxBytes} bytes`);
    chunks.push(chunk);
  });
  const STEP = 64 * 1024;
  for (let i = 0; i < data.length; i += STEP) inf.push(data.subarray(i, Math.min(data.length, i + STEP)), i + STEP >= data.length);
  if (data.length === 0) inf.push(new Uint8Array(0), true);
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}
