// The StudioApi client against a fake Worker that runs the real engine handlers (fake-indexeddb, real
// parsers, a small projection model): every method, events, crash and device loss mid-ingest with
// respawn and re-run, forced backends through the worker name, and dispose.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { createStudioClient } from './client';
import { serveRpc, type RpcServer } from './rpc-worker';
import { RpcError } from './protocol';
import { FakeWorker } from './testing/fake-worker';
import { engineHandlers } from './engine/handlers';
import type { EngineMethods } from './engine/methods';
import { parseBackendParam } from './engine/methods';
import type { StudioEvent } from './api';
import { cxrA, ecgA, ecgB, broken, makeEngine } from './testing/engine-fixtures';

let seq = 0;

/** `gate` runs before each ECG embedding inside the worker (to order events deterministically). */
function harness(search = '', batchSize = 2, gate?: (w: FakeWorker) => Promise<void>) {
  const dbName = `client-test-${Date.now()}-${seq++}`;
  const workers: FakeWorker[] = [];
  const servers: RpcServer[] = [];
  const names: string[] = [];
  const choices: string[] = [];
  const client = createStudioClient({
    search,
    timeoutMs: 20_000,
    spawn: (name) => {
      names.push(name);
      const w = new FakeWorker();
      let server: RpcServer | null = null;
      const { engine, choices: c, encoders } = makeEngine({ dbName, batchSize, forced: parseBackendParam(name), emit: (e) => server?.emit(e) });
      if (gate) {
        const embedEcg = encoders.embedEcg.bind(encoders);
        encoders.embedEcg = async (x, n) => (await gate(w), embedEcg(x, n));
      }
      // Record the backend each worker's engine was asked for.
      const origBackend = engine.backend.bind(engine);
      engine.backend = async () => {
        const info = await origBackend();
        choices.push(c.at(-1)!);
        return info;
      };
      server = serveRpc<EngineMethods>(engineHandlers(engine), w.scope);
      workers.push(w);
      servers.push(server);
      return w;
    },
  });
  const events: StudioEvent[] = [];
  client.onEvent((e) => events.push(e));
  return { client, workers, servers, names, events, choices };
}

describe('createStudioClient', () => {
  it('activates a version through the engine: progress on the job, one re-embedding event type, the version changed', async () => {
    const { client, events } = harness();
    await client.ingest([...ecgA, cxrA], () => undefined).promise;
    const progress: number[] = [];
    const out = await client.activateVersion('ft-1', (p) => progress.push(p.done)).promise;
    expect(out.version).toBe('ft-1');
    expect(out.embedded).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toBe(out.embedded);
    expect(await client.activeVersion()).toBe('ft-1');
    expect(events).toContainEqual({ type: 'active-version', version: 'ft-1' });
    expect(events.filter((e) => e.type === 'reembed').at(-1)).toMatchObject({ version: 'ft-1', phase: 'done', done: out.embedded, total: out.embedded });
    client.dispose();
  });

  it('implements the library and search calls end to end', async () => {
    const { client, events } = harness();
    const progress: number[] = [];
    const report = await client.ingest([...ecgA, ...ecgB, cxrA, broken], (p) => progress.push(p.done)).promise;
    expect(report).toMatchObject({ added: 3, skipped: 0, cancelled: false });
    expect(report.errors).toHaveLength(1);
    expect(progress.length).toBeGreaterThan(1);
    expect(events.some((e) => e.type === 'backend')).toBe(true);
    expect(events.some((e) => e.type === 'library-changed')).toBe(true);

    const stats = await client.stats();
    expect(stats.byModality).toEqual({ ecg: 2, cxr: 1 });
    expect(await client.activeVersion()).toBe('v1');

    const res = await client.searchFiles([cxrA], 2);
    expect(res.cxr[0].similarity).toBeCloseTo(1, 5);
    const ecg = await client.getEcg(res.ecg[0].id);
    expect(ecg.leadsMv[1]).toBeInstanceOf(Float32Array);
    const thumb = await client.getThumb(res.cxr[0].id);
    expect(thumb.size).toBeGreaterThan(100);
    const v = await client.embedText('normal sinus rhythm');
    expect(v).toBeInstanceOf(Float32Array);
    expect(v.length).toBe(16);
    const byText = await client.searchText(res.ecg[0].text, 1);
    expect(byText.text[0].text).toBe(res.ecg[0].text);

    const err = await client.getEcg('missing/id').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('bad-input');

    await client.clearLibrary();
    expect((await client.stats()).total).toBe(0);
    client.dispose();
    await expect(client.stats()).rejects.toMatchObject({ code: 'terminated' });
  });

  it('respawns after a crash mid-ingest and finishes the job', async () => {
    const { client, workers, events } = harness();
    let crashed = false;
    const job = client.ingest([...ecgA, ...ecgB, cxrA], (p) => {
      if (!crashed && p.phase === 'embedding' && p.done >= 2) {
        crashed = true;
        workers[0].crash('simulated crash');
      }
    });
    const report = await job.promise;
    expect(crashed).toBe(true);
    expect(workers).toHaveLength(2);
    expect(events.find((e) => e.type === 'worker-restarted')).toMatchObject({ reason: expect.stringContaining('simulated crash') });
    // The re-run skips what the first worker stored; together they hold all three items.
    expect(report.added + report.skipped).toBe(3);
    expect((await client.stats()).total).toBe(3);
    client.dispose();
  });

  it('respawns after a device loss and re-runs the search', async () => {
    const { client, workers, servers, events } = harness();
    await client.ingest([cxrA], () => undefined).promise;
    const pending = client.searchFiles([cxrA], 1);
    servers[0].deviceLost('GPU hung');
    const res = await pending;
    expect(res.cxr[0].sourceName).toBe('IM-0036-0001.jpeg');
    expect(workers[0].terminated).toBe(true);
    expect(events.some((e) => e.type === 'worker-restarted' && /GPU hung/.test(e.reason))).toBe(true);
    client.dispose();
  });

  it('passes ?backend= to the worker and setBackend replaces the worker', async () => {
    const { client, names, choices, workers } = harness('?backend=wasm');
    expect((await client.backend()).forced).toBe(true);
    expect(names[0]).toBe('medbind-engine?backend=wasm');
    expect(choices).toEqual(['wasm']);
    const info = await client.setBackend('cpu');
    expect(info.forced).toBe(true);
    expect(workers[0].terminated).toBe(true);
    expect(names[1]).toBe('medbind-engine?backend=cpu');
    expect(choices).toEqual(['wasm', 'cpu']);
    await client.setBackend('auto');
    expect(names[2]).toBe('medbind-engine');
    expect(choices.at(-1)).toBe('auto');
    client.dispose();
  });

  it('a backend change during an ingest waits for it instead of ending it', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { client, workers, names } = harness('', 2, () => held);
    const job = client.ingest([...ecgA, ...ecgB], () => undefined);
    const switched = client.setBackend('cpu');
    await new Promise((r) => setTimeout(r, 50));
    expect(client.jobRunning?.()).toBe(true);
    expect(workers[0].terminated).toBe(false); // the job's worker stays while the job runs
    release();
    const report = await job.promise;
    expect(report).toMatchObject({ added: 2, cancelled: false });
    expect((await switched).forced).toBe(true);
    expect(workers[0].terminated).toBe(true);
    expect(names.at(-1)).toBe('medbind-engine?backend=cpu');
    client.dispose();
  });

  it('cancel settles an ingest job with a partial report', async () => {
    // Cancel while the first batch is being embedded, and let that batch wait until the cancel message
    // has reached the worker: the batch completes, the next one is not started.
    let job: ReturnType<typeof client.ingest> | null = null;
    const cancelDuringFirstBatch = async (w: FakeWorker) => {
      job?.cancel();
      while (!w.sent.some((m) => (m as { kind?: string }).kind === 'cancel')) await new Promise((r) => setTimeout(r, 1));
      await new Promise((r) => setTimeout(r, 5));
    };
    const { client } = harness('', 1, cancelDuringFirstBatch);
    job = client.ingest([...ecgA, ...ecgB, cxrA], () => undefined);
    const report = await job.promise;
    expect(report.cancelled).toBe(true);
    expect(report.added).toBe(1); // the batch in flight completes, the rest is not started
    expect((await client.stats()).total).toBe(1);
    client.dispose();
  });
});
