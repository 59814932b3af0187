// An item's identity is its content: the SHA-256 of the bytes of every file that makes it, in a fixed
// order (by role: a WFDB header before its signal files, then by name), each prefixed by its length so
// that moving bytes from one file to the next changes the hash. The same files under other names give
// the same hash; another file under the same name gives another.
import type { InputFile } from '../types';
import { baseName, extOf } from '../datasets/tree';

/** Lower ranks hash first: headers, then signal / image files, then anything else. */
const ROLE_RANK: Record<string, number> = { hea: 0, dat: 1, mat: 1, png: 1, jpg: 1, jpeg: 1, dcm: 1, dicom: 1 };
const roleOf = (f: InputFile) => ROLE_RANK[extOf(f.path)] ?? 2;

/** The files in hashing order (role, then extension, then base name; folder names do not count). */
export function hashOrder(files: readonly InputFile[]): InputFile[] {
  return [...files].sort((a, b) => roleOf(a) - roleOf(b) || extOf(a.path).localeCompare(extOf(b.path)) || baseName(a.path).localeCompare(baseName(b.path)));
}

/** Lower-case hex SHA-256 over [8-byte length, bytes] of each file in hashOrder. */
export async function contentHash(files: readonly InputFile[]): Promise<string> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const f of hashOrder(files)) {
    const bytes = await f.read();
    const len = new Uint8Array(8);
    new DataView(len.buffer).setBigUint64(0, BigInt(bytes.length));
    parts.push(len, bytes);
    total += 8 + bytes.length;
  }
  const all = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return sha256Hex(all);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
