// The browser's decode pool for ingest: hardwareConcurrency - 1 decode workers (one core stays with the
// encoder), from a same-origin script of their own; in-line decoding where nested workers do not exist.
import type { WorkerLike } from '../../protocol';
import { createDecodePool } from './decode-pool';
import { decodePoolSize, type StartDecoders } from './decoders';

const spawn = (i: number): WorkerLike =>
  new Worker(new URL('../../decode.worker.ts', import.meta.url), { type: 'module', name: `decode-${i + 1}` }) as unknown as WorkerLike;

export const startBrowserDecoders: StartDecoders = () => {
  if (typeof Worker === 'undefined') return null;
  return createDecodePool({ size: decodePoolSize(globalThis.navigator?.hardwareConcurrency), spawn });
};
