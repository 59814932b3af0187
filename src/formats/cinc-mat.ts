// PhysioNet Challenge signal files (.mat): a MATLAB v4 matrix 'val' of int16, [nSignals, nSamples],
// stored column-major (so samples are interleaved by lead). The .hea calls this WFDB format `16x1+24`.
import { fail, ok, type Result } from './types';

const MAX_ELEMENTS = 64 * 1024 * 1024;
/** Signals per matrix at most (a WFDB record has at most 64). */
const MAX_ROWS = 64;

export interface MatV4Int16 {
  name: string;
  rows: number;
  cols: number;
  /** Byte offset of the first sample in the file. */
  dataOffsetBytes: number;
  /** Column-major samples (row index fastest): data[col * rows + row]. */
  data: Int16Array;
}

/** The header of the first MATLAB v4 matrix (the first 20 + name-length bytes suffice; at most 84). */
export function parseMatV4Header(bytes: Uint8Array, file: string): Result<Omit<MatV4Int16, 'data'>> {
  if (bytes.length < 20) return fail(file, `byte 0: file too short for a MATLAB v4 header (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mopt = dv.getInt32(0, true);
  const rows = dv.getInt32(4, true);
  const cols = dv.getInt32(8, true);
  const imagf = dv.getInt32(12, true);
  const namlen = dv.getInt32(16, true);
  if (mopt !== 30) {
    return fail(file, `byte 0: unsupported MATLAB v4 type code ${mopt} (expected 30 = little-endian int16 matrix)`);
  }
  if (imagf !== 0) return fail(file, 'byte 12: complex matrices are not supported');
  if (rows <= 0 || cols <= 0 || rows > MAX_ROWS) return fail(file, `byte 4: implausible matrix size ${rows} x ${cols}`);
  if (namlen <= 0 || namlen > 64 || 20 + namlen > bytes.length) return fail(file, `byte 16: bad variable name length ${namlen}`);
  let name = '';
  for (let k = 0; k < namlen; k++) {
    const c = bytes[20 + k];
    if (c === 0) break;
    name += String.fromCharCode(c);
  }
  return ok({ name, rows, cols, dataOffsetBytes: 20 + namlen });
}

/** Bytes of the matrix header at most (20 fixed + a name of up to 64 bytes). */
export const MAT_V4_HEADER_MAX_BYTES = 84;

/** Reads the first MATLAB v4 matrix of a file; only little-endian int16 real full matrices are accepted. */
export function parseMatV4Int16(bytes: Uint8Array, file: string): Result<MatV4Int16> {
  const h = parseMatV4Header(bytes, file);
  if (!h.ok) return h;
  const { name, rows, cols, dataOffsetBytes } = h.value;
  if (rows * cols > MAX_ELEMENTS) return fail(file, `byte 4: matrix ${rows} x ${cols} too large to read whole`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const needBytes = rows * cols * 2;
  if (bytes.length - dataOffsetBytes < needBytes) {
    return fail(
      file,
      `byte ${bytes.length}: truncated: matrix '${name}' ${rows} x ${cols} needs ${needBytes} bytes after byte ${dataOffsetBytes}`,
    );
  }
  const data = new Int16Array(rows * cols);
  for (let k = 0; k < data.length; k++) data[k] = dv.getInt16(dataOffsetBytes + 2 * k, true);
  return ok({ name, rows, cols, dataOffsetBytes, data });
}
