import { describe, expect, it } from 'vitest';
import type { IngestReport, LibraryStats, Progress, SearchResults, StudioApi, StudioEvent } from '../../workers/api';
import {
  cancelIngest,
  getStudioState,
  initStudio,
  searchByText,
  startIngest,
} from './studio';

/** An in-memory StudioApi whose jobs and searches are settled by the test. */
function fakeApi() {
  let total = 0;
  const listeners = new Set<(e: StudioEvent) => void>();
  const ingests: { onProgress(p: Progress): void; resolve(r: IngestReport): void; cancelled: boolean }[] = [];
  const searches: { text: string; resolve(r: SearchResults): void }[] = [];
  const stats = (): LibraryStats => ({
    total,
    byModality: { ecg: total, cxr: 0 },
    byLabel: { ecg: {}, cxr: {} },
    byDataset: {},
    storageBytes: null,
    storageQuotaBytes: null,
    modelVersion: 'v1',
  });
  const api = {
    backend: async () => ({ backend: 'wasm', adapter: null, reason: 'WebGPU is not available', forced: false }),
    stats: async () => stats(),
    ingest(_files, onProgress) {
      let resolve!: (r: IngestReport) => void;
      const promise = new Promise<IngestReport>((r) => (resolve = r));
      const entry = { onProgress, resolve, cancelled: false };
      ingests.push(entry);
      return { promise, cancel: () => (entry.cancelled = true) };
    },
    searchText(text) {
      return new Promise<SearchResults>((resolve) => searches.push({ text, resolve }));
    },
    onEvent(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
  } as Partial<StudioApi> as StudioApi;
  return { api, ingests, searches, emit: (e: StudioEvent) => listeners.forEach((l) => l(e)), setTotal: (n: number) => (total = n) };
}

const results = (name: string): SearchResults => ({
  query: { kind: 'text', name, findings: [] },
  ecg: [],
  cxr: [],
  text: [],
  elapsedMs: 1,
});

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('studio state', () => {
  const fake = fakeApi();
  initStudio(fake.api);

  it('loads backend info and stats on start', async () => {
    await tick();
    expect(getStudioState().backend?.reason).toBe('WebGPU is not available');
    expect(getStudioState().stats?.total).toBe(0);
  });

  it('tracks an ingest job: progress, one job at a time, cancel, report and fresh stats', async () => {
    const file = { path: 'a/b.hea', file: new Blob(['x']) };
    startIngest([file]);
    startIngest([file, file]); // ignored while one runs
    expect(fake.ingests).toHaveLength(1);
    expect(getStudioState().ingest).toMatchObject({ running: true, label: 'a/b.hea' });
    fake.ingests[0].onProgress({ done: 1, total: 4, itemsPerSec: 2, etaSec: 1.5, phase: 'parsing' });
    expect(getStudioState().ingest.progress?.done).toBe(1);
    cancelIngest();
    expect(fake.ingests[0].cancelled).toBe(true);
    fake.setTotal(1);
    fake.ingests[0].resolve({ added: 1, skipped: 0, errors: [{ file: 'a/c.dat', message: 'byte 0: empty' }], cancelled: true });
    await tick();
    await tick();
    const s = getStudioState();
    expect(s.ingest.running).toBe(false);
    expect(s.ingest.report?.errors[0].file).toBe('a/c.dat');
    expect(s.stats?.total).toBe(1);
  });

  it('keeps only the latest search when replies arrive out of order', async () => {
    const first = searchByText('pneumonia', 5);
    const second = searchByText('atrial fibrillation', 5);
    fake.searches[1].resolve(results('second'));
    await second;
    fake.searches[0].resolve(results('first'));
    await first;
    expect(getStudioState().search.results?.query.name).toBe('second');
    expect(getStudioState().search.running).toBe(false);
  });

  it('reacts to worker events', async () => {
    fake.emit({ type: 'worker-restarted', reason: 'device lost' });
    expect(getStudioState().notices.at(-1)?.text).toContain('device lost');
    fake.emit({ type: 'worker-restarted', reason: 'device lost' });
    expect(getStudioState().notices).toHaveLength(1);
    expect(getStudioState().notices[0].count).toBe(2);
    fake.emit({ type: 'reembed', version: 'ft-1', done: 3, total: 10, phase: 'running' });
    expect(getStudioState().reembed).toEqual({ version: 'ft-1', done: 3, total: 10, phase: 'running' });
    fake.emit({ type: 'reembed', version: 'ft-1', done: 10, total: 10, phase: 'done' });
    expect(getStudioState().reembed).toBeNull();
  });
});
