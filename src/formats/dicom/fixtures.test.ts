// The committed fixtures (made by dcmtk / GDCM / OpenJPH from a real CXR; see tools/make-dicom-fixtures.ts)
// decode without any tool installed: lossless syntaxes exactly to the native file, lossy ones closely.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { decodeDicom, decodeDicomSamples } from './decode';
import { correlation, maxAbsDiff } from './testing/tools';
import { imageEls, rleFrame, TS, writeDicom } from './testing/write';

const DIR = join(import.meta.dirname, 'fixtures');
const E2E = join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', 'archive');
const read = (dir: string, name: string) => new Uint8Array(readFileSync(join(dir, name)));

async function samples(bytes: Uint8Array, name: string) {
  const r = await decodeDicomSamples(bytes, name);
  if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
  return r.value;
}

describe('committed DICOM fixtures', () => {
  it('lossless syntaxes decode to exactly the native pixels', async () => {
    const ref = (await samples(read(DIR, 'cxr-native.dcm'), 'cxr-native.dcm')).frame.samples;
    expect(ref.length).toBe(64 * 64);
    for (const [name, ts] of [
      ['cxr-jpeg2000.dcm', '1.2.840.10008.1.2.4.90'],
      ['cxr-jpeg-lossless.dcm', '1.2.840.10008.1.2.4.70'],
      ['cxr-jpeg-ls.dcm', '1.2.840.10008.1.2.4.80'],
      ['cxr-rle.dcm', '1.2.840.10008.1.2.5'],
      ['cxr-htj2k.dcm', '1.2.840.10008.1.2.4.201'],
    ]) {
      const s = await samples(read(DIR, name), name);
      expect(s.info.transferSyntax, name).toBe(ts);
      expect(maxAbsDiff(s.frame.samples, ref), name).toBe(0);
    }
  });

  it('lossy syntaxes (JPEG baseline 8-bit, JPEG extended 12-bit) correlate >= 0.99 with the native pixels', async () => {
    const ref16 = (await samples(read(DIR, 'cxr-native.dcm'), 'n')).frame.samples;
    const ref8 = (await samples(read(DIR, 'cxr-native-8bit.dcm'), 'n8')).frame.samples;
    const ext = await samples(read(DIR, 'cxr-jpeg-extended-12bit.dcm'), 'ext');
    expect(ext.info.bitsStored).toBe(12);
    expect(correlation(ext.frame.samples, ref16)).toBeGreaterThanOrEqual(0.99);
    const base = await samples(read(DIR, 'cxr-jpeg-baseline.dcm'), 'base');
    expect(correlation(base.frame.samples, ref8)).toBeGreaterThanOrEqual(0.99);
  });

  it('the e2e archive fixtures (JPEG 2000, JPEG lossless) are two different 128 px radiographs', async () => {
    const a = await decodeDicom(read(E2E, 'cxr-jpeg2000.dcm'), 'cxr-jpeg2000.dcm');
    const b = await decodeDicom(read(E2E, 'cxr-jpeg-lossless.dcm'), 'cxr-jpeg-lossless.dcm');
    if (!a.ok || !b.ok) throw new Error('archive fixture did not decode');
    expect([a.value.width, a.value.height, b.value.width, b.value.height]).toEqual([128, 128, 128, 128]);
    expect(correlation(a.value.pixels, b.value.pixels)).toBeLessThan(0.95);
  });
});

it('a cut compressed file decodes what is there with a note, or names the truncation', async () => {
  const cut = (name: string) => {
    const b = read(DIR, name);
    return b.subarray(0, Math.floor(b.length * 0.7));
  };
  for (const name of ['cxr-htj2k.dcm', 'cxr-jpeg-lossless.dcm', 'cxr-jpeg-extended-12bit.dcm']) {
    const r = await decodeDicom(cut(name), name);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.notes.join(), name).toMatch(/^file is truncated \(byte \d+: pixel data fragment of \d+ bytes cut to \d+ \(file truncated\)\): the image is decoded/);
  }
  for (const name of ['cxr-jpeg-ls.dcm', 'cxr-rle.dcm', 'cxr-jpeg2000.dcm']) {
    const r = await decodeDicom(cut(name), name);
    expect(r.ok, name).toBe(false);
    if (!r.ok) expect(r.error.message, name).toMatch(/truncated/);
  }
});

describe('fuzzing (fixed seed): cut and mutated files give a Result, never a throw or a hang', () => {
  const hand = [
    writeDicom([...imageEls({ rows: 4, cols: 4, bits: 16 }), { tag: 0x7fe00010, vr: 'OW', value: Array.from({ length: 16 }, (_, i) => i * 100) }]),
    writeDicom([...imageEls({ rows: 4, cols: 4, bits: 16 }), { tag: 0x7fe00010, vr: 'OW', value: Array.from({ length: 16 }, (_, i) => i) }], { ts: TS.implicit, preamble: false }),
    writeDicom([...imageEls({ rows: 2, cols: 2, bits: 16 }), { tag: 0x7fe00010, vr: 'OB', fragments: [rleFrame([new Uint8Array(4), new Uint8Array([1, 2, 3, 4])])] }], { ts: TS.rle }),
    writeDicom(
      [
        ...imageEls({ rows: 1, cols: 4, bits: 16 }),
        { tag: 0x00283000, vr: 'SQ', undefinedLength: true, items: [[{ tag: 0x00283002, vr: 'US', value: [4, 0, 16] }, { tag: 0x00283006, vr: 'OW', value: [1, 2, 3, 4] }]] },
        { tag: 0x7fe00010, vr: 'OW', value: [0, 1, 2, 3] },
      ],
      { ts: TS.bigEndian },
    ),
  ];
  const codecFiles = ['cxr-jpeg2000.dcm', 'cxr-jpeg-lossless.dcm', 'cxr-jpeg-ls.dcm', 'cxr-htj2k.dcm', 'cxr-jpeg-extended-12bit.dcm', 'cxr-jpeg-baseline.dcm', 'cxr-rle.dcm'].map((n) => read(DIR, n));

  const mutate = (good: Uint8Array, cut: number, muts: [number, number][], from: number) => {
    const b = good.slice(0, good.length - (cut % Math.max(1, good.length - from)));
    for (const [p, v] of muts) if (b.length > from) b[from + (p % (b.length - from))] = v;
    return b;
  };
  const mutations = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 });

  it('hand-built data sets (header and sequence bytes)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: hand.length - 1 }), fc.nat(), mutations, async (k, cut, muts) => {
        const r = await decodeDicom(mutate(hand[k], cut, muts, 0), 'f.dcm');
        if (r.ok) expect(r.value.pixels.length).toBe(r.value.width * r.value.height);
        else expect(r.error.file).toBe('f.dcm');
      }),
      { seed: 21, numRuns: 400 },
    );
  });

  it('compressed codestreams of every codec', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: codecFiles.length - 1 }), fc.nat(), mutations, async (k, cut, muts) => {
        // Mutate after the header so the codec itself sees the damage.
        const r = await decodeDicom(mutate(codecFiles[k], cut % 2000, muts, 400), 'c.dcm');
        if (r.ok) expect(r.value.pixels.length).toBe(64 * 64);
        else expect(r.error.message.length).toBeGreaterThan(0);
      }),
      { seed: 7, numRuns: 150 },
    );
  });

  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (b) => {
        const r = await decodeDicom(b, 'r.dcm');
        expect(r.ok).toBe(false);
      }),
      { seed: 3, numRuns: 200 },
    );
  });
});
