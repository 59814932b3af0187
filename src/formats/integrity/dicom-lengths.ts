// DICOM pre-check before pixel decoding: every element length fits the file, sequences and
// encapsulated pixel data end with their delimiters, and native pixel data holds at least
// rows x columns x samples x frames at its bit depth. A truncated export fails here by name.
import { DicomLengthError, walkDicom } from './dicom-walk';
import type { IntegrityResult } from './types';

const ENCAPSULATED_UNDEFINED = 0xffffffff;

export function checkDicomLengths(bytes: Uint8Array): IntegrityResult {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const us = new Map<number, number>();
  let frames = 1;
  let pixels: { length: number; at: number } | null = null;
  try {
    const w = walkDicom(bytes, (e) => {
      if (e.depth !== 0) return;
      if (e.group === 0x0028 && e.length === 2 && e.vr !== 'SQ') {
        const little = true;
        us.set(e.element, dv.getUint16(e.valueOffset, little));
      }
      if (e.group === 0x0028 && e.element === 0x0008 && e.length > 0 && e.length < 16) {
        const s = String.fromCharCode(...bytes.subarray(e.valueOffset, e.valueOffset + e.length)).trim();
        const v = Number.parseInt(s, 10);
        if (Number.isFinite(v) && v > 0) frames = v;
      }
      if (e.group === 0x7fe0 && e.element === 0x0010) pixels = { length: e.length, at: e.valueOffset };
    });
    if (w.transferSyntax === '1.2.840.10008.1.2.2') return { ok: true }; // big endian: US values above were read little endian
  } catch (e) {
    // Only a length that runs past the end is damage for sure; other oddities (a missing VR, an
    // unexpected tag) are left to the decoder, which reads more dialects than this walk.
    if (e instanceof DicomLengthError) return /^truncated/.test(e.message) ? { ok: false, damage: e.message } : { ok: true };
    throw e;
  }
  const px = pixels as { length: number; at: number } | null;
  if (!px) return { ok: false, damage: 'no pixel data element (7FE0,0010)' };
  if (px.length === ENCAPSULATED_UNDEFINED) return { ok: true };
  const rows = us.get(0x0010) ?? 0;
  const cols = us.get(0x0011) ?? 0;
  const bits = us.get(0x0100) ?? 0;
  const spp = us.get(0x0002) ?? 1;
  if (!(rows > 0 && cols > 0 && bits > 0)) return { ok: true }; // the decoder names missing image attributes
  const need = Math.ceil((rows * cols * spp * frames * bits) / 8);
  if (px.length < need) {
    return { ok: false, damage: `truncated pixel data: ${px.length} bytes, ${rows} x ${cols} x ${spp} x ${frames} frame(s) at ${bits} bits need ${need}` };
  }
  return { ok: true };
}
