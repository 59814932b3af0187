import { describe, expect, it } from 'vitest';
import { encodeNpy, npyHeaderDict } from './npy';

describe('encodeNpy', () => {
  it('writes the exact v1.0 bytes numpy writes for float32 [2, 3]', () => {
    const bytes = encodeNpy(Float32Array.from([1, 2, 3, 4, 5, -0.5]), [2, 3]);
    // numpy.save(f, np.array([[1,2,3],[4,5,-0.5]], dtype='<f4')) header, byte for byte:
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
    expect(Array.from(bytes.subarray(0, 10))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 118, 0]);
    const header = new TextDecoder('latin1').decode(bytes.subarray(10, 128));
    expect(header).toBe(dict + ' '.repeat(118 - dict.length - 1) + '\n');
    expect(bytes.length).toBe(128 + 6 * 4);
    const view = new DataView(bytes.buffer, 128);
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getFloat32(i * 4, true))).toEqual([1, 2, 3, 4, 5, -0.5]);
    expect(Array.from(bytes.subarray(128, 132))).toEqual([0x00, 0x00, 0x80, 0x3f]); // 1.0f little-endian
  });

  it('pads every header to a multiple of 64 bytes and writes 1-D shapes with a trailing comma', () => {
    expect(npyHeaderDict([7])).toContain("'shape': (7,)");
    for (const shape of [[0, 256], [1000, 256], [100000, 2], [3]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const bytes = encodeNpy(new Float32Array(n), shape);
      const headerLen = bytes[8] | (bytes[9] << 8);
      expect((10 + headerLen) % 64).toBe(0);
      expect(bytes[10 + headerLen - 1]).toBe(0x0a);
      expect(bytes.length).toBe(10 + headerLen + 4 * n);
    }
  });

  it('rejects a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values/);
  });
});
