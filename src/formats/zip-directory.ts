// The central directory of a zip archive (PKWARE APPNOTE 4.3.12-4.3.16, with the zip64 records), read with
// every offset checked against the buffer, so each entry can later be inflated on its own in O(1).
import { fail, ok, type Result } from './types';

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflate; others are refused by the caller. */
  method: number;
  encrypted: boolean;
  compressedBytes: number;
  uncompressedBytes: number;
  /** Offset of the entry's local file header. */
  localHeaderOffset: number;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const MAX_COMMENT_BYTES = 0xffff;

const u64 = (dv: DataView, at: number) => dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 2 ** 32;

/** Lists the entries (at most maxEntries, else an error). Never throws. */
export function readZipDirectory(bytes: Uint8Array, file: string, maxEntries: number): Result<ZipEntry[]> {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  let eocd = -1;
  for (let i = n - 22; i >= 0 && i >= n - 22 - MAX_COMMENT_BYTES; i--) {
    if (dv.getUint32(i, true) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return fail(file, 'corrupt zip archive: no end of central directory record (truncated?)');
  let count = dv.getUint16(eocd + 10, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if (eocd >= 20 && dv.getUint32(eocd - 20, true) === SIG_EOCD64_LOCATOR) {
    const at = u64(dv, eocd - 12);
    if (at + 56 > n || dv.getUint32(at, true) !== SIG_EOCD64) return fail(file, `corrupt zip archive: bad zip64 end record at byte ${at}`);
    count = u64(dv, at + 32);
    cdOffset = u64(dv, at + 48);
  }
  if (count > maxEntries) return fail(file, `more than ${maxEntries} entries (${count})`);
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  const decoder = new TextDecoder('utf-8');
  for (let k = 0; k < count; k++) {
    if (p + 46 > n || dv.getUint32(p, true) !== SIG_CENTRAL) return fail(file, `corrupt zip archive: central directory entry ${k + 1} at byte ${p} is damaged`);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    let compressedBytes = dv.getUint32(p + 20, true);
    let uncompressedBytes = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > n) return fail(file, `corrupt zip archive: central directory entry ${k + 1} runs past the end`);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // Zip64 extended information (header id 1): the 8-byte fields replace those set to 0xFFFFFFFF, in order.
    for (let e = p + 46 + nameLen; e + 4 <= p + 46 + nameLen + extraLen; ) {
      const id = dv.getUint16(e, true);
      const size = dv.getUint16(e + 2, true);
      if (id === 1) {
        let q = e + 4;
        const take = () => {
          const v = q + 8 <= e + 4 + size ? u64(dv, q) : NaN;
          q += 8;
          return v;
        };
        if (uncompressedBytes === 0xffffffff) uncompressedBytes = take();
        if (compressedBytes === 0xffffffff) compressedBytes = take();
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = take();
      }
      e += 4 + size;
    }
    if (![compressedBytes, uncompressedBytes, localHeaderOffset].every(Number.isFinite)) {
      return fail(file, `corrupt zip archive: entry "${name}" has a damaged zip64 record`);
    }
    entries.push({ name, method, encrypted: (flags & 1) === 1, compressedBytes, uncompressedBytes, localHeaderOffset });
    p = end;
  }
  return ok(entries);
}

/** Where an entry's data starts (after its local header), or an error naming the entry. */
export function entryDataRange(bytes: Uint8Array, e: ZipEntry): { start: number; end: number } | string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.localHeaderOffset;
  if (at + 30 > bytes.length || dv.getUint32(at, true) !== SIG_LOCAL) return `local header at byte ${at} is damaged`;
  const start = at + 30 + dv.getUint16(at + 26, true) + dv.getUint16(at + 28, true);
  const end = start + e.compressedBytes;
  if (end > bytes.length) return `data runs past the end of the archive (truncated?)`;
  return { start, end };
}
