// The client derived from a method spec: the spec's idempotence decides what a crash re-runs, jobs get
// progress and cancel, the spec's timeout applies, every client (the explorer's included) reports a
// replaced worker as an event, and a broken open is retried.
import { describe, expect, it } from 'vitest';
import type { ExplorerMethods } from '../explorer/methods';
import { serveRpc, type Handlers } from '../rpc-worker';
import { FakeWorker } from '../testing/fake-worker';
import { createWorkerClient, type MethodSpecs, type RestartEvent } from './worker-client';
import { lazyDb } from './lazy-db';
import { createExplorerClient } from '../explorer/client';

type M = {
  read: { params: { n: number }; result: number };
  write: { params: { n: number }; result: number };
  long: { params: null; result: string; progress: number };
  slow: { params: null; result: null };
};

const spec = {
  read: { idempotent: true },
  write: { idempotent: false },
  long: { idempotent: true, job: true },
  slow: { idempotent: true, timeoutMs: 40 },
} as const satisfies MethodSpecs<M>;

function setup(hold: { crashOnce: boolean }) {
  const workers: FakeWorker[] = [];
  const runs = { read: 0, write: 0 };
  const handlers: Handlers<M> = {
    read: async ({ n }) => {
      runs.read++;
      if (hold.crashOnce) {
        hold.crashOnce = false;
        setTimeout(() => workers.at(-1)!.crash('out of memory'), 0);
        return new Promise<number>(() => undefined);
      }
      return n * 2;
    },
    write: async ({ n }) => {
      runs.write++;
      if (hold.crashOnce) {
        hold.crashOnce = false;
        setTimeout(() => workers.at(-1)!.crash('out of memory'), 0);
        return new Promise<number>(() => undefined);
      }
      return n;
    },
    long: async (_p, ctx) => {
      for (let i = 1; i <= 3; i++) {
        if (ctx.signal.aborted) throw Object.assign(new Error('cancelled'), { code: 'cancelled' });
        ctx.progress(i);
        await new Promise((r) => setTimeout(r, 5));
      }
      return 'done';
    },
    slow: () => new Promise<null>(() => undefined),
  };
  const client = createWorkerClient<M, typeof spec>({
    label: 'test',
    methods: spec,
    defaultTimeoutMs: 5_000,
    heartbeatMs: 0,
    spawn: () => {
      const w = new FakeWorker();
      serveRpc<M>(handlers, w.scope);
      workers.push(w);
      return w;
    },
  });
  return { client, runs, workers };
}

describe('createWorkerClient', () => {
  it('re-runs an idempotent call after a crash and reports the restart', async () => {
    const hold = { crashOnce: true };
    const { client, runs } = setup(hold);
    const events: RestartEvent[] = [];
    client.onEvent((e) => events.push(e));
    await expect(client.call.read({ n: 21 })).resolves.toBe(42);
    expect(runs.read).toBe(2);
    expect(events).toEqual([{ type: 'worker-restarted', reason: expect.stringContaining('out of memory') }]);
    client.dispose();
  });

  it('fails a non-idempotent call on a crash instead of running it twice', async () => {
    const { client, runs } = setup({ crashOnce: true });
    await expect(client.call.write({ n: 1 })).rejects.toMatchObject({ code: 'crashed' });
    expect(runs.write).toBe(1);
    client.dispose();
  });

  it('a job reports progress and can be cancelled; the spec timeout applies; dispose settles the rest', async () => {
    const { client } = setup({ crashOnce: false });
    const seen: number[] = [];
    await expect(client.call.long(null, (p) => seen.push(p)).promise).resolves.toBe('done');
    expect(seen).toEqual([1, 2, 3]);
    const job = client.call.long(null);
    job.cancel();
    await expect(job.promise).rejects.toMatchObject({ code: 'cancelled' });
    await expect(client.call.slow(null)).rejects.toMatchObject({ code: 'timeout' });
    const pending = client.call.slow(null);
    client.dispose();
    await expect(pending).rejects.toMatchObject({ code: 'terminated' });
    expect(client.inFlight).toBe(0);
  });

  it("the explorer's client surfaces a crash of its worker", async () => {
    const workers: FakeWorker[] = [];
    const explorer = createExplorerClient(() => {
      const w = new FakeWorker();
      workers.push(w);
      serveRpc({ load: () => new Promise(() => undefined) } as Partial<Handlers<ExplorerMethods>> as Handlers<ExplorerMethods>, w.scope);
      return w;
    });
    const events: RestartEvent[] = [];
    explorer.onEvent((e) => events.push(e));
    const p = explorer.load('v1');
    await new Promise((r) => setTimeout(r, 5));
    workers[0].crash('explorer ran out of memory');
    await new Promise((r) => setTimeout(r, 5));
    expect(events[0]).toMatchObject({ type: 'worker-restarted', reason: expect.stringContaining('explorer ran out of memory') });
    explorer.dispose();
    await expect(p).rejects.toMatchObject({ code: 'terminated' });
  });
});

describe('lazyDb', () => {
  it('shares one open and retries after a failed one', async () => {
    let opens = 0;
    const db = lazyDb(async () => {
      opens++;
      if (opens === 1) throw new Error('blocked by another tab');
      return { name: 'db' };
    });
    await expect(db()).rejects.toThrow(/blocked/);
    const [a, b] = await Promise.all([db(), db()]);
    expect(a).toBe(b);
    expect(opens).toBe(2);
  });
});
