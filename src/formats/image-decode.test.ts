// Which decoder each image gets (the browser path itself is compared with the JS decoders in
// e2e/image-decode.spec.ts, since Node has no createImageBitmap), the Exif orientation read, and the
// Node fallback: decodeImageAuto there is the JS path.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encode as encodePng } from 'fast-png';
import * as jpeg from 'jpeg-js';
import { decodeImage, jpegSize } from './image';
import { browserDecodeAvailable, decodeImageAuto, planDecode } from './image-decode';
import { SHARED_DATA_DIR } from './testing';

const png = (channels: number, depth: 8 | 16 = 8) =>
  encodePng({ width: 3, height: 2, data: depth === 16 ? new Uint16Array(6 * channels) : new Uint8Array(6 * channels).fill(90), depth, channels });

/** A JPEG with an APP1 Exif block (big-endian TIFF, one IFD0 entry: orientation) right after SOI. */
function withOrientation(j: Uint8Array, orientation: number, littleEndian = false): Uint8Array {
  const u16 = (v: number) => (littleEndian ? [v & 255, v >> 8] : [v >> 8, v & 255]);
  const u32 = (v: number) => (littleEndian ? [v & 255, (v >> 8) & 255, (v >> 16) & 255, v >>> 24] : [v >>> 24, (v >> 16) & 255, (v >> 8) & 255, v & 255]);
  const tiff = [...(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42), ...u32(8), ...u16(1), ...u16(0x0112), ...u16(3), ...u32(1), ...u16(orientation), 0, 0, ...u32(0)];
  const body = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const app1 = [0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];
  return new Uint8Array([...j.subarray(0, 2), ...app1, ...j.subarray(2)]);
}

describe('planDecode', () => {
  it('8-bit grey / RGB PNGs without transparency go to the browser, the rest to the JS decoders', () => {
    expect(planDecode(png(1), 'g.png')).toMatchObject({ decoder: 'browser', kind: 'png', colour: false, width: 3, height: 2 });
    expect(planDecode(png(3), 'c.png')).toMatchObject({ decoder: 'browser', colour: true });
    expect(planDecode(png(1, 16), 'g16.png')).toEqual({ decoder: 'js', reason: '16-bit samples' });
    expect(planDecode(png(4), 'a.png')).toEqual({ decoder: 'js', reason: 'alpha channel' });
    expect(planDecode(png(2), 'ga.png')).toEqual({ decoder: 'js', reason: 'alpha channel' });
  });

  it('a tRNS chunk before the image data sends a PNG to the JS decoders', () => {
    const p = png(1);
    const trns = new Uint8Array([0, 0, 0, 2, 0x74, 0x52, 0x4e, 0x53, 0, 0, 0, 0, 0, 0]); // CRC not checked here
    const withTrns = new Uint8Array([...p.subarray(0, 33), ...trns, ...p.subarray(33)]);
    expect(planDecode(withTrns, 't.png')).toEqual({ decoder: 'js', reason: 'transparency' });
  });

  it('real CXRs: NIH and Hannover PNGs and Kermany JPEGs take the browser path', () => {
    for (const f of ['nih-cxr14-mini/images/00000032_038.png', 'covid19-hannover-cxr/png/262a70ca.png', 'kermany-pediatric-cxr/images/train/NORMAL/IM-0127-0001.jpeg']) {
      expect(planDecode(readFileSync(`${SHARED_DATA_DIR}/${f}`), f).decoder).toBe('browser');
    }
  });

  it('JPEGs: Exif orientation other than 1 goes to the JS decoders (both byte orders)', () => {
    const j = jpeg.encode({ width: 8, height: 4, data: new Uint8Array(8 * 4 * 4).fill(128) }, 90).data;
    expect(jpegSize(j, 'j').ok && jpegSize(j, 'j')).toMatchObject({ value: { width: 8, height: 4, precision: 8, components: 3, orientation: 1 } });
    expect(planDecode(withOrientation(j, 1), 'j')).toMatchObject({ decoder: 'browser', kind: 'jpeg' });
    expect(planDecode(withOrientation(j, 6), 'j')).toEqual({ decoder: 'js', reason: 'Exif orientation 6' });
    expect(planDecode(withOrientation(j, 3, true), 'j')).toEqual({ decoder: 'js', reason: 'Exif orientation 3' });
  });

  it('not an image: the JS path, which names the problem', () => {
    expect(planDecode(new Uint8Array([1, 2, 3]), 'x').decoder).toBe('js');
  });
});

describe('decodeImageAuto in Node', () => {
  it('has no browser decoder and returns the JS path exactly', async () => {
    expect(browserDecodeAvailable()).toBe(false);
    const bytes = readFileSync(`${SHARED_DATA_DIR}/nih-cxr14-mini/images/00000032_038.png`);
    const a = await decodeImageAuto(bytes, 'n.png');
    const b = decodeImage(bytes, 'n.png');
    if (!a.ok || !b.ok) throw new Error('decode failed');
    expect(a.value.pixels).toEqual(b.value.pixels);
    const bad = await decodeImageAuto(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]), 'short.png');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/too short/);
  });
});
