// The model's public contract, shared by workers (browser) and tools (Node).
// Inputs are already preprocessed (see src/model/preprocess.ts); outputs are L2-normalised 256-d vectors.
import type { WordReading } from './tokenizer';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';

export interface EmbedBatchOut {
  /** [n, embedDim] row-major, each row L2-normalised. */
  vectors: Float32Array;
  n: number;
  embedDim: number;
}

export interface MedbindEncoders {
  /** Model version string (from the weights manifest or a fine-tuned version id); keys stored embeddings. */
  readonly version: string;
  readonly embedDim: number;
  /** pixels: [n, 224*224] grayscale, already normalised by preprocessCxr. */
  embedCxr(pixels: Float32Array, n: number): Promise<EmbedBatchOut>;
  /** signals: [n, 12*1000] lead-major (lead 0 samples 0..999, lead 1 ...), already normalised by preprocessEcg. */
  embedEcg(signals: Float32Array, n: number): Promise<EmbedBatchOut>;
  /** Free text; the tokenizer keeps the first 100 words. */
  embedText(texts: string[]): Promise<EmbedBatchOut>;
  /** How the tokenizer reads each word of a text (known word, abbreviation, subword pieces, unknown). */
  readText?(text: string): WordReading[];
  dispose(): void;
}

/** Where weights come from: the browser fetches relative URLs under public/weights; Node reads files. */
export interface WeightSource {
  /** Returns the bytes of a file named in the manifest (e.g. "manifest.json", "cxr.bin"). */
  readFile(name: string): Promise<Uint8Array>;
}

/** public/weights/manifest.json */
export interface WeightsManifest {
  name: string; // "medbind-studio"
  version: string; // e.g. "bd-2026.11.27"
  variant: 'BD' | 'NM';
  embedDim: number;
  tau: number;
  /** The model configuration (sizes, shapes) as used to build the encoders. */
  config: unknown;
  /** Tokenizer vocabulary file name. */
  tokenizer: string;
  preprocessing: { ecg: { fsHz: number; nSamples: number; leads: string[] }; cxr: { sizePx: number; channels: 1 } };
  files: { name: string; bytes: number; sha256: string }[];
  demoPairing: boolean;
  trainedOn: string[];
}
