import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codecOf } from './formats';
import { codeRange, encodeStream } from './encode.testing';

function decode(format: number, bytes: number[], n: number): number[] {
  const c = codecOf(format)!;
  const out = new Int32Array(n);
  c.decode(new Uint8Array(bytes), n, out);
  return Array.from(out);
}

describe('sample formats against the bit layouts of signal(5), on hand-built bytes', () => {
  it('8: signed first differences (the caller adds the initial value)', () => {
    expect(decode(8, [5, 0xfe, 0x7f, 0x80], 4)).toEqual([5, -2, 127, -128]);
    expect(codecOf(8)!.differences).toBe(true);
  });
  it('16: little-endian two’s complement; -32768 is the invalid code', () => {
    expect(decode(16, [0x34, 0x12, 0x00, 0x80, 0xff, 0xff], 3)).toEqual([0x1234, -32768, -1]);
    expect(codecOf(16)!.invalid).toBe(-32768);
  });
  it('61: big-endian 16-bit', () => {
    expect(decode(61, [0x12, 0x34, 0xff, 0xfe, 0x80, 0x00], 3)).toEqual([0x1234, -2, -32768]);
  });
  it('80: 8-bit offset binary (byte - 128)', () => {
    expect(decode(80, [128, 0, 255, 1], 4)).toEqual([0, -128, 127, -127]);
  });
  it('160: 16-bit offset binary (little-endian word - 32768)', () => {
    expect(decode(160, [0x00, 0x80, 0x00, 0x00, 0xff, 0xff, 0x34, 0x92], 4)).toEqual([0, -32768, 32767, 0x1234]);
  });
  it('24 and 32: little-endian two’s complement', () => {
    expect(decode(24, [0x01, 0x00, 0x80, 0xff, 0xff, 0x7f, 0xe8, 0x03, 0x00], 3)).toEqual([-8388607, 8388607, 1000]);
    expect(decode(32, [0xff, 0xff, 0xff, 0x7f, 0, 0, 0, 0x80, 0xfe, 0xff, 0xff, 0xff], 3)).toEqual([2147483647, -2147483648, -2]);
  });
  it('212: two 12-bit samples in 3 bytes (low nibble of byte 1 to sample 0, high nibble to sample 1)', () => {
    expect(decode(212, [0x23, 0x41, 0x56], 2)).toEqual([0x123, 0x456]);
    expect(decode(212, [0xff, 0xff, 0xff, 0x00, 0x08], 3)).toEqual([-1, -1, -2048]);
  });
  it('212: an odd sample count ends in 2 bytes and is complete', () => {
    const c = codecOf(212)!;
    expect(c.bytesFor(3)).toBe(5);
    expect(c.samplesIn(5)).toBe(3);
    expect(c.samplesIn(4)).toBe(2);
  });
  it('310: bits 1-10 of two 16-bit words, the third sample from their top 5 bits', () => {
    expect(decode(310, [0x0a, 0x58, 0xfa, 0xaf], 3)).toEqual([5, -3, -341]);
    const c = codecOf(310)!;
    expect([c.bytesFor(1), c.bytesFor(2), c.bytesFor(3), c.bytesFor(4)]).toEqual([2, 4, 4, 6]);
    expect([c.samplesIn(2), c.samplesIn(3), c.samplesIn(4), c.samplesIn(6)]).toEqual([1, 1, 3, 4]);
  });
  it('311: bits 0-9, 10-19 and 20-29 of a 32-bit little-endian word; partial groups of 2 and 3 bytes', () => {
    expect(decode(311, [0x05, 0xf4, 0xbf, 0x2a], 3)).toEqual([5, -3, -341]);
    expect(decode(311, [0x05, 0xf4, 0x0f], 2)).toEqual([5, -3]);
    const c = codecOf(311)!;
    expect([c.bytesFor(1), c.bytesFor(2), c.bytesFor(3)]).toEqual([2, 3, 4]);
    expect([c.samplesIn(2), c.samplesIn(3), c.samplesIn(4)]).toEqual([1, 2, 3]);
  });
  it('format 0 (null) and FLAC have no byte codec', () => {
    expect(codecOf(0)).toBeNull();
    expect(codecOf(516)).toBeNull();
  });
});

const FORMATS = [16, 61, 80, 160, 24, 32, 212, 310, 311];

describe('round trips (fixed seed)', () => {
  it('encode -> decode gives the codes back in every format, any length (partial groups included)', () => {
    for (const f of FORMATS) {
      const [lo, hi] = codeRange(f);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: lo, max: hi }), { maxLength: 40 }), (codes) => {
          const bytes = encodeStream(f, codes);
          const c = codecOf(f)!;
          expect(bytes.length).toBe(c.bytesFor(codes.length));
          // The bytes hold the codes, and one byte fewer would not (310: 4 bytes hold 2 or 3 samples).
          expect(c.samplesIn(bytes.length)).toBeGreaterThanOrEqual(codes.length);
          if (codes.length) expect(c.samplesIn(bytes.length - 1)).toBeLessThan(codes.length);
          const out = new Int32Array(codes.length);
          c.decode(bytes, codes.length, out);
          expect(Array.from(out)).toEqual(codes);
        }),
        { seed: 10 + f, numRuns: 60 },
      );
    }
  });

  it('converting between formats keeps the codes (10-bit values through 212, 16, 61, 160, 311, 310)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -511, max: 511 }), { minLength: 1, maxLength: 30 }), (codes) => {
        let cur = codes;
        for (const f of [212, 16, 61, 160, 311, 310, 24, 32]) {
          const bytes = encodeStream(f, cur);
          const out = new Int32Array(cur.length);
          codecOf(f)!.decode(bytes, cur.length, out);
          cur = Array.from(out);
        }
        expect(cur).toEqual(codes);
      }),
      { seed: 31, numRuns: 100 },
    );
  });
});

describe('fuzzing the codecs (fixed seed)', () => {
  it('random bytes never throw and never read past the count asked for', () => {
    fc.assert(
      fc.property(fc.constantFrom(8, ...FORMATS), fc.uint8Array({ maxLength: 64 }), fc.nat(100), (f, bytes, n) => {
        const c = codecOf(f)!;
        const out = new Int32Array(n);
        c.decode(bytes, n, out);
        expect(out.length).toBe(n);
        expect(c.samplesIn(bytes.length)).toBeLessThanOrEqual(Math.ceil(bytes.length * 1.5) + 1);
        expect(c.bytesFor(c.samplesIn(bytes.length))).toBeLessThanOrEqual(bytes.length);
      }),
      { seed: 41, numRuns: 400 },
    );
  });
});
