// Loads an Emscripten-built DICOM codec once, lazily: in the browser its .wasm comes from the app's own
// build (a Vite-emitted asset URL, same origin, CSP-safe); in Node (tests, tools) it is read from
// node_modules (platform/, picked by package.json "imports"). Nothing is fetched from anywhere else.
import { codecBinaryOptions } from '#codec-platform';
import type { CodecName } from './wasm-names';

type Factory = (opts: Record<string, unknown>) => Promise<unknown>;

const quiet = (): void => {};

const loaded = new Map<CodecName, Promise<unknown>>();

async function factoryOf(name: CodecName): Promise<Factory> {
  // Literal specifiers so the bundler emits each codec as its own lazily loaded chunk.
  const mod: { default?: unknown } =
    name === 'libjpeg-turbo'
      ? await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')
      : name === 'charls'
        ? await import('@cornerstonejs/codec-charls/decodewasmjs')
        : name === 'openjpeg'
          ? await import('@cornerstonejs/codec-openjpeg/decodewasmjs')
          : await import('@cornerstonejs/codec-openjph/wasmjs');
  const f = (mod.default ?? mod) as Factory | { default?: Factory };
  return typeof f === 'function' ? f : (f.default as Factory);
}

async function instantiate(name: CodecName): Promise<unknown> {
  const factory = await factoryOf(name);
  return factory({ ...(await codecBinaryOptions(name)), print: quiet, printErr: quiet });
}

/** The codec's Emscripten module (cached; a failed load is retried on the next call). */
export function loadCodec<T>(name: CodecName): Promise<T> {
  let p = loaded.get(name);
  if (!p) {
    p = instantiate(name);
    p.catch(() => loaded.delete(name));
    loaded.set(name, p);
  }
  return p as Promise<T>;
}

/** The encoded-buffer / decode / frame-info interface every cornerstone decoder shares. */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number; isSigned?: boolean };
  delete(): void;
}

/** Runs one decoder on one codestream and copies its output out of wasm memory. */
export function runDecoder<D extends WasmDecoder>(decoder: D, data: Uint8Array, after?: (d: D) => void): {
  width: number;
  height: number;
  bitsPerSample: number;
  components: number;
  signed: boolean;
  bytes: Uint8Array;
} {
  try {
    decoder.getEncodedBuffer(data.length).set(data);
    decoder.decode();
    const info = decoder.getFrameInfo();
    after?.(decoder);
    return {
      width: info.width,
      height: info.height,
      bitsPerSample: info.bitsPerSample,
      components: info.componentCount,
      signed: !!info.isSigned,
      bytes: new Uint8Array(decoder.getDecodedBuffer()),
    };
  } finally {
    decoder.delete();
  }
}
