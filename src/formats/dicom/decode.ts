// DICOM image -> GrayImage (0..1, display-ready) for CXR input: parse, route by kind, first frame, codec,
// stored values, photometric to grey, Modality/VOI LUTs. Never throws; every error names the file.
import { fail, ok, type GrayImage, type Result } from '../types';
import { str } from './dataset';
import { decodeCompressed } from './codecs/index';
import { NON_IMAGE_SOP_CLASSES, REFUSED_TRANSFER_SYNTAXES, TRANSFER_SYNTAXES } from './dictionary';
import { kindOfParsed, sopClassName } from './kind';
import { applyModality, applyVoi, withFunctionalGroups } from './lut';
import { parseDicom, type ParsedDicom } from './parse';
import { toGrey, type SampleFrame } from './photometric';
import { firstFrame, readImageDesc, unpackSamples, type ImageDesc } from './pixel-data';

export interface DicomInfo {
  transferSyntax: string;
  transferSyntaxName: string;
  photometric: string;
  rows: number;
  cols: number;
  bitsAllocated: number;
  bitsStored: number;
  nFrames: number;
  modality: string;
  viewPosition: string;
  sopClassUid: string;
}

export interface DecodedDicom extends GrayImage {
  info: DicomInfo;
  /** What the reader did that the user should know (first of several frames used, file truncated...). */
  notes: string[];
}

export interface DicomSamples {
  parsed: ParsedDicom;
  desc: ImageDesc;
  info: DicomInfo;
  frame: SampleFrame;
  notes: string[];
}

/** Parses and decodes the first frame to stored sample values (before any LUT). */
export async function decodeDicomSamples(bytes: Uint8Array, file: string): Promise<Result<DicomSamples>> {
  try {
    return await samplesInner(bytes, file);
  } catch (e) {
    return fail(file, `DICOM decode failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

async function samplesInner(bytes: Uint8Array, file: string): Promise<Result<DicomSamples>> {
  const pr = parseDicom(bytes, file);
  if (!pr.ok) return pr;
  const parsed = pr.value;
  const kind = kindOfParsed(parsed);
  if (kind === 'ecg') return fail(file, 'DICOM ECG waveform, not an image: read it as an ECG record');
  if (kind !== 'image') {
    // An image storage class (or none) without pixel data is a broken image, not another kind of object.
    const imageClass = kind.other.startsWith('1.2.840.10008.5.1.4.1.1.') && !(kind.other in NON_IMAGE_SOP_CLASSES);
    if (!kind.other || imageClass) {
      const why = parsed.truncated ? ` (${parsed.truncated})` : '';
      return fail(file, `no Pixel Data element (7FE0,0010)${why}`);
    }
    return fail(file, `not an image (SOP class ${sopClassName(kind.other)})`);
  }
  const uid = parsed.transferSyntaxUid;
  const ts = TRANSFER_SYNTAXES[uid];
  if (!ts) {
    const refused = REFUSED_TRANSFER_SYNTAXES[uid];
    return fail(file, `transfer syntax ${uid} (${refused ?? 'unknown'}) is not supported`);
  }
  const dr = readImageDesc(parsed, file);
  if (!dr.ok) return dr;
  const desc = dr.value;
  const info: DicomInfo = {
    transferSyntax: uid,
    transferSyntaxName: ts.name,
    photometric: desc.photometric,
    rows: desc.rows,
    cols: desc.cols,
    bitsAllocated: desc.bitsAllocated,
    bitsStored: desc.bitsStored,
    nFrames: desc.nFrames,
    modality: str(parsed.ds, 0x00080060) ?? '',
    viewPosition: str(parsed.ds, 0x00185101) ?? '',
    sopClassUid: str(parsed.ds, 0x00080016) ?? '',
  };
  const notes: string[] = [];
  if (desc.nFrames > 1) notes.push(`multi-frame image (${desc.nFrames} frames): the first frame is used`);
  const fr = firstFrame(parsed, desc, file);
  if (!fr.ok) return fr;
  const nPixels = desc.rows * desc.cols;
  let frame: SampleFrame;
  if (!fr.value.encapsulated) {
    if (ts.codec !== 'native') return fail(file, `${ts.name} transfer syntax but the pixel data is not encapsulated`);
    const nSamples = desc.photometric === 'YBR_FULL_422' && desc.samplesPerPixel === 3 ? nPixels * 2 : nPixels * desc.samplesPerPixel;
    if (fr.value.bytes.length * 8 < nSamples * desc.bitsAllocated) {
      return fail(file, `pixel data has ${fr.value.bytes.length} bytes, ${Math.ceil((nSamples * desc.bitsAllocated) / 8)} needed`);
    }
    const samples = unpackSamples(fr.value.bytes, nSamples, desc.bitsAllocated, desc.bitsStored, desc.highBit, desc.signed);
    frame = { samples, nPixels, components: desc.samplesPerPixel, planar: desc.planar, rgb: false, bitsStored: desc.bitsStored, signed: desc.signed };
  } else {
    if (ts.codec === 'native') return fail(file, `${ts.name} transfer syntax but the pixel data is encapsulated`);
    const dec = await decodeCompressed(ts.codec, fr.value.bytes, desc, file);
    if (!dec.ok) {
      return parsed.truncated ? fail(file, `${dec.error.message}; ${parsed.truncated}`) : dec;
    }
    const d = dec.value;
    if (d.width !== desc.cols || d.height !== desc.rows) {
      return fail(file, `decoded frame is ${d.width} x ${d.height}, the data set says ${desc.cols} x ${desc.rows}`);
    }
    const bitsStored = Math.min(desc.bitsStored, d.bytesPerSample * 8);
    const samples = unpackSamples(d.bytes, nPixels * d.components, d.bytesPerSample * 8, bitsStored, bitsStored - 1, desc.signed);
    frame = { samples, nPixels, components: d.components, planar: d.planar, rgb: d.rgb && d.components === 3, bitsStored, signed: desc.signed };
  }
  if (parsed.truncated) {
    notes.push(
      fr.value.encapsulated
        ? `file is truncated (${parsed.truncated}): the image is decoded from the bytes that are there`
        : `file is truncated after the first frame (${parsed.truncated})`,
    );
  }
  return ok({ parsed, desc, info, frame, notes });
}

/** Parses a DICOM image and returns its first frame as grey 0..1 (display-ready, MONOCHROME1 inverted). */
export async function decodeDicom(bytes: Uint8Array, file: string): Promise<Result<DecodedDicom>> {
  const sr = await decodeDicomSamples(bytes, file);
  if (!sr.ok) return sr;
  try {
    const { parsed, desc, info, frame, notes } = sr.value;
    const g = toGrey(parsed.ds, desc.photometric, frame, file);
    if (!g.ok) return g;
    let pixels: Float32Array;
    if (g.value.kind === 'luma') pixels = g.value.values;
    else {
      const values = g.value.values;
      const lutDs = withFunctionalGroups(parsed.ds);
      applyModality(lutDs, values, desc.signed);
      let anyNegative = false;
      for (let i = 0; i < values.length && !anyNegative; i++) anyNegative = values[i] < 0;
      pixels = applyVoi(lutDs, values, desc.photometric === 'MONOCHROME1', anyNegative);
    }
    return ok({ width: desc.cols, height: desc.rows, pixels, info, notes });
  } catch (e) {
    return fail(file, `DICOM decode failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
