// Where ingest's parse + preprocess step runs: in-line on the engine's thread (Node, tests, browsers
// without nested workers, drops smaller than one batch), or on a pool of decode workers so that decoding
// overlaps with encoding and uses the cores the encoder leaves free.
import type { DatasetItem } from '../../../formats/types';
import type { FormatDeps } from '../deps';
import { prepareInput, type PrepareOutcome } from './prepare-input';

export interface Decoders {
  /** Items prepared at once (1: in-line, one after another). */
  readonly parallelism: number;
  /** Loads and preprocesses one item. Never rejects: failures come back as `{ error }` naming the file. */
  prepare(item: DatasetItem): Promise<PrepareOutcome>;
  /** Ends the workers; calls in flight settle with an error. */
  dispose(): void;
}

/** Starts decoders for a drop of `itemCount` items, or null to decode in-line. */
export type StartDecoders = (itemCount: number) => Decoders | null;

export function inlineDecoders(deps: FormatDeps): Decoders {
  return { parallelism: 1, prepare: (item) => prepareInput(deps, item), dispose: () => undefined };
}

/** hardwareConcurrency - 1 (one core stays with the encoder), at least 1. */
export function decodePoolSize(hardwareConcurrency: number | undefined): number {
  const n = Math.floor(Number(hardwareConcurrency) || 1);
  return Math.max(1, n - 1);
}
