// Sequential Huffman DCT JPEG (SOF0/SOF1) with 12-bit samples, for DICOM JPEG Extended (process 4):
// libjpeg-turbo's wasm build is 8-bit only and no npm decoder reads 12-bit DCT, so this is a compact
// ITU T.81 decoder (any sampling factors, restart intervals, one scan per component or interleaved,
// float IDCT). Colour is converted to RGB unless an Adobe APP14 marker says "no transform".
import { fail, ok, type Result } from '../../types';
import type { DecodedFrame } from './types';

const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49,
  56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

// c[x * 8 + u] = C(u) cos((2x + 1) u pi / 16) / 2
const IDCT = new Float64Array(64);
for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) IDCT[x * 8 + u] = ((u === 0 ? Math.SQRT1_2 : 1) * Math.cos(((2 * x + 1) * u * Math.PI) / 16)) / 2;

interface Huffman {
  maxCode: Int32Array;
  valPtr: Int32Array;
  minCode: Int32Array;
  values: Uint8Array;
}

interface Component {
  id: number;
  h: number;
  v: number;
  tq: number;
  blocksPerLine: number;
  blocksPerColumn: number;
  plane: Uint16Array;
  dcTable?: Huffman;
  acTable?: Huffman;
  pred: number;
}

class JpegError extends Error {}

function buildHuffman(counts: Uint8Array, values: Uint8Array): Huffman {
  const maxCode = new Int32Array(18).fill(-1);
  const valPtr = new Int32Array(17);
  const minCode = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    valPtr[len] = k;
    minCode[len] = code;
    code += counts[len - 1];
    k += counts[len - 1];
    maxCode[len] = counts[len - 1] ? code - 1 : -1;
    code <<= 1;
  }
  return { maxCode, valPtr, minCode, values };
}

class BitReader {
  private bitBuf = 0;
  private bitCount = 0;
  marker = false;
  constructor(
    private readonly b: Uint8Array,
    public p: number,
  ) {}
  bit(): number {
    if (this.bitCount === 0) {
      let byte = 0;
      if (!this.marker && this.p < this.b.length) {
        byte = this.b[this.p];
        if (byte === 0xff) {
          const next = this.b[this.p + 1];
          if (next === 0) this.p += 2;
          else {
            this.marker = true;
            byte = 0;
          }
        } else this.p++;
      }
      this.bitBuf = byte;
      this.bitCount = 8;
    }
    this.bitCount--;
    return (this.bitBuf >> this.bitCount) & 1;
  }
  bits(n: number): number {
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 1) | this.bit();
    return v;
  }
  decode(t: Huffman): number {
    let code = 0;
    for (let len = 1; len <= 16; len++) {
      code = (code << 1) | this.bit();
      if (code <= t.maxCode[len]) return t.values[t.valPtr[len] + code - t.minCode[len]];
    }
    throw new JpegError('bad Huffman code');
  }
  /** Skips to after an RSTn marker and resets the bit buffer. */
  restart(): void {
    this.bitCount = 0;
    this.marker = false;
    while (this.p + 1 < this.b.length && !(this.b[this.p] === 0xff && this.b[this.p + 1] >= 0xd0 && this.b[this.p + 1] <= 0xd7)) this.p++;
    this.p += 2;
  }
}

const extend = (v: number, n: number) => (n === 0 ? 0 : v < 1 << (n - 1) ? v - (1 << n) + 1 : v);

function decodeBlock(r: BitReader, c: Component, q: Uint16Array, coef: Float64Array, tmp: Float64Array, bx: number, by: number, precision: number): void {
  coef.fill(0);
  const t = r.decode(c.dcTable!);
  c.pred += t ? extend(r.bits(t), t) : 0;
  coef[0] = c.pred * q[0];
  for (let k = 1; k < 64; ) {
    const rs = r.decode(c.acTable!);
    const s = rs & 15;
    const run = rs >> 4;
    if (s === 0) {
      if (run !== 15) break;
      k += 16;
      continue;
    }
    k += run;
    if (k > 63) break;
    coef[ZIGZAG[k]] = extend(r.bits(s), s) * q[k];
    k++;
  }
  // Separable IDCT: rows then columns.
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) {
      let s = 0;
      for (let u = 0; u < 8; u++) s += IDCT[x * 8 + u] * coef[y * 8 + u];
      tmp[y * 8 + x] = s;
    }
  const shift = 1 << (precision - 1);
  const maxV = (1 << precision) - 1;
  const stride = c.blocksPerLine * 8;
  for (let x = 0; x < 8; x++)
    for (let y = 0; y < 8; y++) {
      let s = 0;
      for (let v = 0; v < 8; v++) s += IDCT[y * 8 + v] * tmp[v * 8 + x];
      const val = Math.round(s) + shift;
      c.plane[(by * 8 + y) * stride + bx * 8 + x] = val < 0 ? 0 : val > maxV ? maxV : val;
    }
}

function decodeInner(b: Uint8Array, _file: string): Result<DecodedFrame> {
  const qt: Uint16Array[] = [];
  const dc: Huffman[] = [];
  const ac: Huffman[] = [];
  let frame: { precision: number; width: number; height: number; comps: Component[]; hMax: number; vMax: number } | null = null;
  let restartInterval = 0;
  let adobe: number | undefined;
  let p = 2;
  const u16 = (at: number) => (b[at] << 8) | b[at + 1];
  while (p + 4 <= b.length) {
    if (b[p] !== 0xff) throw new JpegError(`byte ${p}: marker expected`);
    const m = b[p + 1];
    if (m === 0xff) {
      p++;
      continue;
    }
    if (m === 0xd9) break;
    const len = u16(p + 2);
    const seg = p + 4;
    const end = p + 2 + len;
    if (len < 2 || end > b.length) throw new JpegError(`byte ${p}: segment runs past the end`);
    if (m === 0xdb) {
      for (let o = seg; o < end; ) {
        const pq = b[o] >> 4;
        const t = new Uint16Array(64);
        for (let k = 0; k < 64; k++) t[k] = pq ? u16(o + 1 + 2 * k) : b[o + 1 + k];
        qt[b[o] & 3] = t;
        o += 1 + (pq ? 128 : 64);
      }
    } else if (m === 0xc4) {
      for (let o = seg; o + 17 <= end; ) {
        const counts = b.subarray(o + 1, o + 17);
        const n = counts.reduce((a, c) => a + c, 0);
        const t = buildHuffman(counts, b.slice(o + 17, o + 17 + n));
        if (b[o] >> 4) ac[b[o] & 3] = t;
        else dc[b[o] & 3] = t;
        o += 17 + n;
      }
    } else if (m === 0xdd) restartInterval = u16(seg);
    else if (m === 0xee && len >= 14 && String.fromCharCode(...b.subarray(seg, seg + 5)) === 'Adobe') adobe = b[seg + 11];
    else if (m === 0xc0 || m === 0xc1) {
      const precision = b[seg];
      const height = u16(seg + 1);
      const width = u16(seg + 3);
      const n = b[seg + 5];
      if (!(width > 0 && height > 0 && (n === 1 || n === 3))) throw new JpegError(`frame ${width} x ${height} with ${n} components is not supported`);
      const raw = Array.from({ length: n }, (_, i) => ({ id: b[seg + 6 + 3 * i], h: b[seg + 7 + 3 * i] >> 4, v: b[seg + 7 + 3 * i] & 15, tq: b[seg + 8 + 3 * i] }));
      const hMax = Math.max(...raw.map((c) => c.h));
      const vMax = Math.max(...raw.map((c) => c.v));
      if (raw.some((c) => c.h < 1 || c.v < 1 || c.h > 4 || c.v > 4)) throw new JpegError('bad sampling factors');
      const mcusX = Math.ceil(width / (8 * hMax));
      const mcusY = Math.ceil(height / (8 * vMax));
      const comps = raw.map((c) => {
        const blocksPerLine = mcusX * c.h;
        const blocksPerColumn = mcusY * c.v;
        return { ...c, blocksPerLine, blocksPerColumn, plane: new Uint16Array(blocksPerLine * blocksPerColumn * 64), pred: 0 };
      });
      frame = { precision, width, height, comps, hMax, vMax };
    } else if (m >= 0xc2 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      throw new JpegError(`SOF${m - 0xc0} is not a sequential Huffman codestream`);
    } else if (m === 0xda) {
      if (!frame) throw new JpegError('scan before frame header');
      const f = frame;
      const ns = b[seg];
      const scomps: Component[] = [];
      for (let i = 0; i < ns; i++) {
        const c = f.comps.find((x) => x.id === b[seg + 1 + 2 * i]);
        if (!c) throw new JpegError('scan names an unknown component');
        c.dcTable = dc[b[seg + 2 + 2 * i] >> 4];
        c.acTable = ac[b[seg + 2 + 2 * i] & 15];
        if (!c.dcTable || !c.acTable || !qt[c.tq]) throw new JpegError('missing Huffman or quantization table');
        c.pred = 0;
        scomps.push(c);
      }
      const r = new BitReader(b, end);
      const coef = new Float64Array(64);
      const tmp = new Float64Array(64);
      let mcu = 0;
      const nextMcu = () => {
        if (restartInterval && mcu > 0 && mcu % restartInterval === 0) {
          r.restart();
          for (const c of scomps) c.pred = 0;
        }
        mcu++;
      };
      if (scomps.length === 1) {
        const c = scomps[0];
        const bw = Math.ceil(Math.ceil((f.width * c.h) / f.hMax) / 8);
        const bh = Math.ceil(Math.ceil((f.height * c.v) / f.vMax) / 8);
        for (let by = 0; by < bh; by++)
          for (let bx = 0; bx < bw; bx++) {
            nextMcu();
            decodeBlock(r, c, qt[c.tq], coef, tmp, bx, by, f.precision);
          }
      } else {
        const mcusX = Math.ceil(f.width / (8 * f.hMax));
        const mcusY = Math.ceil(f.height / (8 * f.vMax));
        for (let my = 0; my < mcusY; my++)
          for (let mx = 0; mx < mcusX; mx++) {
            nextMcu();
            for (const c of scomps)
              for (let v = 0; v < c.v; v++) for (let h = 0; h < c.h; h++) decodeBlock(r, c, qt[c.tq], coef, tmp, mx * c.h + h, my * c.v + v, f.precision);
          }
      }
      // Continue after the entropy-coded data.
      p = r.p;
      while (p + 1 < b.length && !(b[p] === 0xff && b[p + 1] !== 0 && !(b[p + 1] >= 0xd0 && b[p + 1] <= 0xd7))) p++;
      continue;
    }
    p = end;
  }
  if (!frame) throw new JpegError('no frame header');
  const f = frame;
  const n = f.width * f.height;
  const nc = f.comps.length;
  const out = new Uint16Array(n * nc);
  for (let ci = 0; ci < nc; ci++) {
    const c = f.comps[ci];
    const stride = c.blocksPerLine * 8;
    for (let y = 0; y < f.height; y++) {
      const sy = Math.floor((y * c.v) / f.vMax);
      for (let x = 0; x < f.width; x++) out[(y * f.width + x) * nc + ci] = c.plane[sy * stride + Math.floor((x * c.h) / f.hMax)];
    }
  }
  const rgbIds = nc === 3 && f.comps[0].id === 0x52 && f.comps[1].id === 0x47 && f.comps[2].id === 0x42;
  if (nc === 3 && adobe !== 0 && !rgbIds) {
    const half = 1 << (f.precision - 1);
    const maxV = (1 << f.precision) - 1;
    const cl = (v: number) => (v < 0 ? 0 : v > maxV ? maxV : Math.round(v));
    for (let i = 0; i < n; i++) {
      const Y = out[3 * i];
      const cb = out[3 * i + 1] - half;
      const cr = out[3 * i + 2] - half;
      out[3 * i] = cl(Y + 1.402 * cr);
      out[3 * i + 1] = cl(Y - 0.344136 * cb - 0.714136 * cr);
      out[3 * i + 2] = cl(Y + 1.772 * cb);
    }
  }
  const bytes = new Uint8Array(out.buffer);
  return ok({ width: f.width, height: f.height, components: nc, bytesPerSample: 2, bytes, planar: false, rgb: nc === 3 });
}

export async function decodeJpeg12(data: Uint8Array, file: string): Promise<Result<DecodedFrame>> {
  try {
    return decodeInner(data, file);
  } catch (e) {
    return fail(file, `JPEG Extended (12-bit) decode failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
