// CXR thumbnails: a <= 128 px preview Blob for lists and hovers. OffscreenCanvas (JPEG) in browsers;
// a PNG encoded with fast-png where no canvas exists (Node tests and tools).
import { encode } from 'fast-png';
import type { GrayImage } from '../../formats/types';

export const THUMB_PX = 128;

/** Box-filter downscale to fit THUMB_PX, 8-bit grey, row-major. */
export function downscaleGray(img: GrayImage, maxPx = THUMB_PX): { width: number; height: number; gray: Uint8ClampedArray } {
  const scale = Math.min(1, maxPx / Math.max(img.width, img.height));
  const width = Math.max(1, Math.round(img.width * scale));
  const height = Math.max(1, Math.round(img.height * scale));
  const gray = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) {
    const y0 = Math.floor((y * img.height) / height);
    const y1 = Math.max(y0 + 1, Math.floor(((y + 1) * img.height) / height));
    for (let x = 0; x < width; x++) {
      const x0 = Math.floor((x * img.width) / width);
      const x1 = Math.max(x0 + 1, Math.floor(((x + 1) * img.width) / width));
      let sum = 0;
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += img.pixels[yy * img.width + xx];
      gray[y * width + x] = Math.round((sum / ((y1 - y0) * (x1 - x0))) * 255);
    }
  }
  return { width, height, gray };
}

export async function makeThumb(img: GrayImage): Promise<Blob> {
  const { width, height, gray } = downscaleGray(img);
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (ctx) {
      const rgba = new ImageData(width, height);
      for (let i = 0; i < gray.length; i++) {
        rgba.data[4 * i] = rgba.data[4 * i + 1] = rgba.data[4 * i + 2] = gray[i];
        rgba.data[4 * i + 3] = 255;
      }
      ctx.putImageData(rgba, 0, 0);
      return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.85 });
    }
  }
  const png = encode({ width, height, data: new Uint8Array(gray.buffer, gray.byteOffset, gray.length), channels: 1, depth: 8 });
  return new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}
