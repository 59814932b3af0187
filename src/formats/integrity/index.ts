// Integrity checks a format carries, run before decoding so that a damaged file is listed as damaged
// (with what and where) instead of being stored as a normal item or failing with a decoder's raw
// message: PNG chunk CRCs and the zlib Adler-32, JPEG markers up to EOI, DICOM element lengths.
// WFDB records are checked by the WFDB reader (sizes and header checksums).
import { checkDicomLengths } from './dicom-lengths';
import { checkJpeg } from './jpeg';
import { checkPng } from './png';
import type { IntegrityResult } from './types';

export type { IntegrityResult } from './types';
export { crc32, adler32 } from './checksums';

export function checkIntegrity(bytes: Uint8Array, kind: 'png' | 'jpeg' | 'dicom'): IntegrityResult {
  try {
    if (kind === 'png') return checkPng(bytes);
    if (kind === 'jpeg') return checkJpeg(bytes);
    return checkDicomLengths(bytes);
  } catch (e) {
    // The checks index only inside the buffer; this is a guard, not a path.
    return { ok: false, damage: `could not check the file structure (${e instanceof Error ? e.message : String(e)})` };
  }
}
