// Integrity checks on real files: a PNG and a JPEG from the shared data pass; one flipped bit in the
// PNG is a CRC mismatch naming the chunk, a flipped bit under a recomputed CRC is caught by the zlib
// stream, a cut file is truncated; a JPEG without EOI and a DICOM whose lengths run past the end fail.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { adler32, checkIntegrity, crc32 } from './index';
import { buildDicom } from './dicom-fixture';
import { SHARED_DATA_DIR } from '../testing';

const png = new Uint8Array(readFileSync(`${SHARED_DATA_DIR}/nih-cxr14-mini/images/00000001_000.png`));
const jpeg = new Uint8Array(readFileSync(`${SHARED_DATA_DIR}/kermany-pediatric-cxr/images/test/NORMAL/IM-0036-0001.jpeg`));

/** Byte offsets of each chunk (offset of its length field) and its type. */
function chunks(b: Uint8Array): { at: number; type: string; len: number }[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = [];
  for (let p = 8; p + 12 <= b.length; ) {
    const len = dv.getUint32(p);
    out.push({ at: p, type: String.fromCharCode(...b.subarray(p + 4, p + 8)), len });
    p += 12 + len;
  }
  return out;
}

describe('checksums', () => {
  it('CRC-32 and Adler-32 match their standard check values', () => {
    const s = new TextEncoder().encode('123456789');
    expect(crc32(s)).toBe(0xcbf43926);
    expect(adler32(new TextEncoder().encode('Wikipedia'))).toBe(0x11e60398);
    expect(crc32(s.subarray(4), crc32(s.subarray(0, 4)))).toBe(0xcbf43926);
  });
});

describe('PNG', () => {
  it('passes a real PNG', () => {
    expect(checkIntegrity(png, 'png')).toEqual({ ok: true });
  });

  it('names the IDAT chunk when one bit in it is flipped', () => {
    const idat = chunks(png).find((c) => c.type === 'IDAT')!;
    const bad = new Uint8Array(png);
    bad[idat.at + 8 + Math.floor(idat.len / 2)] ^= 0x10;
    expect(checkIntegrity(bad, 'png')).toEqual({ ok: false, damage: `CRC mismatch in IDAT chunk (byte ${idat.at})` });
  });

  it('fails on any single flipped bit after the signature (property, fixed seed)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 8, max: png.length - 1 }), fc.integer({ min: 0, max: 7 }), (byte, bit) => {
        const bad = new Uint8Array(png);
        bad[byte] ^= 1 << bit;
        return !checkIntegrity(bad, 'png').ok;
      }),
      { seed: 1414, numRuns: 200 },
    );
  });

  it('catches corrupt image data even when the chunk CRC was recomputed (zlib Adler-32 / inflate)', () => {
    const idat = chunks(png).find((c) => c.type === 'IDAT')!;
    const bad = new Uint8Array(png);
    bad[idat.at + 8 + idat.len - 6] ^= 0x01; // inside the deflate data, near its end
    const dv = new DataView(bad.buffer);
    dv.setUint32(idat.at + 8 + idat.len, crc32(bad.subarray(idat.at + 4, idat.at + 8 + idat.len)));
    const r = checkIntegrity(bad, 'png');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.damage).toMatch(/Adler-32 mismatch|IDAT/);
  });

  it('calls a cut file truncated', () => {
    const r = checkIntegrity(png.subarray(0, Math.floor(png.length * 0.6)), 'png');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.damage).toMatch(/^truncated/);
  });
});

describe('JPEG', () => {
  it('passes a real JPEG and calls one without its end-of-image marker truncated', () => {
    expect(checkIntegrity(jpeg, 'jpeg')).toEqual({ ok: true });
    const r = checkIntegrity(jpeg.subarray(0, jpeg.length - 300), 'jpeg');
    expect(r).toEqual({ ok: false, damage: 'truncated: no end-of-image marker (EOI); the file ends early' });
    const head = checkIntegrity(jpeg.subarray(0, 40), 'jpeg');
    expect(head.ok).toBe(false);
  });
});

describe('DICOM lengths', () => {
  const pixels = new Uint8Array(4 * 4 * 2).fill(7);
  it('passes native and encapsulated files that are whole', () => {
    expect(checkIntegrity(buildDicom({ rows: 4, cols: 4, pixels }), 'dicom')).toEqual({ ok: true });
    expect(checkIntegrity(buildDicom({ rows: 4, cols: 4, pixels: new Uint8Array(10), encapsulated: true }), 'dicom')).toEqual({ ok: true });
  });

  it('names the element whose length runs past the end, short pixel data and a missing delimiter', () => {
    const whole = buildDicom({ rows: 4, cols: 4, pixels });
    const cut = checkIntegrity(whole.subarray(0, whole.length - 5), 'dicom');
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.damage).toMatch(/^truncated: element \(7FE0,0010\) at byte \d+ declares 32 bytes, only 27 remain$/);
    const short = checkIntegrity(buildDicom({ rows: 4, cols: 4, pixels: new Uint8Array(16) }), 'dicom');
    expect(short).toEqual({ ok: false, damage: 'truncated pixel data: 16 bytes, 4 x 4 x 1 x 1 frame(s) at 16 bits need 32' });
    const enc = buildDicom({ rows: 4, cols: 4, pixels: new Uint8Array(10), encapsulated: true });
    const noEnd = checkIntegrity(enc.subarray(0, enc.length - 8), 'dicom');
    expect(noEnd).toEqual({ ok: false, damage: 'truncated: the compressed pixel data has no end delimiter (the file ends early)' });
  });
});
