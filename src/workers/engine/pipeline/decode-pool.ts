// A pool of decode workers for one ingest: each item goes to the worker with the fewest calls in flight.
// Every call settles (result, worker error, crash after one re-run, dispose) through the shared worker
// client; a call that fails becomes an error line for that item's file, never a stuck ingest. Files are
// sent as Blobs (the page's File, or the bytes of a file a reader made, e.g. an archive member).
import type { DatasetItem, InputFile } from '../../../formats/types';
import type { WorkerLike } from '../../protocol';
import { createWorkerClient, type WorkerClient } from '../../shared/worker-client';
import { blobOf } from '../input-files';
import { decodeMethods, type DecodeMethods, type WireFile } from './decode-methods';
import type { Decoders } from './decoders';
import type { PrepareOutcome } from './prepare-input';

export interface DecodePoolOptions {
  size: number;
  spawn(index: number): WorkerLike;
  /** Inactivity limit of one item, ms (a large DICOM or a long record takes seconds). */
  timeoutMs?: number;
  heartbeatMs?: number;
  silentLimitMs?: number;
}

const fileOf = (item: DatasetItem) => item.files[0]?.path ?? item.id;

async function toWire(f: InputFile): Promise<WireFile> {
  const blob = blobOf(f) ?? new Blob([(await f.read()) as Uint8Array<ArrayBuffer>]);
  return { path: f.path, sizeBytes: f.sizeBytes, blob };
}

export function createDecodePool(o: DecodePoolOptions): Decoders {
  const size = Math.max(1, Math.floor(o.size));
  type Client = WorkerClient<DecodeMethods, typeof decodeMethods, never>;
  const workers: Client[] = Array.from({ length: size }, (_, i) =>
    createWorkerClient<DecodeMethods, typeof decodeMethods>({
      label: `decode ${i + 1}`,
      methods: decodeMethods,
      spawn: () => o.spawn(i),
      defaultTimeoutMs: o.timeoutMs ?? 120_000,
      heartbeatMs: o.heartbeatMs,
      silentLimitMs: o.silentLimitMs,
    }),
  );
  let disposed = false;
  return {
    parallelism: size,
    async prepare(item): Promise<PrepareOutcome> {
      try {
        if (disposed) throw new Error('the decode workers were stopped');
        const wire = { ...item, files: await Promise.all(item.files.map(toWire)) };
        const w = workers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
        const r = await w.call.prepare(wire);
        Object.assign(item.meta, r.meta);
        return r.outcome;
      } catch (e) {
        return { error: { file: fileOf(item), message: `could not read: ${e instanceof Error ? e.message : String(e)}` } };
      }
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const w of workers) w.dispose('the ingest ended');
    },
  };
}
