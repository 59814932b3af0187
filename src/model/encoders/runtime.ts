// Inference wrapper: turns a parameter map + config + tokenizer into the app-facing MedbindEncoders.
// Batches have fixed shapes (1 or inferBatch rows, zero-padded) so WebGPU compiles few shader variants;
// results are read with await data() (no dataSync, which would block a WebGPU worker).
import * as tf from '@tensorflow/tfjs';
import type { MedbindConfig } from '../config';
import { disposeParams, type Params } from '../params';
import type { Tokenizer } from '../tokenizer';
import type { EmbedBatchOut, MedbindEncoders } from '../types';
import { cxrForward } from './cxr';
import { ecgForward } from './ecg';
import { textForward } from './text';

export interface RuntimeOptions {
  /** Rows per forward pass (inputs are zero-padded up to it); single items run with 1. */
  inferBatch?: number;
  /** Dispose the parameters with the encoders (default true). */
  ownsParams?: boolean;
}

export function encodersFromParams(params: Params, config: MedbindConfig, tokenizer: Tokenizer, version: string, opts: RuntimeOptions = {}): MedbindEncoders {
  const inferBatch = opts.inferBatch ?? 16;
  const d = config.embedDim;
  let disposed = false;

  /** Runs forward over chunks of rows of `rowLen` values each. */
  async function run(data: Float32Array, n: number, rowLen: number, what: string, forward: (x: tf.Tensor2D) => tf.Tensor2D): Promise<EmbedBatchOut> {
    if (disposed) throw new Error('encoders: disposed');
    if (!Number.isInteger(n) || n < 0 || data.length !== n * rowLen) throw new Error(`${what}: expected ${n} x ${rowLen} values, got ${data.length}`);
    const vectors = new Float32Array(n * d);
    const rows = n === 1 ? 1 : inferBatch;
    for (let start = 0; start < n; start += rows) {
      const count = Math.min(rows, n - start);
      const chunk = new Float32Array(rows * rowLen);
      chunk.set(data.subarray(start * rowLen, (start + count) * rowLen));
      const out = tf.tidy(() => forward(tf.tensor2d(chunk, [rows, rowLen])));
      try {
        const v = (await out.data()) as Float32Array;
        vectors.set(v.subarray(0, count * d), start * d);
      } finally {
        out.dispose();
      }
    }
    return { vectors, n, embedDim: d };
  }

  const cxrLen = config.cxr.sizePx * config.cxr.sizePx;
  const ecgLen = config.ecg.leads.length * config.ecg.nSamples;
  return {
    version,
    embedDim: d,
    embedCxr: (pixels, n) => run(pixels, n, cxrLen, 'embedCxr', (x) => cxrForward(params, config, x)),
    embedEcg: (signals, n) => run(signals, n, ecgLen, 'embedEcg', (x) => ecgForward(params, config, x)),
    async embedText(texts) {
      if (disposed) throw new Error('encoders: disposed');
      const n = texts.length;
      const vectors = new Float32Array(n * d);
      const rows = n === 1 ? 1 : inferBatch;
      for (let start = 0; start < n; start += rows) {
        const part = texts.slice(start, start + rows);
        while (part.length < rows) part.push('');
        const tok = tokenizer.encodeBatch(part, config.text.lengthBucket, config.text.maxTokens);
        const out = tf.tidy(() => textForward(params, config, tf.tensor2d(tok.ids, [tok.n, tok.T], 'int32')));
        try {
          const v = (await out.data()) as Float32Array;
          const count = Math.min(rows, n - start);
          vectors.set(v.subarray(0, count * d), start * d);
        } finally {
          out.dispose();
        }
      }
      return { vectors, n, embedDim: d };
    },
    readText: (text) => tokenizer.analyze(text),
    dispose() {
      if (disposed) return;
      disposed = true;
      if (opts.ownsParams !== false) disposeParams(params);
    },
  };
}
