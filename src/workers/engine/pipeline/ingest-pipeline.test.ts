// Ingest as two stages over a bounded queue, on synthetic items (fake parsers, projection encoders,
// fake-indexeddb): items read ahead of the encoder stay bounded; report lines keep the drop's order; one
// failing parse among many is one line; a cancel mid-run, a full disk and an encoder error end the run cleanly; decode
// workers (in-process fakes running the real worker handlers) give the same report as in-line decoding.
import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { StorageFullError } from '../../../storage/errors';
import { fail, ok, type DatasetItem, type InputFile } from '../../../formats/types';
import { openStudioDb } from '../../../storage/db';
import { allItems } from '../../../storage/items';
import type { Progress } from '../../api';
import { serveRpc } from '../../rpc-worker';
import { FakeWorker } from '../../testing/fake-worker';
import { projectionEncoders } from '../../testing/projection-encoders';
import type { FormatDeps } from '../deps';
import { ingestFiles, type IngestContext } from '../ingest';
import { LibraryIndex } from '../library-index';
import { decodeHandlers } from './decode-handlers';
import type { DecodeMethods } from './decode-methods';
import { createDecodePool } from './decode-pool';

// A write that finds the disk full on the call numbered `fullOnWrite` (0: never).
const storage = vi.hoisted(() => ({ fullOnWrite: 0, writes: 0 }));
vi.mock('../../../storage/library', async (importActual) => {
  const actual = await importActual<typeof import('../../../storage/library')>();
  return {
    ...actual,
    saveLibraryBatch: async (...args: Parameters<typeof actual.saveLibraryBatch>) => {
      storage.writes++;
      if (storage.writes === storage.fullOnWrite) throw new StorageFullError('test quota');
      return actual.saveLibraryBatch(...args);
    },
  };
});

const INPUT_LEN = 12 * 1000;
const file = (path: string, seed: number): InputFile => {
  const bytes = new Uint8Array(64).map((_, i) => (seed * 31 + i * 7) & 255);
  bytes[0] = seed & 255;
  bytes[1] = seed >> 8;
  return { path, sizeBytes: bytes.length, read: async () => bytes.slice() };
};
const files = (n: number) => Array.from({ length: n }, (_, i) => file(`drop/rec${String(i).padStart(4, '0')}.ecg`, i));

/** Fake parsers: one ECG item per file; "bad" files fail to parse; counts items alive between parse and embed. */
function fakeDeps(bad = new Set<string>()) {
  const live = { now: 0, peak: 0, loaded: 0 };
  const deps: FormatDeps = {
    discoverDatasets: async (fs) => ({
      items: fs.map(
        (f): DatasetItem => ({
          id: `user/${f.path.split('/').pop()!.replace(/\.ecg$/, '')}`,
          modality: 'ecg',
          dataset: 'user',
          files: [f],
          labels: [],
          text: '',
          textVariants: [],
          patientKey: f.path,
          split: 'train',
          meta: {},
        }),
      ),
      errors: [],
      texts: [],
    }),
    loadItem: async (item) => {
      live.loaded++;
      await new Promise((r) => setTimeout(r, 0));
      const f = item.files[0];
      if (bad.has(f.path)) return fail(f.path, 'line 1: not a WFDB header');
      const b = await f.read();
      const signal = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / (5 + b[0])) + b[1]);
      return ok({ modality: 'ecg', record: { id: item.id, fsHz: 100, nSamples: 1000, leadNames: ['I'], signalsMv: [signal] } });
    },
    preprocessEcg: (rec) => {
      live.now++;
      live.peak = Math.max(live.peak, live.now);
      const input = new Float32Array(INPUT_LEN);
      for (let l = 0; l < 12; l++) input.set(rec.signalsMv[0], l * 1000);
      return ok({ input, display: { fsHz: 100, leads: [rec.signalsMv[0]] }, missingLeads: [] });
    },
    preprocessCxr: () => new Float32Array(224 * 224),
    makeThumb: async () => new Blob([]),
  };
  return { deps, live };
}

let seq = 0;
async function setup(over: Partial<IngestContext> & { bad?: Set<string>; failEcgCall?: number; encodeMs?: number } = {}) {
  const db = await openStudioDb({ name: `pipeline-${Date.now()}-${seq++}` });
  const encoders = projectionEncoders('v1');
  const { deps, live } = fakeDeps(over.bad);
  const embedEcg = encoders.embedEcg.bind(encoders);
  let calls = 0;
  encoders.embedEcg = async (x, n) => {
    calls++;
    await new Promise((r) => setTimeout(r, over.encodeMs ?? 2));
    if (over.failEcgCall === calls) throw new Error('ECG encoder: out of memory');
    live.now -= n;
    return embedEcg(x, n);
  };
  const index = new LibraryIndex(encoders.version, encoders.embedDim);
  const progress: Progress[] = [];
  const ctx: IngestContext = { db, encoders, index, deps, signal: new AbortController().signal, onProgress: (p) => progress.push(p), batchSize: 4, ...over };
  return { ctx, db, live, progress };
}

describe('ingest pipeline', () => {
  it('keeps the items parsed but not yet embedded within (read-ahead + 2) batches on a long drop', async () => {
    const { ctx, db, live } = await setup({ batchSize: 4, readAheadBatches: 2, encodeMs: 25 });
    const r = await ingestFiles(ctx, files(120));
    expect(r.added).toBe(120);
    // One batch being read, two queued, one being embedded: unbounded reading would reach 120.
    expect(live.peak).toBeLessThanOrEqual((2 + 2) * 4);
    expect(live.peak).toBeGreaterThan(4);
    expect(await allItems(db)).toHaveLength(120);
    db.close();
  });

  it('writes one report line per file, in drop order, with one failing parse among many', async () => {
    const fs = files(23);
    const { ctx, db } = await setup({ bad: new Set(['drop/rec0009.ecg']), batchSize: 4 });
    const r = await ingestFiles(ctx, fs);
    expect(r.added).toBe(22);
    // Batch by batch, in drop order; within a batch the files that could not be read come first.
    const order = fs.map((f) => f.path);
    order.splice(8, 2, 'drop/rec0009.ecg', 'drop/rec0008.ecg');
    expect(r.lines?.map((l) => l.file)).toEqual(order);
    const bad = r.lines?.filter((l) => l.status !== 'added');
    expect(bad).toHaveLength(1);
    expect(bad?.[0].file).toBe('drop/rec0009.ecg');
    expect(bad?.[0].message).toMatch(/not a WFDB header/);
    expect(r.errors.map((e) => e.file)).toEqual(['drop/rec0009.ecg']);
    db.close();
  });

  it('stops between batches on cancel: what was read ahead is not written, every file still has a line', async () => {
    const ctrl = new AbortController();
    const { ctx, db } = await setup({ batchSize: 4, signal: ctrl.signal });
    ctx.onProgress = (p) => {
      if (p.phase === 'embedding' && p.done >= 8) ctrl.abort();
    };
    const fs = files(40);
    const r = await ingestFiles(ctx, fs);
    expect(r.cancelled).toBe(true);
    expect(r.added).toBe(8);
    expect(r.lines).toHaveLength(40);
    expect(r.lines?.slice(8).every((l) => l.status === 'skipped' && /cancelled/.test(l.message))).toBe(true);
    expect(await allItems(db)).toHaveLength(8);
    db.close();
  });

  it('surfaces an encoder error and stops reading ahead', async () => {
    const { ctx, db, live } = await setup({ batchSize: 4, failEcgCall: 3 });
    await expect(ingestFiles(ctx, files(200))).rejects.toThrow('ECG encoder: out of memory');
    // Batches 1-3 reached the encoder; the reader stopped within its read-ahead.
    expect(live.loaded).toBeLessThanOrEqual((3 + 2 + 1) * 4);
    expect(await allItems(db)).toHaveLength(8);
    db.close();
  });

  it('stops on a full disk with what was saved, names every file not saved, and stops reading ahead', async () => {
    storage.writes = 0;
    storage.fullOnWrite = 3;
    try {
      const { ctx, db, live } = await setup({ batchSize: 4 });
      const fs = files(60);
      const r = await ingestFiles(ctx, fs);
      expect(r.added).toBe(8);
      expect(r.cancelled).toBe(false);
      expect(r.storageFull).toEqual({ savedItems: 8, notSavedFiles: fs.slice(8).map((f) => f.path) });
      expect(r.lines?.map((l) => l.file)).toEqual(fs.map((f) => f.path));
      expect(r.lines?.slice(8).every((l) => l.status === 'not-saved')).toBe(true);
      expect(live.loaded).toBeLessThanOrEqual((3 + 2 + 1) * 4);
      expect(await allItems(db)).toHaveLength(8);
      db.close();
    } finally {
      storage.fullOnWrite = 0;
    }
  });

  it('gives the same report and library on decode workers as in-line, and stops the workers at the end', async () => {
    const fs = files(18);
    const bad = new Set(['drop/rec0005.ecg']);
    const inline = await setup({ bad, batchSize: 4 });
    const a = await ingestFiles(inline.ctx, fs);

    const workers: FakeWorker[] = [];
    const pooled = await setup({ bad, batchSize: 4 });
    const r = await ingestFiles(
      {
        ...pooled.ctx,
        startDecoders: () =>
          createDecodePool({
            size: 3,
            spawn: () => {
              const w = new FakeWorker();
              serveRpc<DecodeMethods>(decodeHandlers(pooled.ctx.deps), w.scope);
              workers.push(w);
              return w;
            },
          }),
      },
      fs,
    );
    expect(workers.length).toBeGreaterThan(0);
    expect(workers.every((w) => w.terminated)).toBe(true);
    expect(r).toEqual(a);
    const [x, y] = [await allItems(inline.db), await allItems(pooled.db)];
    expect(y.map((i) => [i.id, i.contentHash])).toEqual(x.map((i) => [i.id, i.contentHash]));
    inline.db.close();
    pooled.db.close();
  });

  it('decodes a drop of one batch or less in-line (no workers start)', async () => {
    const { ctx, db } = await setup({ batchSize: 4 });
    let started = 0;
    const r = await ingestFiles({ ...ctx, startDecoders: () => (started++, null) }, files(4));
    expect(r.added).toBe(4);
    expect(started).toBe(0);
    db.close();
  });

  it('names the file of an item whose decode worker crashed, and goes on with the others', async () => {
    const { ctx, db } = await setup({ batchSize: 2 });
    const workers: FakeWorker[] = [];
    const r = await ingestFiles(
      {
        ...ctx,
        startDecoders: () =>
          createDecodePool({
            size: 1,
            spawn: () => {
              const w = new FakeWorker();
              const deps = { ...ctx.deps, loadItem: async (item: DatasetItem) => {
                // This file takes its worker down every time (re-run once on a fresh worker, then reported).
                if (item.files[0].path === 'drop/rec0002.ecg') {
                  setTimeout(() => w.crash('out of memory'), 0);
                  return new Promise<never>(() => undefined);
                }
                return ctx.deps.loadItem(item);
              } };
              serveRpc<DecodeMethods>(decodeHandlers(deps), w.scope);
              workers.push(w);
              return w;
            },
          }),
      },
      files(6),
    );
    expect(r.added).toBe(5);
    const line = r.lines?.find((l) => l.file === 'drop/rec0002.ecg');
    expect(line?.status).not.toBe('added');
    expect(line?.message).toMatch(/too large to decode/);
    expect(r.lines).toHaveLength(6);
    db.close();
  });
});
