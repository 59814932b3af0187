// FLAC signal files (WFDB formats 508/516/524): each file is one FLAC stream whose channels are the
// file's signals, interleaved per frame. Decoded with @wasm-audio-decoders/flac (libFLAC in wasm,
// embedded in the module, loaded on first use; async), feeding only as many bytes as the window needs.
import type { FLACDecoder } from '@wasm-audio-decoders/flac';

/** Bytes fed to the decoder per step: small, so that a stream of near-empty frames cannot expand far past the window. */
export const FLAC_CHUNK_BYTES = 64 * 1024;

export interface FlacWindow {
  /** Integer codes, channel-major: channels[c][t]. */
  channels: Int32Array[];
  bitDepth: number;
}

let decoderModule: Promise<typeof import('@wasm-audio-decoders/flac')> | null = null;

/**
 * Decodes the first `nFramesWanted` samples of every channel (fewer at the end of the stream).
 * `readChunk(start, end)` gives the stream's bytes [start, end); `streamBytes` is its length.
 */
export async function decodeFlacWindow(
  readChunk: (start: number, end: number) => Promise<Uint8Array>,
  streamBytes: number,
  nChannels: number,
  nFramesWanted: number,
): Promise<{ ok: true; value: FlacWindow } | { ok: false; message: string }> {
  decoderModule ??= import('@wasm-audio-decoders/flac');
  const { FLACDecoder: Decoder } = await decoderModule;
  const decoder: FLACDecoder = new Decoder();
  await decoder.ready;
  try {
    const parts: Float32Array[][] = [];
    let got = 0;
    let bitDepth = 0;
    let channelsSeen = 0;
    for (let pos = 0; pos < streamBytes && got < nFramesWanted; pos += FLAC_CHUNK_BYTES) {
      const chunk = await readChunk(pos, Math.min(streamBytes, pos + FLAC_CHUNK_BYTES));
      const r = await decoder.decode(chunk);
      if (r.errors.length && r.samplesDecoded === 0 && got === 0 && pos === 0) {
        return { ok: false, message: `FLAC stream does not decode (${r.errors[0].message ?? 'decode error'})` };
      }
      if (r.samplesDecoded > 0) {
        parts.push(r.channelData);
        got += r.samplesDecoded;
        bitDepth = r.bitDepth;
        channelsSeen = r.channelData.length;
      }
    }
    if (got < nFramesWanted) {
      const r = await decoder.flush();
      if (r.samplesDecoded > 0) {
        parts.push(r.channelData);
        got += r.samplesDecoded;
        bitDepth ||= r.bitDepth;
        channelsSeen ||= r.channelData.length;
      }
    }
    if (got === 0) return { ok: false, message: 'FLAC stream holds no samples' };
    if (channelsSeen !== nChannels) return { ok: false, message: `FLAC stream has ${channelsSeen} channels but the header lists ${nChannels} signals` };
    const n = Math.min(got, nFramesWanted);
    // The decoder gives samples divided by 2^(bits-1) - 1 (checked against the flac tool's output).
    const scale = 2 ** (bitDepth - 1) - 1;
    const channels = Array.from({ length: nChannels }, () => new Int32Array(n));
    let t0 = 0;
    for (const p of parts) {
      const len = Math.min(p[0].length, n - t0);
      for (let c = 0; c < nChannels; c++) {
        const src = p[c];
        const dst = channels[c];
        for (let t = 0; t < len; t++) dst[t0 + t] = Math.round(src[t] * scale);
      }
      t0 += len;
      if (t0 >= n) break;
    }
    return { ok: true, value: { channels, bitDepth } };
  } finally {
    decoder.free();
  }
}
