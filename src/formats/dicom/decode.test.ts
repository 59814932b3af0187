import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as jpeg from 'jpeg-js';
import { decodeDicom } from './decode';

// Minimal DICOM Part 10 writer (explicit VR little endian meta + chosen dataset encoding) for fixtures.
type El = { tag: [number, number]; vr: string; value: Uint8Array | string; encapsulated?: boolean };
const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function bytesOf(v: Uint8Array | string, vr: string): Uint8Array {
  let b = typeof v === 'string' ? new TextEncoder().encode(v) : v;
  if (b.length % 2) {
    const p = new Uint8Array(b.length + 1);
    p.set(b);
    p[b.length] = vr === 'UI' || vr === 'OB' ? 0 : 0x20;
    b = p;
  }
  return b;
}

function encodeEl(e: El, bigEndian = false): Uint8Array {
  const val = bytesOf(e.value, e.vr);
  const long = LONG_VRS.has(e.vr);
  const head = new Uint8Array(long ? 12 : 8);
  const dv = new DataView(head.buffer);
  dv.setUint16(0, e.tag[0], !bigEndian);
  dv.setUint16(2, e.tag[1], !bigEndian);
  head[4] = e.vr.charCodeAt(0);
  head[5] = e.vr.charCodeAt(1);
  if (long) dv.setUint32(8, e.encapsulated ? 0xffffffff : val.length, !bigEndian);
  else dv.setUint16(6, val.length, !bigEndian);
  const out = new Uint8Array(head.length + val.length);
  out.set(head);
  out.set(val, head.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

const u16 = (v: number) => new Uint8Array(new Uint16Array([v]).buffer);
const US = (tag: [number, number], v: number): El => ({ tag, vr: 'US', value: u16(v) });

function writeDicom(opts: {
  ts?: string;
  rows: number;
  cols: number;
  bits?: number;
  signed?: boolean;
  photometric?: string;
  pixels: Uint8Array;
  extra?: El[];
  encapsulated?: boolean;
}): Uint8Array {
  const ts = opts.ts ?? '1.2.840.10008.1.2.1';
  const metaEls = [encodeEl({ tag: [0x0002, 0x0010], vr: 'UI', value: ts })];
  const metaLen = metaEls.reduce((a, b) => a + b.length, 0);
  const groupLen = encodeEl({ tag: [0x0002, 0x0000], vr: 'UL', value: new Uint8Array(new Uint32Array([metaLen]).buffer) });
  const bits = opts.bits ?? 16;
  const els: El[] = [
    { tag: [0x0008, 0x0060], vr: 'CS', value: 'CR' } as El,
    US([0x0028, 0x0002], 1),
    { tag: [0x0028, 0x0004], vr: 'CS', value: opts.photometric ?? 'MONOCHROME2' } as El,
    US([0x0028, 0x0010], opts.rows),
    US([0x0028, 0x0011], opts.cols),
    US([0x0028, 0x0100], bits),
    US([0x0028, 0x0101], bits),
    US([0x0028, 0x0102], bits - 1),
    US([0x0028, 0x0103], opts.signed ? 1 : 0),
    ...(opts.extra ?? []),
  ].sort((a, b) => a.tag[0] - b.tag[0] || a.tag[1] - b.tag[1]);
  let pixel: Uint8Array;
  if (opts.encapsulated) {
    const item = (data: Uint8Array) => {
      const h = new Uint8Array(8);
      const dv = new DataView(h.buffer);
      dv.setUint16(0, 0xfffe, true);
      dv.setUint16(2, 0xe000, true);
      dv.setUint32(4, data.length, true);
      return concat([h, data]);
    };
    const delim = new Uint8Array([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
    pixel = concat([encodeEl({ tag: [0x7fe0, 0x0010], vr: 'OB', value: new Uint8Array(0), encapsulated: true }), item(new Uint8Array(0)), item(bytesOf(opts.pixels, 'OB')), delim]);
  } else {
    pixel = encodeEl({ tag: [0x7fe0, 0x0010], vr: bits === 8 ? 'OB' : 'OW', value: opts.pixels });
  }
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concat([preamble, groupLen, ...metaEls, ...els.map((e) => encodeEl(e)), pixel]);
}

const px16 = (vals: number[]) => new Uint8Array(new Int16Array(vals).buffer);

describe('decodeDicom', async () => {
  it('MONOCHROME2 16-bit unsigned, min-max when no window', async () => {
    const r = await decodeDicom(writeDicom({ rows: 1, cols: 3, pixels: px16([100, 200, 300]) }), 'a.dcm');
    if (!r.ok) throw new Error(r.error.message);
    expect(Array.from(r.value.pixels)).toEqual([0, 0.5, 1]);
    expect(r.value.info.modality).toBe('CR');
  });

  it('MONOCHROME1 is inverted', async () => {
    const r = await decodeDicom(writeDicom({ rows: 1, cols: 2, photometric: 'MONOCHROME1', pixels: px16([0, 10]) }), 'a.dcm');
    expect(r.ok && Array.from(r.value.pixels)).toEqual([1, 0]);
  });

  it('signed pixels with rescale slope/intercept and a VOI window', async () => {
    const extra: El[] = [
      { tag: [0x0028, 0x1050], vr: 'DS', value: '0.5' },
      { tag: [0x0028, 0x1051], vr: 'DS', value: '101' },
      { tag: [0x0028, 0x1052], vr: 'DS', value: '-100' },
      { tag: [0x0028, 0x1053], vr: 'DS', value: '2' },
    ];
    // raw -10, 50, 100 -> HU -120, 0, 100 -> window [-50, 50]: 0, 0.5, 1
    const r = await decodeDicom(writeDicom({ rows: 1, cols: 3, signed: true, pixels: px16([-10, 50, 100]), extra }), 'a.dcm');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.pixels[0]).toBe(0);
    expect(r.value.pixels[1]).toBeCloseTo(0.5, 5);
    expect(r.value.pixels[2]).toBe(1);
  });

  it('8-bit pixels', async () => {
    const r = await decodeDicom(writeDicom({ rows: 2, cols: 2, bits: 8, pixels: new Uint8Array([0, 64, 128, 255]) }), 'a.dcm');
    expect(r.ok && r.value.pixels[3]).toBe(1);
  });

  it('baseline JPEG transfer syntax decodes (a colour codestream under a MONOCHROME2 header gives its luma)', async () => {
    const rgba = new Uint8Array(8 * 8 * 4);
    for (let i = 0; i < 64; i++) rgba.fill(i < 32 ? 20 : 230, i * 4, i * 4 + 4);
    const jpg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: rgba }, 95).data);
    const r = await decodeDicom(
      writeDicom({ ts: '1.2.840.10008.1.2.4.50', rows: 8, cols: 8, bits: 8, pixels: jpg, encapsulated: true }),
      'j.dcm',
    );
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.width).toBe(8);
    expect(r.value.pixels[0]).toBeLessThan(0.2);
    expect(r.value.pixels[63]).toBeGreaterThan(0.8);
  });

  it('refuses a video transfer syntax naming it', async () => {
    const r = await decodeDicom(
      writeDicom({ ts: '1.2.840.10008.1.2.4.102', rows: 2, cols: 2, bits: 8, pixels: new Uint8Array(4), encapsulated: true }),
      'k.dcm',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/1\.2\.840\.10008\.1\.2\.4\.102 \(MPEG-4 AVC\/H\.264.*not supported/);
  });

  it('refuses declared sizes over the cap and short pixel data', async () => {
    const big = await decodeDicom(writeDicom({ rows: 65535, cols: 65535, pixels: px16([1, 2]) }), 'b.dcm');
    expect(big.ok).toBe(false);
    const short = await decodeDicom(writeDicom({ rows: 10, cols: 10, pixels: px16([1, 2]) }), 's.dcm');
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.error.message).toMatch(/pixel data/);
  });

  it('fuzz (fixed seed): truncated/mutated files give a Result, never a throw', async () => {
    const good = writeDicom({ rows: 4, cols: 4, pixels: px16(Array.from({ length: 16 }, (_, i) => i * 100)) });
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), async (cut, muts) => {
        const b = good.slice(0, cut % (good.length + 1));
        for (const [p, v] of muts) if (b.length) b[p % b.length] = v;
        const r = await decodeDicom(b, 'f.dcm');
        if (r.ok) expect(r.value.pixels.length).toBe(r.value.width * r.value.height);
      }),
      { seed: 21, numRuns: 400 },
    );
  });
});
