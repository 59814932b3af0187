// NumPy .npy files (format 1.0, little endian, C order): the prepared inputs the PyTorch trainer reads and the
// embeddings it writes back (archive embedder), read by the engine when a user imports them. No dependency.

export type NpyDtype = '<f4' | '<f2' | '<i4' | '<u1';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Float32Array | Uint16Array | Int32Array | Uint8Array;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
const BYTES: Record<NpyDtype, number> = { '<f4': 4, '<f2': 2, '<i4': 4, '<u1': 1 };

export function encodeNpy(a: NpyArray): Uint8Array {
  const count = a.shape.reduce((p, d) => p * d, 1);
  if (count !== a.data.length) throw new Error(`npy: shape [${a.shape}] holds ${count} values, data has ${a.data.length}`);
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${a.dtype}', 'fortran_order': False, 'shape': ${shape}, }`;
  // The magic (6) + version (2) + length (2) + header + '\n' is padded with spaces to a multiple of 64.
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + header.length + a.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), 10 + header.length);
  return out;
}

/** Reads a version 1.x/2.x .npy of one of the supported dtypes; names the file in every error. */
export function decodeNpy(bytes: Uint8Array, file: string): NpyArray {
  if (bytes.length < 12 || MAGIC.some((m, i) => bytes[i] !== m)) throw new Error(`${file}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new Error(`${file}: .npy header runs past the end of the file`);
  const header = new TextDecoder('latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] as NpyDtype | undefined;
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !(descr in BYTES)) throw new Error(`${file}: unsupported .npy dtype ${descr ?? '(none)'} (expected <f4, <f2, <i4 or <u1)`);
  if (fortran !== 'False') throw new Error(`${file}: Fortran-ordered .npy arrays are not supported`);
  if (shapeText === undefined) throw new Error(`${file}: .npy header has no shape`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`${file}: bad .npy shape (${shapeText})`);
  const count = shape.reduce((p, d) => p * d, 1);
  const dataStart = start + headerLen;
  const nBytes = count * BYTES[descr];
  if (dataStart + nBytes > bytes.length) throw new Error(`${file}: .npy data holds ${bytes.length - dataStart} bytes, shape [${shape}] needs ${nBytes}`);
  const copy = bytes.slice(dataStart, dataStart + nBytes); // aligned copy
  const data =
    descr === '<f4' ? new Float32Array(copy.buffer) : descr === '<f2' ? new Uint16Array(copy.buffer) : descr === '<i4' ? new Int32Array(copy.buffer) : copy;
  return { dtype: descr, shape, data };
}
