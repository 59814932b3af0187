// runJob: one run per key, state kept outside components (a page that unmounts and comes back finds
// the job still running, then its result), cancel through the call or through a control message, and
// failures named.
import { describe, expect, it } from 'vitest';
import { cancelJob, clearJob, getJob, isJobRunning, runJob, subscribeJobs } from './jobs';

/** A worker call the test settles by hand. */
function deferredCall<R, P = number>() {
  let resolve!: (r: R) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<R>((res, rej) => ((resolve = res), (reject = rej)));
  const call = { promise, cancelled: 0, onProgress: null as ((p: P) => void) | null, cancel: () => void call.cancelled++ };
  return { call, resolve, reject };
}

describe('runJob', () => {
  it('keeps progress and the result in the store, not in the caller, and runs one job per key', async () => {
    const d = deferredCall<string>();
    let starts = 0;
    const start = (onProgress: (p: number) => void) => {
      starts++;
      d.call.onProgress = onProgress;
      return d.call;
    };
    // A "page" starts the job and goes away: it keeps no reference to anything.
    const first = runJob<string, number>('t/survive', start, { label: 'demo' });
    expect(getJob('t/survive')).toMatchObject({ status: 'running', label: 'demo', progress: null });
    // Back on the page (a second mount): starting again returns the running job instead of a second run.
    const second = runJob<string, number>('t/survive', start);
    expect(starts).toBe(1);
    d.call.onProgress!(3);
    expect(getJob<string, number>('t/survive')!.progress).toBe(3);
    expect(isJobRunning('t/survive')).toBe(true);
    d.resolve('report');
    const [a, b] = await Promise.all([first, second]);
    expect(a).toMatchObject({ status: 'done', result: 'report', progress: 3, error: null });
    expect(b).toBe(a);
    expect(getJob('t/survive')).toEqual(a);
    expect(isJobRunning('t/survive')).toBe(false);
  });

  it('notifies subscribers on each change', async () => {
    const d = deferredCall<number>();
    const seen: string[] = [];
    const off = subscribeJobs(() => seen.push(getJob('t/notify')?.status ?? 'none'));
    const done = runJob('t/notify', () => d.call);
    d.resolve(1);
    await done;
    off();
    expect(seen[0]).toBe('running');
    expect(seen.at(-1)).toBe('done');
  });

  it('cancels through the call: the worker rejects with code "cancelled" and the state says cancelled', async () => {
    const d = deferredCall<string>();
    const done = runJob('t/cancel', () => d.call);
    cancelJob('t/cancel');
    expect(d.call.cancelled).toBe(1);
    d.reject(Object.assign(new Error('probe: cancelled'), { code: 'cancelled' }));
    expect(await done).toMatchObject({ status: 'cancelled', error: null, result: null });
  });

  it('cancels through a control message when given one, and reads a "cancelled" outcome as cancelled', async () => {
    const d = deferredCall<{ status: 'done' | 'cancelled' }>();
    let controlled = 0;
    const done = runJob('t/control', () => d.call, { cancel: () => controlled++, isCancelled: (o) => o.status === 'cancelled' });
    cancelJob('t/control');
    expect(controlled).toBe(1);
    expect(d.call.cancelled).toBe(0); // the call itself keeps running until the worker stops it
    d.resolve({ status: 'cancelled' });
    expect(await done).toMatchObject({ status: 'cancelled', result: { status: 'cancelled' } });
  });

  it('names the failure: a rejected call and a start that throws', async () => {
    const d = deferredCall<string>();
    const done = runJob('t/fail', () => d.call);
    d.reject(new Error('zeroShotRun: the lab worker crashed'));
    expect(await done).toMatchObject({ status: 'failed', error: 'zeroShotRun: the lab worker crashed' });
    const thrown = await runJob('t/throw', () => {
      throw new Error('no prompt set');
    });
    expect(thrown).toMatchObject({ status: 'failed', error: 'no prompt set' });
    expect(isJobRunning('t/throw')).toBe(false);
  });

  it('accepts a plain promise (not cancellable) and starts a fresh run after the last one ended', async () => {
    const one = await runJob('t/plain', () => Promise.resolve(1));
    const two = await runJob('t/plain', () => Promise.resolve(2));
    expect(one.result).toBe(1);
    expect(two.result).toBe(2);
    expect(two.startedAtMs).toBeGreaterThan(one.startedAtMs);
  });

  it('clearJob forgets a finished job but never a running one', async () => {
    const d = deferredCall<string>();
    const done = runJob('t/clear', () => d.call);
    clearJob('t/clear');
    expect(getJob('t/clear')?.status).toBe('running');
    d.resolve('x');
    await done;
    clearJob('t/clear');
    expect(getJob('t/clear')).toBeNull();
  });
});
