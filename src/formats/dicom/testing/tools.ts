// Test support: DICOM fixtures made by Debian's dcmtk and GDCM command-line tools from a real chest
// radiograph in the shared data, and the tools' own decompression as reference pixels.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodePngGray } from '../../image';
import { SHARED_DATA_DIR } from '../../testing';

export const TOOLS = ['dump2dcm', 'dcmconv', 'dcmcjpeg', 'dcmdjpeg', 'dcmcjpls', 'dcmcrle', 'gdcmconv', 'gdcmraw'] as const;

export function missingTools(): string[] {
  return TOOLS.filter((t) => {
    try {
      execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'pipe' });
      return false;
    } catch {
      return true;
    }
  });
}

/** A real CXR from the shared data (the index-th by name), area-downscaled to cols x rows, grey 0..1. */
export function realCxr(cols: number, rows: number, index = 0): Float32Array | null {
  const dir = join(SHARED_DATA_DIR, 'nih-cxr14-mini', 'images');
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).filter((f) => f.endsWith('.png')).sort()[index];
  if (!name) return null;
  const img = decodePngGray(new Uint8Array(readFileSync(join(dir, name))), name);
  if (!img.ok) return null;
  const { width, height, pixels } = img.value;
  const out = new Float32Array(cols * rows);
  for (let y = 0; y < rows; y++)
    for (let x = 0; x < cols; x++) {
      const x0 = Math.floor((x * width) / cols);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * width) / cols));
      const y0 = Math.floor((y * height) / rows);
      const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * height) / rows));
      let s = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) s += pixels[yy * width + xx];
      out[y * cols + x] = s / ((x1 - x0) * (y1 - y0));
    }
  return out;
}

export class FixtureDir {
  readonly dir = mkdtempSync(join(tmpdir(), 'medbind-dicom-'));

  path(name: string): string {
    return join(this.dir, name);
  }

  /** A native explicit VR little endian DICOM written by dump2dcm from raw little-endian samples. */
  base(name: string, o: { rows: number; cols: number; bits: number; stored: number; spp: number; photometric: string; planar?: number; raw: Uint8Array }): string {
    writeFileSync(this.path(`${name}.raw`), o.raw);
    const lines = [
      '(0008,0016) UI =SecondaryCaptureImageStorage',
      '(0008,0018) UI [1.2.826.0.1.3680043.2.1125.1]',
      '(0008,0060) CS [CR]',
      '(0010,0020) LO [FIXTURE]',
      '(0020,000d) UI [1.2.826.0.1.3680043.2.1125.2]',
      '(0020,000e) UI [1.2.826.0.1.3680043.2.1125.3]',
      `(0028,0002) US ${o.spp}`,
      `(0028,0004) CS [${o.photometric}]`,
      ...(o.spp > 1 ? [`(0028,0006) US ${o.planar ?? 0}`] : []),
      `(0028,0010) US ${o.rows}`,
      `(0028,0011) US ${o.cols}`,
      `(0028,0100) US ${o.bits}`,
      `(0028,0101) US ${o.stored}`,
      `(0028,0102) US ${o.stored - 1}`,
      '(0028,0103) US 0',
      `(7fe0,0010) ${o.bits > 8 ? 'OW' : 'OB'} =${name}.raw`,
    ];
    writeFileSync(this.path(`${name}.txt`), lines.join('\n') + '\n');
    const out = this.path(`${name}.dcm`);
    execFileSync('dump2dcm', ['+te', `${name}.txt`, `${name}.dcm`], { cwd: this.dir, stdio: 'pipe' });
    return out;
  }

  /** Runs a tool as `tool ...args in out` and returns out. */
  convert(tool: string, args: string[], input: string, name: string): string {
    const out = this.path(`${name}.dcm`);
    execFileSync(tool, [...args, input, out], { cwd: this.dir, stdio: 'pipe' });
    return out;
  }

  /** The tool's own decompression of a file: gdcmconv --raw, then the raw Pixel Data value. */
  referenceRaw(input: string, name: string): Uint8Array {
    const dec = this.convert('gdcmconv', ['--raw'], input, `${name}.ref`);
    const raw = this.path(`${name}.ref.raw`);
    execFileSync('gdcmraw', ['-i', dec, '-o', raw, '-t', '7fe0,0010'], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(raw));
  }

  /** dcmtk's decompression (dcmdjpeg), then the raw Pixel Data value. */
  referenceDcmtk(input: string, name: string): Uint8Array {
    const dec = this.convert('dcmdjpeg', [], input, `${name}.djpeg`);
    const raw = this.path(`${name}.djpeg.raw`);
    execFileSync('gdcmraw', ['-i', dec, '-o', raw, '-t', '7fe0,0010'], { stdio: 'pipe' });
    return new Uint8Array(readFileSync(raw));
  }
}

export function samplesOf(raw: Uint8Array, bits: number, n: number): Float32Array {
  const out = new Float32Array(n);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < n; i++) out[i] = bits > 8 ? dv.getUint16(2 * i, true) : raw[i];
  return out;
}

export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] - ma;
    const y = b[i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return sab / Math.sqrt(saa * sbb);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
