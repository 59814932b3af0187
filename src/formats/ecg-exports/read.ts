// One door to the hospital ECG export readers: picks DICOM waveform, HL7 aECG or EDF/BDF by content (the
// extension only decides which files are looked at), with a size cap before the file is read.
import { fail, type InputFile, type Result } from '../types';
import { parseAecg } from './aecg';
import { parseDicomWaveform } from './dicom-waveform';
import { looksLikeEdf, parseEdf } from './edf';
import type { EcgExport } from './types';

export const MAX_EXPORT_FILE_BYTES = 512 * 1024 * 1024;
export const ECG_EXPORT_EXTENSIONS = new Set(['xml', 'edf', 'bdf']);

const isDicm = (b: Uint8Array) => b.length >= 132 && b[128] === 0x44 && b[129] === 0x49 && b[130] === 0x43 && b[131] === 0x4d;

/** Reads bytes already in memory. Never throws. */
export function parseEcgExport(bytes: Uint8Array, file: string): Result<EcgExport> {
  try {
    if (isDicm(bytes)) return parseDicomWaveform(bytes, file);
    if (looksLikeEdf(bytes)) return parseEdf(bytes, file);
    let k = 0;
    while (k < bytes.length && k < 64 && (bytes[k] === 0x20 || bytes[k] === 0x09 || bytes[k] === 0x0a || bytes[k] === 0x0d || bytes[k] === 0xef || bytes[k] === 0xbb || bytes[k] === 0xbf)) k++;
    if (bytes[k] === 0x3c) return parseAecg(bytes, file);
    return fail(file, 'not a DICOM ECG, HL7 aECG or EDF file');
  } catch (e) {
    return fail(file, `could not read: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export async function readEcgExport(f: InputFile): Promise<Result<EcgExport>> {
  if (f.sizeBytes > MAX_EXPORT_FILE_BYTES) return fail(f.path, `file too large (${f.sizeBytes} bytes; limit ${MAX_EXPORT_FILE_BYTES})`);
  if (f.sizeBytes === 0) return fail(f.path, 'empty file');
  try {
    return parseEcgExport(await f.read(), f.path);
  } catch (e) {
    return fail(f.path, `could not read: ${e instanceof Error ? e.message : String(e)}`);
  }
}
