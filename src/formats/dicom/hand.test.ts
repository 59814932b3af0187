// Hand-built data sets for what the tools do not make: 1- and 32-bit samples, bits stored below a high
// bit, palette colour, native YBR, big-endian odd-size RGB, no preamble / no meta, LUT sequences,
// multi-frame, truncation, non-image and ECG objects.
import { describe, expect, it } from 'vitest';
import { loadItem } from '../datasets/index';
import { memFile } from '../testing';
import type { DatasetItem } from '../types';
import { decodeDicom, decodeDicomSamples } from './decode';
import { dicomKind } from './kind';
import { parseDicom } from './parse';
import { firstFrame, readImageDesc } from './pixel-data';
import { imageEls, rleFrame, TS, writeDicom, type El } from './testing/write';

const u16le = (vals: number[]) => new Uint8Array(new Uint16Array(vals).buffer);
const pixel = (bytes: Uint8Array, vr = 'OW'): El => ({ tag: 0x7fe00010, vr, value: bytes });

function close(got: ArrayLike<number>, want: number[]) {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
}
async function grey(bytes: Uint8Array, file = 'x.dcm') {
  const r = await decodeDicom(bytes, file);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
async function stored(bytes: Uint8Array) {
  const r = await decodeDicomSamples(bytes, 'x.dcm');
  if (!r.ok) throw new Error(r.error.message);
  return Array.from(r.value.frame.samples);
}
async function error(bytes: Uint8Array, file = 'x.dcm') {
  const r = await decodeDicom(bytes, file);
  expect(r.ok).toBe(false);
  return r.ok ? '' : `${r.error.file}: ${r.error.message}`;
}

describe('bits allocated, stored and high bit', () => {
  it('1-bit samples, packed LSB first, odd pixel count', async () => {
    const bits = [1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1];
    const packed = new Uint8Array(2);
    bits.forEach((b, i) => (packed[i >> 3] |= b << (i & 7)));
    expect(await stored(writeDicom([...imageEls({ rows: 3, cols: 5, bits: 1 }), pixel(packed, 'OB')]))).toEqual(bits);
  });

  it('32-bit unsigned and signed samples', async () => {
    const u = new Uint8Array(new Uint32Array([0, 2 ** 31, 2 ** 32 - 1]).buffer);
    const g = await grey(writeDicom([...imageEls({ rows: 1, cols: 3, bits: 32 }), pixel(u)]));
    expect(Array.from(g.pixels)).toEqual([0, 0.5, 1]);
    const s = new Uint8Array(new Int32Array([-(2 ** 31), 0, 2 ** 31 - 1]).buffer);
    expect(await stored(writeDicom([...imageEls({ rows: 1, cols: 3, bits: 32, signed: true }), pixel(s)]))).toEqual([-(2 ** 31), 0, 2 ** 31 - 1].map(Math.fround));
  });

  it('bits stored under a high bit above them, overlay bits ignored, signed 12-bit', async () => {
    // 12 bits stored at 15..4 with junk in the low 4 bits.
    const hi = u16le([(100 << 4) | 0xf, (4095 << 4) | 0x3]);
    expect(await stored(writeDicom([...imageEls({ rows: 1, cols: 2, bits: 16, stored: 12, high: 15 }), pixel(hi)]))).toEqual([100, 4095]);
    // 12 bits at 11..0 with overlay bits above.
    const lo = u16le([0xf000 | 100, 0x5000 | 4095]);
    expect(await stored(writeDicom([...imageEls({ rows: 1, cols: 2, bits: 16, stored: 12 }), pixel(lo)]))).toEqual([100, 4095]);
    const signed = u16le([0x0fff, 0x0800, 0x07ff]);
    expect(await stored(writeDicom([...imageEls({ rows: 1, cols: 3, bits: 16, stored: 12, signed: true }), pixel(signed)]))).toEqual([-1, -2048, 2047]);
  });
});

describe('colour to grey', () => {
  it('PALETTE COLOR through its 16-bit LUTs (first mapped value honoured)', async () => {
    const lut = (vals: number[]) => u16le(vals);
    const els: El[] = [
      ...imageEls({ rows: 1, cols: 4, bits: 8, photometric: 'PALETTE COLOR' }),
      { tag: 0x00281101, vr: 'US', value: [4, 10, 16] },
      { tag: 0x00281102, vr: 'US', value: [4, 10, 16] },
      { tag: 0x00281103, vr: 'US', value: [4, 10, 16] },
      { tag: 0x00281201, vr: 'OW', value: lut([0, 65535, 0, 65535]) },
      { tag: 0x00281202, vr: 'OW', value: lut([0, 0, 65535, 65535]) },
      { tag: 0x00281203, vr: 'OW', value: lut([0, 0, 0, 65535]) },
      pixel(new Uint8Array([10, 11, 12, 13]), 'OB'),
    ];
    const g = await grey(writeDicom(els));
    [0, 0.299, 0.587, 1].forEach((v, i) => expect(g.pixels[i]).toBeCloseTo(v, 5));
  });

  it('native YBR_FULL_422 (Y1 Y2 Cb Cr) and YBR_FULL use the Y channel', async () => {
    const ybr422 = new Uint8Array([10, 20, 128, 128, 200, 250, 90, 160]);
    const g = await grey(writeDicom([...imageEls({ rows: 1, cols: 4, bits: 8, spp: 3, photometric: 'YBR_FULL_422' }), pixel(ybr422, 'OB')]));
    [10, 20, 200, 250].forEach((v, i) => expect(g.pixels[i]).toBeCloseTo(v / 255, 6));
    const full = new Uint8Array([30, 0, 255, 60, 255, 0]);
    const f = await grey(writeDicom([...imageEls({ rows: 1, cols: 2, bits: 8, spp: 3, photometric: 'YBR_FULL' }), pixel(full, 'OB')]));
    [30, 60].forEach((v, i) => expect(f.pixels[i]).toBeCloseTo(v / 255, 6));
  });

  it('odd-size RGB in explicit big endian: OW words swapped, OB bytes kept', async () => {
    const rgb = new Uint8Array(27);
    for (let i = 0; i < 27; i++) rgb[i] = (i * 37) % 256;
    const want = Array.from({ length: 9 }, (_, i) => (0.299 * rgb[3 * i] + 0.587 * rgb[3 * i + 1] + 0.114 * rgb[3 * i + 2]) / 255);
    // OW in big endian: the writer's 16-bit words are byte-swapped, pad byte included.
    const padded = new Uint8Array(28);
    padded.set(rgb);
    const swapped = new Uint8Array(28);
    for (let i = 0; i < 28; i += 2) [swapped[i], swapped[i + 1]] = [padded[i + 1], padded[i]];
    for (const [vr, bytes] of [
      ['OW', swapped],
      ['OB', rgb],
    ] as const) {
      const g = await grey(writeDicom([...imageEls({ rows: 3, cols: 3, bits: 8, spp: 3, photometric: 'RGB' }), pixel(bytes, vr)], { ts: TS.bigEndian }));
      want.forEach((v, i) => expect(g.pixels[i], vr).toBeCloseTo(v, 5));
    }
  });
});

describe('file layouts', () => {
  const els: El[] = [...imageEls({ rows: 1, cols: 3, bits: 16 }), { tag: 0x7fe00010, vr: 'OW', value: [5, 10, 15] }];
  it('reads files without the preamble, without the meta group, or with neither', async () => {
    for (const [o, ts] of [
      [{ preamble: false }, TS.explicit],
      [{ meta: false }, TS.implicit],
      [{ meta: false }, TS.explicit],
      [{ meta: false }, TS.bigEndian],
      [{ preamble: false, meta: false }, TS.implicit],
      [{ preamble: false, meta: false }, TS.explicit],
      [{}, TS.deflated],
    ] as const) {
      expect(await stored(writeDicom(els, { ...o, ts })), JSON.stringify({ ...o, ts })).toEqual([5, 10, 15]);
    }
  });

  it('a preamble-less .dcm goes through loadItem; random bytes named .dcm are "not a DICOM file"', async () => {
    const item = (path: string, bytes: Uint8Array): DatasetItem => ({
      id: `user/${path}`, modality: 'cxr', dataset: 'user', files: [memFile(path, bytes)], labels: [], text: '', textVariants: [], patientKey: 'p', split: 'train', meta: {},
    });
    const r = await loadItem(item('a.dcm', writeDicom(els, { preamble: false, meta: false, ts: TS.implicit })));
    expect(r.ok && r.value.modality === 'cxr' && Array.from(r.value.image.pixels)).toEqual([0, 0.5, 1]);
    const junk = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    const bad = await loadItem(item('scan.dcm', junk));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(`${bad.error.file}: ${bad.error.message}`).toBe('scan.dcm: not a DICOM file (no DICM marker, no readable dataset)');
  });

  it('multi-frame takes the first frame and says so (native and encapsulated RLE with an offset table)', async () => {
    const native = await grey(writeDicom([...imageEls({ rows: 1, cols: 2, bits: 16, frames: 3 }), pixel(u16le([1, 2, 30, 40, 50, 60]))]));
    expect(Array.from(native.pixels)).toEqual([0, 1]);
    expect(native.notes.join()).toMatch(/3 frames\): the first frame is used/);
    const f1 = rleFrame([new Uint8Array([0, 0]), new Uint8Array([7, 9])]);
    const f2 = rleFrame([new Uint8Array([1, 1]), new Uint8Array([0, 0])]);
    const enc: El = { tag: 0x7fe00010, vr: 'OB', fragments: [f1, f2], offsetTable: [0, f1.length + 8 + (f1.length % 2)] };
    expect(await stored(writeDicom([...imageEls({ rows: 1, cols: 2, bits: 16, frames: 2 }), enc], { ts: TS.rle }))).toEqual([7, 9]);
  });

  it('multi-frame RLE, two fragments per frame, found through the Extended Offset Table', async () => {
    const frame = (a: number, b: number) => rleFrame([new Uint8Array([0, 0]), new Uint8Array([a, b])]);
    const f1 = frame(3, 4);
    const f2 = frame(5, 6);
    // Frame 1 split in two fragments (no start marker in RLE), so only the table can tell where frame 2 begins.
    const [f1a, f1b] = [f1.subarray(0, 40), f1.subarray(40)];
    const off2 = 8 + f1a.length + 8 + f1b.length;
    const u64 = (vals: number[]) => {
      const out = new Uint8Array(vals.length * 8);
      vals.forEach((v, i) => new DataView(out.buffer).setBigUint64(i * 8, BigInt(v), true));
      return out;
    };
    const els: El[] = [
      ...imageEls({ rows: 1, cols: 2, bits: 16, frames: 2 }),
      { tag: 0x7fe00001, vr: 'OV', value: u64([0, off2]) },
      { tag: 0x7fe00002, vr: 'OV', value: u64([f1.length, f2.length]) },
      { tag: 0x7fe00010, vr: 'OB', fragments: [f1a, f1b, f2] },
    ];
    const file = writeDicom(els, { ts: TS.rle });
    expect(await stored(file)).toEqual([3, 4]);
    const p = parseDicom(file, 'e.dcm');
    if (!p.ok) throw new Error(p.error.message);
    const d = readImageDesc(p.value, 'e.dcm');
    if (!d.ok) throw new Error(d.error.message);
    const fr = firstFrame(p.value, d.value, 'e.dcm');
    expect(fr.ok && Array.from(fr.value.bytes)).toEqual(Array.from(f1));
  });

  it('a file cut inside a later frame decodes the first and notes the truncation; a cut first frame is a clear error', async () => {
    const full = writeDicom([...imageEls({ rows: 2, cols: 2, bits: 16, frames: 2 }), pixel(u16le([1, 2, 3, 4, 5, 6, 7, 8]))]);
    const g = await grey(full.subarray(0, full.length - 4));
    expect(g.width).toBe(2);
    expect(g.notes.join()).toMatch(/truncated/);
    const msg = await error(full.subarray(0, full.length - 12), 'cut.dcm');
    expect(msg).toMatch(/^cut\.dcm: byte \d+: pixel data has 4 bytes, the first frame needs 8 \(file truncated\)/);
  });
});

describe('grey-level transforms', () => {
  it('Modality LUT Sequence (implicit VR, defined length) replaces rescale', async () => {
    const seq: El = {
      tag: 0x00283000,
      vr: 'SQ',
      items: [[{ tag: 0x00283002, vr: 'US', value: [4, 0, 16] }, { tag: 0x00283006, vr: 'OW', value: [100, 300, 200, 400] }]],
    };
    const els = [...imageEls({ rows: 1, cols: 4, bits: 16 }), seq, { tag: 0x00281053, vr: 'DS', value: '10' } as El, { tag: 0x7fe00010, vr: 'OW', value: [0, 1, 2, 3] } as El];
    for (const ts of [TS.implicit, TS.explicit, TS.bigEndian]) {
      const g = await grey(writeDicom(els, { ts }));
      close(g.pixels, [0, 2 / 3, 1 / 3, 1]);
    }
  });

  it('VOI LUT Sequence, first of several windows, LINEAR_EXACT and SIGMOID', async () => {
    const voi: El = { tag: 0x00283010, vr: 'SQ', undefinedLength: true, items: [[{ tag: 0x00283002, vr: 'US', value: [3, 10, 8] }, { tag: 0x00283006, vr: 'OW', value: u16le([0, 255, 51]) }]] };
    const px = pixel(u16le([10, 11, 12, 50]));
    const a = await grey(writeDicom([...imageEls({ rows: 1, cols: 4, bits: 16 }), voi, px]));
    close(a.pixels, [0, 1, 0.2, 0.2]);
    const win = (center: string, width: string, fn?: string): El[] => [
      { tag: 0x00281050, vr: 'DS', value: center },
      { tag: 0x00281051, vr: 'DS', value: width },
      ...(fn ? [{ tag: 0x00281056, vr: 'CS', value: fn }] : []),
    ];
    const b = await grey(writeDicom([...imageEls({ rows: 1, cols: 4, bits: 16 }), ...win('30\\500', '40\\1000', 'LINEAR_EXACT'), px]));
    expect(Array.from(b.pixels).map((v) => +v.toFixed(4))).toEqual([0, 0.025, 0.05, 1]);
    const c = await grey(writeDicom([...imageEls({ rows: 1, cols: 4, bits: 16 }), ...win('30', '40', 'SIGMOID'), px]));
    expect(c.pixels[3]).toBeCloseTo(1 / (1 + Math.exp(-4 * 20 / 40)), 5);
  });

  it('enhanced objects: rescale and window from the shared functional groups', async () => {
    const shared: El = {
      tag: 0x52009229,
      vr: 'SQ',
      items: [
        [
          { tag: 0x00289145, vr: 'SQ', items: [[{ tag: 0x00281052, vr: 'DS', value: '-100' }, { tag: 0x00281053, vr: 'DS', value: '2' }]] },
          { tag: 0x00289132, vr: 'SQ', items: [[{ tag: 0x00281050, vr: 'DS', value: '0.5' }, { tag: 0x00281051, vr: 'DS', value: '101' }]] },
        ],
      ],
    };
    // raw 10, 50, 100 -> -80, 0, 100 -> window [-50, 50]: 0, 0.5, 1
    for (const ts of [TS.explicit, TS.implicit]) {
      const g = await grey(writeDicom([...imageEls({ rows: 1, cols: 3, bits: 16, frames: 1 }), shared, { tag: 0x7fe00010, vr: 'OW', value: [10, 50, 100] }], { ts }));
      close(g.pixels, [0, 0.5, 1]);
    }
  });

  it('an undefined-length UN sequence (implicit VR items) inside explicit VR is stepped over', async () => {
    // Hand-encoded: (0009,1010) UN, undefined length, one undefined-length item holding (0009,0010) in implicit VR.
    const implicitItem = new Uint8Array([0x09, 0, 0x10, 0, 4, 0, 0, 0, 0x41, 0x42, 0x43, 0x44]);
    const un = new Uint8Array([
      0x09, 0, 0x10, 0x10, 0x55, 0x4e, 0, 0, 0xff, 0xff, 0xff, 0xff,
      0xfe, 0xff, 0, 0xe0, 0xff, 0xff, 0xff, 0xff, ...implicitItem, 0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0,
      0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0,
    ]);
    const head = writeDicom(imageEls({ rows: 1, cols: 2, bits: 16 }));
    const pix = writeDicom([{ tag: 0x7fe00010, vr: 'OW', value: [0, 10] }], { preamble: false, meta: false });
    // The second writer's data set starts with its SOP Class element; keep only the pixel data element.
    const pixEl = pix.subarray(pix.length - 16);
    const file = new Uint8Array([...head, ...un, ...pixEl]);
    const g = await grey(file);
    expect(Array.from(g.pixels)).toEqual([0, 1]);
  });

  it('MONOCHROME1 is inverted after the VOI', async () => {
    const g = await grey(writeDicom([...imageEls({ rows: 1, cols: 2, bits: 16, photometric: 'MONOCHROME1' }), pixel(u16le([0, 10]))]));
    expect(Array.from(g.pixels)).toEqual([1, 0]);
  });
});

describe('what a DICOM holds', () => {
  const ECG = '1.2.840.10008.5.1.4.1.1.9.1.1';
  const waveform: El = { tag: 0x54000100, vr: 'SQ', items: [[{ tag: 0x003a0005, vr: 'US', value: [12] }]] };
  it('dicomKind: image, 12-lead / general ECG, waveform sequence, other, not DICOM', () => {
    expect(dicomKind(writeDicom([...imageEls({ rows: 1, cols: 1, bits: 8 }), pixel(new Uint8Array([1]), 'OB')]))).toBe('image');
    expect(dicomKind(writeDicom([waveform], { sopClass: ECG }))).toBe('ecg');
    expect(dicomKind(writeDicom([waveform], { sopClass: '1.2.840.10008.5.1.4.1.1.9.1.2' }))).toBe('ecg');
    expect(dicomKind(writeDicom([waveform], { sopClass: '1.2.3.4' }))).toBe('ecg');
    expect(dicomKind(writeDicom([{ tag: 0x0040a040, vr: 'CS', value: 'TEXT' }], { sopClass: '1.2.840.10008.5.1.4.1.1.88.11' }))).toEqual({ other: '1.2.840.10008.5.1.4.1.1.88.11' });
    expect(dicomKind(new Uint8Array(300).fill(0x41))).toBeNull();
  });

  it('non-image objects are "not an image (SOP class ...)"; an ECG is sent to the ECG reader', async () => {
    expect(await error(writeDicom([{ tag: 0x0040a040, vr: 'CS', value: 'TEXT' }], { sopClass: '1.2.840.10008.5.1.4.1.1.88.11' }), 'sr.dcm')).toBe(
      'sr.dcm: not an image (SOP class Basic Text SR Storage)',
    );
    expect(await error(writeDicom([{ tag: 0x300a0002, vr: 'SH', value: 'PLAN' }], { sopClass: '1.2.840.10008.5.1.4.1.1.481.5' }), 'rt.dcm')).toBe(
      'rt.dcm: not an image (SOP class RT Plan Storage)',
    );
    expect(await error(writeDicom([{ tag: 0x00100010, vr: 'PN', value: 'X' }], { sopClass: '1.2.9.9.9' }), 'u.dcm')).toBe('u.dcm: not an image (SOP class 1.2.9.9.9)');
    expect(await error(writeDicom(imageEls({ rows: 1, cols: 1, bits: 8 }), { sopClass: '1.2.840.10008.5.1.4.1.1.1' }), 'cr.dcm')).toBe(
      'cr.dcm: no Pixel Data element (7FE0,0010)',
    );
    expect(await error(writeDicom([waveform], { sopClass: ECG }), 'ecg.dcm')).toMatch(/^ecg\.dcm: DICOM ECG waveform, not an image/);
  });
});
