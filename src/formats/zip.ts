// A dropped .zip is read like a dropped folder: its entries become InputFiles under "<archive>.zip/...".
// Entries are listed from the central directory without inflating anything; each entry is inflated only
// when read, into a buffer of its declared size (fflate never grows it), so a zip bomb is bounded by the
// caps on entry count and on the total declared uncompressed size, checked before any entry is read.
import { inflateSync } from 'fflate';
import { fail, ok, type FormatError, type InputFile, type Result } from './types';
import { entryDataRange, readZipDirectory } from './zip-directory';

export const MAX_ZIP_BYTES = 1024 * 1024 * 1024;
export const MAX_ZIP_ENTRIES = 200_000;
export const MAX_ZIP_UNCOMPRESSED_BYTES = 4 * 1024 * 1024 * 1024;

const isZipName = (p: string) => /\.zip$/i.test(p);
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** True for a local file header or an empty archive's end record ("PK\3\4" / "PK\5\6"). */
export function looksLikeZip(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && ((b[2] === 3 && b[3] === 4) || (b[2] === 5 && b[3] === 6));
}

/** Entry name -> safe relative path ('/'-separated, no '..', no absolute path), or null. */
function safeEntryPath(name: string): string | null {
  const parts = name.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..') || /^[A-Za-z]:/.test(parts[0] ?? '')) return null;
  return parts.join('/');
}

/** Lists a zip archive's files (directories skipped) as lazily inflated InputFiles. Never throws. */
export async function openZip(zip: InputFile): Promise<Result<{ files: InputFile[]; errors: FormatError[] }>> {
  if (zip.sizeBytes > MAX_ZIP_BYTES) return fail(zip.path, `archive too large (${zip.sizeBytes} bytes; limit ${MAX_ZIP_BYTES})`);
  let bytes: Uint8Array;
  try {
    bytes = await zip.read();
  } catch (e) {
    return fail(zip.path, `could not read: ${errText(e)}`);
  }
  if (!looksLikeZip(bytes)) return fail(zip.path, 'not a zip archive (no "PK" signature at byte 0)');
  const dir = readZipDirectory(bytes, zip.path, MAX_ZIP_ENTRIES);
  if (!dir.ok) return dir;
  const entries = dir.value.filter((e) => !e.name.endsWith('/'));
  const total = entries.reduce((a, e) => a + e.uncompressedBytes, 0);
  if (total > MAX_ZIP_UNCOMPRESSED_BYTES) return fail(zip.path, `entries declare ${total} bytes uncompressed (limit ${MAX_ZIP_UNCOMPRESSED_BYTES})`);
  const files: InputFile[] = [];
  const errors: FormatError[] = [];
  for (const e of entries) {
    const rel = safeEntryPath(e.name);
    const path = `${zip.path}/${rel ?? e.name}`;
    const skip = (message: string) => errors.push({ file: path, message: `${message}; skipped` });
    if (rel === null || rel === '') skip('entry name leaves the archive folder');
    else if (e.encrypted) skip('encrypted entry');
    else if (e.method !== 0 && e.method !== 8) skip(`compression method ${e.method} is not supported (stored or deflate)`);
    else if (isZipName(rel)) skip('a zip inside a zip is not opened');
    else {
      files.push({
        path,
        sizeBytes: e.uncompressedBytes,
        read: async () => {
          const range = entryDataRange(bytes, e);
          if (typeof range === 'string') throw new Error(`corrupt zip entry: ${range}`);
          const data = bytes.subarray(range.start, range.end);
          if (e.method === 0) {
            if (data.length !== e.uncompressedBytes) throw new Error(`corrupt zip entry: stored size ${data.length} differs from ${e.uncompressedBytes}`);
            return data.slice();
          }
          let out: Uint8Array;
          try {
            out = inflateSync(data, { out: new Uint8Array(e.uncompressedBytes) });
          } catch (err) {
            throw new Error(`corrupt zip entry: ${errText(err)}`, { cause: err });
          }
          if (out.length !== e.uncompressedBytes) throw new Error(`corrupt zip entry: inflates to ${out.length} bytes, ${e.uncompressedBytes} declared`);
          return out;
        },
      });
    }
  }
  return ok({ files, errors });
}

/** Replaces every .zip among the files by its entries; a corrupt archive becomes one error naming it. */
export async function expandZips(files: InputFile[]): Promise<{ files: InputFile[]; errors: FormatError[] }> {
  const out: InputFile[] = [];
  const errors: FormatError[] = [];
  for (const f of files) {
    if (!isZipName(f.path)) {
      out.push(f);
      continue;
    }
    const z = await openZip(f);
    if (!z.ok) errors.push(z.error);
    else {
      out.push(...z.value.files);
      errors.push(...z.value.errors);
    }
  }
  return { files: out, errors };
}
