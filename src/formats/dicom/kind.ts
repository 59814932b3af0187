// What a DICOM data set holds, so each goes to its reader: an image, a 12-lead / general ECG waveform
// (the ECG path reads those), or another object (structured report, RT plan, PDF...) that is not an image.
import { str } from './dataset';
import { NON_IMAGE_SOP_CLASSES, SOP_ECG_12LEAD, SOP_ECG_GENERAL } from './dictionary';
import { PIXEL_DATA, parseDicom, type ParsedDicom } from './parse';

export type DicomKind = 'image' | 'ecg' | { other: string };

const WAVEFORM_SEQUENCE = 0x54000100;
const ECG_SOP_CLASSES = new Set([SOP_ECG_12LEAD, SOP_ECG_GENERAL, '1.2.840.10008.5.1.4.1.1.9.1.3']);

export function sopClassOf(p: ParsedDicom): string {
  return str(p.ds, 0x00080016) || (p.meta ? str(p.meta, 0x00020002) : '') || '';
}

/** "Basic Text SR Storage" for a known UID, else the UID itself. */
export function sopClassName(uid: string): string {
  return NON_IMAGE_SOP_CLASSES[uid] ?? (uid || 'unknown');
}

export function kindOfParsed(p: ParsedDicom): DicomKind {
  const sop = sopClassOf(p);
  if (ECG_SOP_CLASSES.has(sop)) return 'ecg';
  const hasPixels = p.ds.elements.has(PIXEL_DATA);
  if (p.ds.elements.has(WAVEFORM_SEQUENCE) && !hasPixels && !(sop in NON_IMAGE_SOP_CLASSES)) return 'ecg';
  if (hasPixels && !(sop in NON_IMAGE_SOP_CLASSES)) return 'image';
  return { other: sop };
}

/** Kind of a DICOM file's content, or null when the bytes are not a readable DICOM data set. */
export function dicomKind(bytes: Uint8Array): DicomKind | null {
  const p = parseDicom(bytes, '');
  return p.ok ? kindOfParsed(p.value) : null;
}
