// NumPy .npy (format v1.0) writer for exporting embeddings: numpy.load() reads the file as float32 [n, d].
// Layout: magic "\x93NUMPY", version 1.0, little-endian uint16 header length, an ASCII dict header padded
// with spaces and ended by "\n" so that the data starts on a 64-byte boundary, then raw little-endian data.

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The header dict text (without padding) for a C-order float32 array of the given shape. */
export function npyHeaderDict(shape: readonly number[]): string {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '<f4', 'fortran_order': False, 'shape': ${dims}, }`;
}

/** Encodes data (C order, float32) with the given shape as .npy v1.0 bytes. */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`npy: bad shape (${shape.join(', ')})`);
  if (count !== data.length) throw new Error(`npy: shape (${shape.join(', ')}) holds ${count} values, data has ${data.length}`);
  const dict = npyHeaderDict(shape);
  const preamble = MAGIC.length + 2 + 2; // magic, version, header length
  const unpadded = preamble + dict.length + 1; // + "\n"
  const total = Math.ceil(unpadded / 64) * 64;
  const headerLen = total - preamble;
  if (headerLen > 0xffff) throw new Error('npy: header too long for format 1.0');
  const out = new Uint8Array(total + data.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1; // major
  out[7] = 0; // minor
  out[8] = headerLen & 0xff;
  out[9] = headerLen >> 8;
  const header = dict + ' '.repeat(total - unpadded) + '\n';
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  } else {
    const view = new DataView(out.buffer, total);
    for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
  }
  return out;
}
