// Test-only WFDB sample encoders (the inverse of formats.ts, written from signal(5)), used to build
// signal files in tests and to round-trip between formats. Not used by the app.

const put16 = (out: number[], v: number) => out.push(v & 0xff, (v >> 8) & 0xff);

/** Encodes an interleaved stream of codes in a WFDB format (bit-packed formats end in a partial group). */
export function encodeStream(format: number, codes: readonly number[]): Uint8Array {
  const out: number[] = [];
  const n = codes.length;
  switch (format) {
    case 8: {
      // Not used directly: differences are per signal; see encodeFormat8.
      throw new Error('use encodeFormat8');
    }
    case 16:
      for (const v of codes) put16(out, v);
      break;
    case 61:
      for (const v of codes) out.push((v >> 8) & 0xff, v & 0xff);
      break;
    case 80:
      for (const v of codes) out.push((v + 128) & 0xff);
      break;
    case 160:
      for (const v of codes) put16(out, (v + 32768) & 0xffff);
      break;
    case 24:
      for (const v of codes) out.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff);
      break;
    case 32:
      for (const v of codes) out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
      break;
    case 212:
      for (let k = 0; k < n; k += 2) {
        const a = codes[k] & 0xfff;
        if (k + 1 < n) {
          const b = codes[k + 1] & 0xfff;
          out.push(a & 0xff, ((a >> 8) & 0x0f) | ((b >> 8) << 4), b & 0xff);
        } else out.push(a & 0xff, (a >> 8) & 0x0f);
      }
      break;
    case 310:
      for (let k = 0; k < n; k += 3) {
        const a = codes[k] & 0x3ff;
        const b = k + 1 < n ? codes[k + 1] & 0x3ff : 0;
        const c = k + 2 < n ? codes[k + 2] & 0x3ff : 0;
        const w0 = (a << 1) | ((c & 0x1f) << 11);
        const w1 = (b << 1) | ((c >> 5) << 11);
        put16(out, w0);
        if (k + 1 < n) put16(out, w1);
      }
      break;
    case 311:
      for (let k = 0; k < n; k += 3) {
        const a = codes[k] & 0x3ff;
        const b = k + 1 < n ? codes[k + 1] & 0x3ff : 0;
        const c = k + 2 < n ? codes[k + 2] & 0x3ff : 0;
        const w = (a | (b << 10) | (c << 20)) >>> 0;
        const bytes = [w & 0xff, (w >>> 8) & 0xff, (w >>> 16) & 0xff, (w >>> 24) & 0xff];
        const keep = k + 2 < n ? 4 : k + 1 < n ? 3 : 2;
        out.push(...bytes.slice(0, keep));
      }
      break;
    default:
      throw new Error(`no test encoder for format ${format}`);
  }
  return new Uint8Array(out);
}

/** Format 8 for one frame layout: per-signal first differences from each signal's initial value. */
export function encodeFormat8(frames: readonly (readonly number[])[], initial: readonly number[]): Uint8Array {
  const prev = [...initial];
  const out: number[] = [];
  for (const f of frames) {
    f.forEach((v, j) => {
      const d = v - prev[j];
      if (d < -128 || d > 127) throw new Error('difference out of range for format 8');
      out.push(d & 0xff);
      prev[j] = v;
    });
  }
  return new Uint8Array(out);
}

/** Range of codes a format can hold, without its invalid-sample code. */
export function codeRange(format: number): [number, number] {
  const bits: Record<number, number> = { 16: 16, 61: 16, 80: 8, 160: 16, 24: 24, 32: 32, 212: 12, 310: 10, 311: 10 };
  const b = bits[format];
  return [-(2 ** (b - 1)) + 1, 2 ** (b - 1) - 1];
}

export const sumMod16 = (xs: readonly number[]) => xs.reduce((a, b) => (a + b) & 0xffff, 0);
