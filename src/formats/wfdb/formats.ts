// Bit layouts of the WFDB sample formats (signal(5)): one codec per family turns the bytes of an
// interleaved sample stream into integer ADC codes. Bit-packed formats (212, 310, 311) may end in a
// partial group: a stream of N samples needs only the bytes that hold them (an odd 212 count ends in
// 2 bytes, not 3). Format 8 stores first differences; the caller integrates them per signal.

export interface SampleCodec {
  /** Smallest number of bytes that holds `nSamples` stream samples. */
  bytesFor(nSamples: number): number;
  /** How many whole samples `nBytes` bytes hold. */
  samplesIn(nBytes: number): number;
  /** Code that marks an invalid sample (null for format 8). */
  invalid: number | null;
  /** Format 8: codes are first differences. */
  differences: boolean;
  /** Writes `n` codes from the stream starting at bytes[0] (bytes past the end read as 0). */
  decode(bytes: Uint8Array, n: number, out: Int32Array): void;
}

const at = (b: Uint8Array, i: number) => (i < b.length ? b[i] : 0);
const sext = (v: number, bits: number) => (v & (1 << (bits - 1)) ? v - (1 << bits) : v);

function fixed(bytesPerSample: number, invalid: number | null, read: (b: Uint8Array, p: number) => number, differences = false): SampleCodec {
  return {
    bytesFor: (n) => n * bytesPerSample,
    samplesIn: (nb) => Math.floor(nb / bytesPerSample),
    invalid,
    differences,
    decode(bytes, n, out) {
      for (let k = 0; k < n; k++) out[k] = read(bytes, k * bytesPerSample);
    },
  };
}

const f8 = fixed(1, null, (b, p) => sext(at(b, p), 8), true);
const f16 = fixed(2, -32768, (b, p) => sext(at(b, p) | (at(b, p + 1) << 8), 16));
const f61 = fixed(2, -32768, (b, p) => sext((at(b, p) << 8) | at(b, p + 1), 16));
const f80 = fixed(1, -128, (b, p) => at(b, p) - 128);
const f160 = fixed(2, -32768, (b, p) => (at(b, p) | (at(b, p + 1) << 8)) - 32768);
const f24 = fixed(3, -(2 ** 23), (b, p) => sext(at(b, p) | (at(b, p + 1) << 8) | (at(b, p + 2) << 16), 24));
const f32 = fixed(4, -(2 ** 31), (b, p) => at(b, p) | (at(b, p + 1) << 8) | (at(b, p + 2) << 16) | (at(b, p + 3) << 24));

/** 212: two 12-bit samples in 3 bytes; sample 0 = byte0 + low nibble of byte1, sample 1 = byte2 + high nibble of byte1. */
const f212: SampleCodec = {
  bytesFor: (n) => Math.floor(n / 2) * 3 + (n % 2 ? 2 : 0),
  samplesIn: (nb) => Math.floor(nb / 3) * 2 + (nb % 3 >= 2 ? 1 : 0),
  invalid: -2048,
  differences: false,
  decode(bytes, n, out) {
    for (let k = 0; k < n; k++) {
      const p = 3 * (k >> 1);
      const v = (k & 1) === 0 ? at(bytes, p) | ((at(bytes, p + 1) & 0x0f) << 8) : at(bytes, p + 2) | ((at(bytes, p + 1) & 0xf0) << 4);
      out[k] = sext(v, 12);
    }
  },
};

/**
 * 310: three 10-bit samples in two little-endian 16-bit words: sample 0 = bits 1..10 of word 0, sample 1 =
 * bits 1..10 of word 1, sample 2 = the top 5 bits of word 0 (low half) and of word 1 (high half).
 */
const f310: SampleCodec = {
  bytesFor: (n) => Math.floor(n / 3) * 4 + [0, 2, 4][n % 3],
  samplesIn: (nb) => Math.floor(nb / 4) * 3 + (nb % 4 >= 2 ? 1 : 0),
  invalid: -512,
  differences: false,
  decode(bytes, n, out) {
    for (let k = 0; k < n; k++) {
      const p = 4 * Math.floor(k / 3);
      const w0 = at(bytes, p) | (at(bytes, p + 1) << 8);
      const w1 = at(bytes, p + 2) | (at(bytes, p + 3) << 8);
      const r = k % 3;
      const v = r === 0 ? (w0 >> 1) & 0x3ff : r === 1 ? (w1 >> 1) & 0x3ff : ((w0 & 0xf800) >> 11) | ((w1 & 0xf800) >> 6);
      out[k] = sext(v, 10);
    }
  },
};

/** 311: three 10-bit samples in the low 30 bits of a little-endian 32-bit word (bits 0-9, 10-19, 20-29). */
const f311: SampleCodec = {
  bytesFor: (n) => Math.floor(n / 3) * 4 + [0, 2, 3][n % 3],
  samplesIn: (nb) => Math.floor(nb / 4) * 3 + [0, 0, 1, 2][nb % 4],
  invalid: -512,
  differences: false,
  decode(bytes, n, out) {
    for (let k = 0; k < n; k++) {
      const p = 4 * Math.floor(k / 3);
      const w = (at(bytes, p) | (at(bytes, p + 1) << 8) | (at(bytes, p + 2) << 16) | (at(bytes, p + 3) << 24)) >>> 0;
      out[k] = sext((w >>> (10 * (k % 3))) & 0x3ff, 10);
    }
  },
};

const CODECS: Record<number, SampleCodec> = { 8: f8, 16: f16, 24: f24, 32: f32, 61: f61, 80: f80, 160: f160, 212: f212, 310: f310, 311: f311 };

/** The byte codec of a format, or null for the null format 0 and the FLAC formats (508/516/524). */
export function codecOf(format: number): SampleCodec | null {
  return CODECS[format] ?? null;
}

export const isFlacFormat = (format: number) => format === 508 || format === 516 || format === 524;
