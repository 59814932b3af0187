// Regenerates the committed DICOM fixtures from a real NIH ChestX-ray14 radiograph (shared data) with
// Debian's dcmtk and GDCM tools (HTJ2K: OpenJPH's encoder, wrapped by the test writer). Needs
// dump2dcm, dcmcjpeg, dcmcjpls, dcmcrle, gdcmconv. Usage: node --import tsx tools/make-dicom-fixtures.ts
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { FixtureDir, missingTools, realCxr } from '../src/formats/dicom/testing/tools';
import { imageEls, writeDicom } from '../src/formats/dicom/testing/write';

interface HtEncoder {
  getDecodedBuffer(info: Record<string, unknown>): Uint8Array;
  setQuality(lossless: boolean, step: number): void;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
}

async function htj2k(v12: Uint16Array, cols: number, rows: number): Promise<Uint8Array> {
  const require = createRequire(import.meta.url);
  const factory = (await import('@cornerstonejs/codec-openjph/wasmjs')).default;
  const m = (await factory({ wasmBinary: readFileSync(require.resolve('@cornerstonejs/codec-openjph/wasm')) })) as { HTJ2KEncoder: new () => HtEncoder };
  const e = new m.HTJ2KEncoder();
  const buf = e.getDecodedBuffer({ width: cols, height: rows, bitsPerSample: 12, componentCount: 1, isSigned: false, isUsingColorTransform: false });
  buf.set(new Uint8Array(v12.buffer));
  e.setQuality(true, 0);
  e.encode();
  const out = new Uint8Array(e.getEncodedBuffer());
  e.delete();
  return out;
}

async function main() {
  const missing = missingTools();
  if (missing.length) throw new Error(`missing tools: ${missing.join(', ')} (apt-get install dcmtk libgdcm-tools)`);
  const out = join(import.meta.dirname, '..', 'src', 'formats', 'dicom', 'fixtures');
  const e2e = join(import.meta.dirname, '..', 'e2e', 'fixtures', 'archive');
  mkdirSync(out, { recursive: true });
  mkdirSync(e2e, { recursive: true });
  const fx = new FixtureDir();
  for (const [size, dest] of [
    [64, out],
    [128, e2e],
  ] as const) {
    const cxr = realCxr(size, size);
    if (!cxr) throw new Error('shared CXR data not found');
    const v12 = Uint16Array.from(cxr, (g) => Math.round(g * 4095));
    const v8 = Uint8Array.from(cxr, (g) => Math.round(g * 255));
    const base = fx.base(`base${size}`, { rows: size, cols: size, bits: 16, stored: 12, spp: 1, photometric: 'MONOCHROME2', raw: new Uint8Array(v12.buffer) });
    const base8 = fx.base(`base8_${size}`, { rows: size, cols: size, bits: 8, stored: 8, spp: 1, photometric: 'MONOCHROME2', raw: v8 });
    // The archive folder gets two different radiographs (two distinct items).
    const other = realCxr(size, size, 2);
    if (!other) throw new Error('shared CXR data not found');
    const v12b = Uint16Array.from(other, (g) => Math.round(g * 4095));
    const baseB = fx.base(`baseB${size}`, { rows: size, cols: size, bits: 16, stored: 12, spp: 1, photometric: 'MONOCHROME2', raw: new Uint8Array(v12b.buffer) });
    const made: Record<string, string> = {
      'cxr-jpeg2000.dcm': fx.convert('gdcmconv', ['--j2k'], base, `j2k${size}`),
      'cxr-jpeg-lossless.dcm': fx.convert('dcmcjpeg', ['+e1'], dest === e2e ? baseB : base, `sv1${size}`),
    };
    if (dest === out) {
      Object.assign(made, {
        'cxr-native.dcm': base,
        'cxr-native-8bit.dcm': base8,
        'cxr-jpeg-ls.dcm': fx.convert('dcmcjpls', ['+el'], base, 'jls'),
        'cxr-rle.dcm': fx.convert('dcmcrle', [], base, 'rle'),
        'cxr-jpeg-extended-12bit.dcm': fx.convert('dcmcjpeg', ['+ee'], base, 'ext12'),
        'cxr-jpeg-baseline.dcm': fx.convert('dcmcjpeg', ['+eb'], base8, 'baseline'),
      });
      const ht = await htj2k(v12, size, size);
      writeFileSync(
        join(out, 'cxr-htj2k.dcm'),
        writeDicom([...imageEls({ rows: size, cols: size, bits: 16, stored: 12 }), { tag: 0x7fe00010, vr: 'OB', fragments: [ht] }], { ts: '1.2.840.10008.1.2.4.201' }),
      );
    }
    for (const [name, src] of Object.entries(made)) copyFileSync(src, join(dest, name));
  }
  console.log(`fixtures written to ${out} and ${e2e}`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
