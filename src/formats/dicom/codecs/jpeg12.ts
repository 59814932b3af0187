// 12-bit JPEG (Extended, process 4): not decoded yet; refused by name.
import { fail, type Result } from '../../types';
import type { DecodedFrame } from './types';

export async function decodeJpeg12(_data: Uint8Array, file: string): Promise<Result<DecodedFrame>> {
  return fail(file, 'JPEG Extended with 12-bit samples is not supported; export the image as JPEG Lossless, JPEG 2000 or uncompressed');
}
