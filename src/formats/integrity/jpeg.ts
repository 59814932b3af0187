// JPEG integrity before decoding: the marker segments from SOI lie inside the file, a frame header
// (SOF) and a scan (SOS) exist, and the entropy-coded data ends at an EOI marker. A cut-off download
// or a copied-short file has no EOI; a damaged segment length walks off the marker chain.
import type { IntegrityResult } from './types';

export function checkJpeg(bytes: Uint8Array): IntegrityResult {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return { ok: false, damage: 'no JPEG start-of-image marker (byte 0)' };
  let p = 2;
  let sawSof = false;
  let scans = 0;
  while (p < n) {
    if (bytes[p] !== 0xff) return { ok: false, damage: `byte ${p}: expected a JPEG marker, found 0x${bytes[p].toString(16).padStart(2, '0')}` };
    let marker = bytes[p + 1];
    while (marker === 0xff && p + 2 < n) marker = bytes[++p + 1]; // fill bytes
    if (p + 1 >= n) break;
    if (marker === 0xd9) return sawSof && scans > 0 ? { ok: true } : { ok: false, damage: `end-of-image marker at byte ${p} before any image data` };
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      p += 2;
      continue;
    }
    if (p + 4 > n) break;
    const len = (bytes[p + 2] << 8) | bytes[p + 3];
    if (len < 2) return { ok: false, damage: `byte ${p}: marker 0xFF${marker.toString(16).toUpperCase()} has a bad length ${len}` };
    if (p + 2 + len > n) break;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) sawSof = true;
    p += 2 + len;
    if (marker === 0xda) {
      scans++;
      // Entropy-coded data: skip to the next marker that is not a stuffed 0xFF00 or a restart marker.
      while (p < n) {
        if (bytes[p] === 0xff && p + 1 < n) {
          const m = bytes[p + 1];
          if (m !== 0x00 && m !== 0xff && !(m >= 0xd0 && m <= 0xd7)) break;
        }
        p++;
      }
    }
  }
  if (!sawSof) return { ok: false, damage: 'truncated: the file ends before the frame header (SOF)' };
  if (scans === 0) return { ok: false, damage: 'truncated: the file ends before the image data (SOS)' };
  return { ok: false, damage: 'truncated: no end-of-image marker (EOI); the file ends early' };
}
