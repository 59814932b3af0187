// What every codec gives back: one frame of samples in little-endian bytes.
export interface DecodedFrame {
  width: number;
  height: number;
  components: number;
  /** 1, 2 or 4. */
  bytesPerSample: number;
  bytes: Uint8Array;
  /** Colour planes one after another (else interleaved per pixel). */
  planar: boolean;
  /** The codec already turned YCbCr into RGB (JPEG DCT codecs do). */
  rgb: boolean;
}
