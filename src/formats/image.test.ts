import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encode as encodePng } from 'fast-png';
import * as jpeg from 'jpeg-js';
import { decodeImage, detectImageKind, MAX_IMAGE_PIXELS } from './image';
import { SHARED_DATA_DIR } from './testing';

const DATA = SHARED_DATA_DIR;

describe('decodeImage on real files', () => {
  it('Kermany 224x224 RGB JPEG -> gray 0..1', () => {
    const r = decodeImage(readFileSync(`${DATA}/kermany-pediatric-cxr/images/train/NORMAL/IM-0127-0001.jpeg`), 'k.jpeg');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect([r.value.width, r.value.height]).toEqual([224, 224]);
    const px = r.value.pixels;
    expect(Math.min(...px)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...px)).toBeLessThanOrEqual(1);
    expect(Math.max(...px)).toBeGreaterThan(0.5);
  });

  it('Hannover 8-bit gray PNG (640 wide) and NIH 128 px RGB PNG', () => {
    const h = decodeImage(readFileSync(`${DATA}/covid19-hannover-cxr/png/006f3a8a.png`), 'h.png');
    expect(h.ok && h.value.width).toBe(640);
    const n = decodeImage(readFileSync(`${DATA}/nih-cxr14-mini/images/00000001_000.png`), 'n.png');
    expect(n.ok && [n.value.width, n.value.height]).toEqual([128, 128]);
  });
});

describe('PNG variants', () => {
  it('16-bit gray keeps full range', () => {
    const data = new Uint16Array([0, 65535, 32768, 1000]);
    const r = decodeImage(encodePng({ width: 2, height: 2, data, depth: 16, channels: 1 }), 'x.png');
    expect(r.ok && Array.from(r.value.pixels)).toEqual(Array.from(data, (v) => Math.fround(v / 65535)));
  });

  it('RGBA uses luma and ignores alpha', () => {
    const data = new Uint8Array([255, 0, 0, 0, 0, 255, 0, 255]);
    const r = decodeImage(encodePng({ width: 2, height: 1, data, depth: 8, channels: 4 }), 'x.png');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.pixels[0]).toBeCloseTo(0.299, 5);
      expect(r.value.pixels[1]).toBeCloseTo(0.587, 5);
    }
  });

  it('palette PNG', () => {
    const png = encodePng({
      width: 2,
      height: 1,
      data: new Uint8Array([0, 1]),
      depth: 8,
      channels: 1,
      palette: [
        [0, 0, 0],
        [255, 255, 255],
      ],
    });
    const r = decodeImage(png, 'p.png');
    expect(r.ok && Array.from(r.value.pixels)).toEqual([0, 1]);
  });

  it('refuses a PNG whose header declares too many pixels, before decoding', () => {
    const png = encodePng({ width: 1, height: 1, data: new Uint8Array([0]), depth: 8, channels: 1 });
    const dv = new DataView(png.buffer, png.byteOffset);
    dv.setUint32(16, 100000);
    dv.setUint32(20, 100000);
    const r = decodeImage(png, 'big.png');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(String(MAX_IMAGE_PIXELS));
  });

  it('refuses a JPEG whose SOF declares too many pixels', () => {
    const j = jpeg.encode({ width: 4, height: 4, data: new Uint8Array(64).fill(128) }, 90).data;
    const b = new Uint8Array(j);
    // Find SOF0 and set 65535 x 65535.
    for (let p = 2; p < b.length - 9; p++) {
      if (b[p] === 0xff && b[p + 1] === 0xc0) {
        b[p + 5] = b[p + 6] = b[p + 7] = b[p + 8] = 0xff;
        break;
      }
    }
    const r = decodeImage(b, 'big.jpg');
    expect(r.ok).toBe(false);
  });

  it('detects kinds by magic bytes', () => {
    expect(detectImageKind(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe('png');
    expect(detectImageKind(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(detectImageKind(new Uint8Array([1, 2, 3]))).toBe(null);
    expect(decodeImage(new Uint8Array([1, 2, 3]), 'x.bin').ok).toBe(false);
  });
});

describe('fuzzing (fixed seed): errors as Result, never a throw', () => {
  const png = new Uint8Array(readFileSync(`${DATA}/nih-cxr14-mini/images/00000001_000.png`));
  const jpg = new Uint8Array(readFileSync(`${DATA}/kermany-pediatric-cxr/images/train/NORMAL/IM-0127-0001.jpeg`));
  it('truncated and mutated PNG/JPEG bytes', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), (usePng, cut, muts) => {
        const src = usePng ? png : jpg;
        const b = src.slice(0, Math.max(4, cut % (src.length + 1)));
        for (const [pos, v] of muts) b[pos % b.length] = v;
        const r = decodeImage(b, 'f');
        if (r.ok) expect(r.value.pixels.length).toBe(r.value.width * r.value.height);
      }),
      { seed: 11, numRuns: 120 },
    );
  });
  it('random bytes with a PNG or JPEG signature', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 300 }), (usePng, tail) => {
        const head = usePng ? png.slice(0, 8) : jpg.slice(0, 3);
        const b = new Uint8Array(head.length + tail.length);
        b.set(head);
        b.set(tail, head.length);
        const r = decodeImage(b, 'f');
        if (r.ok) expect(r.value.width * r.value.height).toBeLessThanOrEqual(MAX_IMAGE_PIXELS);
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
