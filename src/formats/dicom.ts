// DICOM (Part 10) radiograph -> GrayImage (0..1) for CXR input.
// Handles MONOCHROME1/2, 8/16-bit, signed pixels, rescale and VOI window; baseline JPEG via jpeg-js;
// other compressed transfer syntaxes are refused by name. Every size is checked before allocating.
import * as dicomNs from 'dicom-parser';
import { decodeJpegGray, MAX_IMAGE_PIXELS } from './image';
import { fail, ok, type GrayImage, type Result } from './types';

// The package is UMD: Node's ESM loader exposes it as a default export, bundlers as a namespace.
const dicomParser: typeof dicomNs = (dicomNs as unknown as { default?: typeof dicomNs }).default ?? dicomNs;

const TS_IMPLICIT_LE = '1.2.840.10008.1.2';
const TS_EXPLICIT_LE = '1.2.840.10008.1.2.1';
const TS_EXPLICIT_BE = '1.2.840.10008.1.2.2';
const TS_JPEG_BASELINE = '1.2.840.10008.1.2.4.50';
const TS_NAMES: Record<string, string> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended (Process 2 & 4)',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless, Non-Hierarchical (Process 14)',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless, First-Order Prediction',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-Lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 (Lossless Only)',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

export interface DicomInfo {
  transferSyntax: string;
  photometric: string;
  rows: number;
  cols: number;
  bitsAllocated: number;
  modality: string;
  viewPosition: string;
}

function toGrayFromWindow(values: Float64Array, center: number | undefined, width: number | undefined): Float32Array {
  const out = new Float32Array(values.length);
  if (center !== undefined && width !== undefined && width >= 1) {
    // DICOM PS3.3 C.11.2.1.2 linear VOI function, output range 0..1.
    const lo = center - 0.5 - (width - 1) / 2;
    const hi = center - 0.5 + (width - 1) / 2;
    for (let i = 0; i < values.length; i++) {
      const x = values[i];
      out[i] = x <= lo ? 0 : x > hi ? 1 : (x - (center - 0.5)) / (width - 1) + 0.5;
    }
    return out;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  const range = max - min;
  for (let i = 0; i < values.length; i++) out[i] = range > 0 ? (values[i] - min) / range : 0;
  return out;
}

/** Parses a DICOM file and returns its first frame as luma 0..1 (display-ready, MONOCHROME1 inverted). */
export function decodeDicom(bytes: Uint8Array, file: string): Result<GrayImage & { info: DicomInfo }> {
  let ds: dicomNs.DataSet;
  try {
    ds = dicomParser.parseDicom(bytes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : String((e as { exception?: string })?.exception ?? e);
    return fail(file, `not a readable DICOM file: ${msg}`);
  }
  try {
    const ts = ds.string('x00020010') ?? TS_IMPLICIT_LE;
    const rows = ds.uint16('x00280010') ?? 0;
    const cols = ds.uint16('x00280011') ?? 0;
    const bitsAllocated = ds.uint16('x00280100') ?? 0;
    const bitsStored = ds.uint16('x00280101') ?? bitsAllocated;
    const signed = (ds.uint16('x00280103') ?? 0) === 1;
    const spp = ds.uint16('x00280002') ?? 1;
    const photometric = (ds.string('x00280004') ?? 'MONOCHROME2').toUpperCase();
    const info: DicomInfo = {
      transferSyntax: ts,
      photometric,
      rows,
      cols,
      bitsAllocated,
      modality: ds.string('x00080060') ?? '',
      viewPosition: ds.string('x00185101') ?? '',
    };
    if (!(rows > 0 && cols > 0)) return fail(file, `tag (0028,0010/0011): bad image size ${rows} x ${cols}`);
    if (rows * cols > MAX_IMAGE_PIXELS) return fail(file, `image ${cols} x ${rows} exceeds the limit of ${MAX_IMAGE_PIXELS} pixels`);
    const pixEl = ds.elements['x7fe00010'];
    if (!pixEl) return fail(file, 'no Pixel Data element (7FE0,0010)');
    const invert = photometric === 'MONOCHROME1';

    if (ts === TS_JPEG_BASELINE) {
      if (!pixEl.encapsulatedPixelData) return fail(file, 'JPEG Baseline transfer syntax but pixel data is not encapsulated');
      const nFragments = pixEl.fragments?.length ?? 0;
      if (nFragments === 0) return fail(file, 'JPEG pixel data has no fragments');
      // Single frame: with an empty Basic Offset Table all fragments belong to frame 0.
      const frame =
        (pixEl.basicOffsetTable?.length ?? 0) > 0
          ? dicomParser.readEncapsulatedImageFrame(ds, pixEl, 0)
          : dicomParser.readEncapsulatedPixelDataFromFragments(ds, pixEl, 0, nFragments);
      const img = decodeJpegGray(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength), file);
      if (!img.ok) return img;
      if (invert) for (let i = 0; i < img.value.pixels.length; i++) img.value.pixels[i] = 1 - img.value.pixels[i];
      return ok({ ...img.value, info });
    }
    if (ts !== TS_IMPLICIT_LE && ts !== TS_EXPLICIT_LE && ts !== TS_EXPLICIT_BE) {
      return fail(file, `transfer syntax ${ts} (${TS_NAMES[ts] ?? 'unknown'}) is not supported; export the image uncompressed or as baseline JPEG`);
    }
    if (bitsAllocated !== 8 && bitsAllocated !== 16) return fail(file, `tag (0028,0100): ${bitsAllocated} bits allocated is not supported (8 or 16)`);
    if (!(bitsStored >= 1 && bitsStored <= bitsAllocated)) return fail(file, `tag (0028,0101): bad bits stored ${bitsStored}`);
    if (spp !== 1 && spp !== 3) return fail(file, `tag (0028,0002): ${spp} samples per pixel is not supported`);
    const bytesPerSample = bitsAllocated / 8;
    const nPixels = rows * cols;
    const needBytes = nPixels * spp * bytesPerSample;
    if (pixEl.length < needBytes || pixEl.dataOffset + needBytes > bytes.length) {
      return fail(file, `byte ${pixEl.dataOffset}: pixel data has ${pixEl.length} bytes, ${needBytes} needed`);
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset + pixEl.dataOffset, needBytes);
    const littleEndian = ts !== TS_EXPLICIT_BE;
    if (spp === 3) {
      const planar = (ds.uint16('x00280006') ?? 0) === 1;
      const out = new Float32Array(nPixels);
      const maxV = (1 << bitsStored) - 1;
      const at = (i: number, c: number) => {
        const k = planar ? c * nPixels + i : i * 3 + c;
        return bytesPerSample === 1 ? dv.getUint8(k) : dv.getUint16(2 * k, littleEndian);
      };
      for (let i = 0; i < nPixels; i++) out[i] = (0.299 * at(i, 0) + 0.587 * at(i, 1) + 0.114 * at(i, 2)) / maxV;
      return ok({ width: cols, height: rows, pixels: out, info });
    }
    const slope = ds.floatString('x00281053') ?? 1;
    const intercept = ds.floatString('x00281052') ?? 0;
    const mask = bitsStored >= 32 ? 0xffffffff : (1 << bitsStored) - 1;
    const signBit = 1 << (bitsStored - 1);
    const values = new Float64Array(nPixels);
    for (let i = 0; i < nPixels; i++) {
      let v = bytesPerSample === 1 ? dv.getUint8(i) : dv.getUint16(2 * i, littleEndian);
      v &= mask;
      if (signed && v & signBit) v -= mask + 1;
      values[i] = v * slope + intercept;
    }
    const center = ds.floatString('x00281050', 0);
    const width = ds.floatString('x00281051', 0);
    const pixels = toGrayFromWindow(values, center, width);
    if (invert) for (let i = 0; i < nPixels; i++) pixels[i] = 1 - pixels[i];
    return ok({ width: cols, height: rows, pixels, info });
  } catch (e) {
    return fail(file, `DICOM decode failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
