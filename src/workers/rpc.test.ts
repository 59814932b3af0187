// The generic RPC client and handler registry over a fake Worker: every call settles, crashes and device
// losses respawn the worker and re-run idempotent calls once, cancel and timeout reach the handler.
import { describe, expect, it } from 'vitest';
import { RpcClient } from './rpc-client';
import { serveRpc, throwIfCancelled, type Handlers, type RpcServer } from './rpc-worker';
import { RpcError, withTransfer } from './protocol';
import { FakeWorker } from './testing/fake-worker';

type Api = {
  add: { params: { a: number; b: number }; result: number };
  fail: { params: null; result: never };
  hang: { params: null; result: never };
  slow: { params: { steps: number }; result: { done: number; cancelled: boolean }; progress: number };
  bytes: { params: { n: number }; result: Float32Array<ArrayBuffer> };
  storageFull: { params: null; result: never };
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Spawns fake workers that serve `Api`; `runs` counts handler starts per method across workers. */
function setup(opts: { timeoutMs?: number; graceMs?: number } = {}) {
  const workers: FakeWorker[] = [];
  const servers: RpcServer[] = [];
  const runs: Record<string, number> = {};
  const events: unknown[] = [];
  const restarts: string[] = [];
  const handlers: Handlers<Api> = {
    add: ({ a, b }) => ((runs.add = (runs.add ?? 0) + 1), a + b),
    fail: () => {
      throw new TypeError('bad thing');
    },
    hang: () => ((runs.hang = (runs.hang ?? 0) + 1), new Promise<never>(() => undefined)),
    slow: async ({ steps }, ctx) => {
      runs.slow = (runs.slow ?? 0) + 1;
      let done = 0;
      for (; done < steps; done++) {
        if (ctx.signal.aborted) return { done, cancelled: true };
        ctx.progress(done);
        await sleep(5);
      }
      return { done, cancelled: false };
    },
    bytes: ({ n }) => {
      const a = new Float32Array(n).fill(2);
      return withTransfer(a, [a.buffer]);
    },
    storageFull: () => {
      throw Object.assign(new Error('Browser storage is full'), { name: 'StorageFullError', code: 'storage-full' });
    },
  };
  const client = new RpcClient<Api>({
    spawn: () => {
      const w = new FakeWorker();
      workers.push(w);
      servers.push(serveRpc<Api>(handlers, w.scope));
      return w;
    },
    defaultTimeoutMs: opts.timeoutMs ?? 2000,
    cancelGraceMs: opts.graceMs ?? 200,
    onEvent: (e) => events.push(e),
    onRestart: (r) => restarts.push(r),
  });
  return { client, workers, servers, runs, events, restarts };
}

const code = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    return (e as RpcError).code;
  }
};

describe('rpc client + worker registry', () => {
  it('returns results and typed errors, and reports unknown methods', async () => {
    const { client } = setup();
    expect(await client.call('add', { a: 2, b: 3 }).promise).toBe(5);
    const err = await client.call('fail', null).promise.catch((e: RpcError) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('handler');
    expect((err as RpcError).remoteName).toBe('TypeError');
    expect((err as RpcError).message).toBe('bad thing');
    expect(await code(client.call('storageFull', null).promise)).toBe('storage-full');
    expect(await code((client as unknown as RpcClient<Record<string, { params: null; result: unknown }>>).call('nope', null).promise)).toBe('unknown-method');
    expect(client.inFlight).toBe(0);
  });

  it('transfers result buffers', async () => {
    const { client } = setup();
    const v = await client.call('bytes', { n: 4 }).promise;
    expect(v).toBeInstanceOf(Float32Array);
    expect([...v]).toEqual([2, 2, 2, 2]);
  });

  it('forwards progress and events', async () => {
    const { client, servers, events } = setup();
    const seen: number[] = [];
    const r = await client.call('slow', { steps: 3 }, { onProgress: (p) => seen.push(p) }).promise;
    expect(r).toEqual({ done: 3, cancelled: false });
    expect(seen).toEqual([0, 1, 2]);
    servers[0].emit({ type: 'library-changed' });
    await sleep(5);
    expect(events).toEqual([{ type: 'library-changed' }]);
  });

  it('cancel reaches the handler, which may answer with a partial result', async () => {
    const { client } = setup();
    const call = client.call('slow', { steps: 1000 });
    await sleep(20);
    call.cancel();
    const r = await call.promise;
    expect(r.cancelled).toBe(true);
    expect(r.done).toBeLessThan(1000);
  });

  it('cancel settles as cancelled when the handler never answers', async () => {
    const { client } = setup({ graceMs: 30 });
    const call = client.call('hang', null);
    call.cancel();
    expect(await code(call.promise)).toBe('cancelled');
  });

  it('times out a silent call but not one that keeps reporting progress', async () => {
    const { client } = setup({ timeoutMs: 40 });
    expect(await code(client.call('hang', null).promise)).toBe('timeout');
    // 20 steps of 5 ms = 100 ms in all, longer than the timeout, but progress keeps it alive.
    expect((await client.call('slow', { steps: 20 }).promise).done).toBe(20);
  });

  it('a crash mid-call fails non-idempotent calls and respawns for the next call', async () => {
    const { client, workers, restarts } = setup();
    const call = client.call('hang', null);
    await sleep(5);
    workers[0].crash('out of memory');
    const c = await call.promise.catch((e: RpcError) => e);
    expect((c as RpcError).code).toBe('crashed');
    expect((c as RpcError).message).toMatch(/out of memory/);
    expect(workers[0].terminated).toBe(true);
    expect(restarts.length).toBe(1);
    expect(await client.call('add', { a: 1, b: 1 }).promise).toBe(2);
    expect(workers.length).toBe(2);
  });

  it('re-runs an idempotent call once after a crash, then gives up', async () => {
    const { client, workers, runs } = setup();
    const call = client.call('hang', null, { idempotent: true });
    await sleep(5);
    workers[0].crash();
    await sleep(5);
    expect(runs.hang).toBe(2); // re-run on the fresh worker
    expect(workers.length).toBe(2);
    workers[1].crash();
    expect(await code(call.promise)).toBe('crashed');
    expect(runs.hang).toBe(2);
  });

  it('re-runs an idempotent call after a device loss and completes it', async () => {
    const { client, workers, servers, runs, restarts } = setup();
    const call = client.call('slow', { steps: 30 }, { idempotent: true });
    await sleep(15);
    servers[0].deviceLost('GPU reset');
    const r = await call.promise;
    expect(r).toEqual({ done: 30, cancelled: false });
    expect(runs.slow).toBe(2);
    expect(workers[0].terminated).toBe(true);
    expect(restarts[0]).toMatch(/GPU reset/);
  });

  it('a garbled message counts as a crash; terminate settles everything and refuses new calls', async () => {
    const { client, workers } = setup();
    const a = client.call('hang', null);
    await sleep(5);
    workers[0].garble();
    expect(await code(a.promise)).toBe('crashed');
    const b = client.call('hang', null);
    const c = client.call('slow', { steps: 100 });
    client.terminate();
    expect(await code(b.promise)).toBe('terminated');
    expect(await code(c.promise)).toBe('terminated');
    expect(await code(client.call('add', { a: 1, b: 2 }).promise)).toBe('terminated');
    expect(client.inFlight).toBe(0);
  });

  it('throwIfCancelled raises a typed cancellation', () => {
    const ctrl = new AbortController();
    expect(() => throwIfCancelled(ctrl.signal)).not.toThrow();
    ctrl.abort();
    expect(() => throwIfCancelled(ctrl.signal)).toThrow(expect.objectContaining({ code: 'cancelled' }));
  });
});
