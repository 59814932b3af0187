// Browser-only: the codec .wasm binaries as URLs that Vite emits into the build (same origin, CSP-safe).
import libjpegTurboUrl from '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasm?url';
import charlsUrl from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpegUrl from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import openjphUrl from '@cornerstonejs/codec-openjph/wasm?url';
import type { CodecName } from './wasm-names';

export const codecWasmUrls: Record<CodecName, string> = {
  'libjpeg-turbo': libjpegTurboUrl,
  charls: charlsUrl,
  openjpeg: openjpegUrl,
  openjph: openjphUrl,
};
