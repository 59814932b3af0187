// Long-running work of the app (ingest, fine-tuning, probes, zero-shot runs, comparisons, binding,
// clinical runs...) as one mechanism: `runJob(key, start)` keeps each job's status, progress, result and
// error in a store outside React, so a job started on one page is still running (and its result still
// shown) after the user navigated away and back. One job per key runs at a time; `cancelJob(key)` asks
// the worker to stop it.
import { errorMessage } from './errors';
import { createStore, useStore } from './store';

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobState<R = unknown, P = unknown> {
  key: string;
  status: JobStatus;
  /** What the job works on, for the user (e.g. "Demo library", "12 files"). */
  label: string;
  /** The latest progress, or what `foldProgress` made of all progress so far; null before the first. */
  progress: P | null;
  result: R | null;
  error: string | null;
  /** Wall-clock start, ms since the epoch; a new run of the same key has a larger value. */
  startedAtMs: number;
}

/** What a worker call returns: a cancellable job, or a plain promise (not cancellable). */
export type Startable<R> = { promise: Promise<R>; cancel(): void } | Promise<R>;

export interface RunJobOptions<R, P> {
  label?: string;
  /** Also called with each progress report (e.g. to fold epochs into a page's own slice). */
  onProgress?: (p: P) => void;
  /** How to stop the job when it is not the call's own cancel (e.g. a worker control message). */
  cancel?: () => unknown;
  /** A result that means the job stopped on request (a run that reports "cancelled" as its outcome). */
  isCancelled?: (result: R) => boolean;
}

type Jobs = Record<string, JobState>;

const store = createStore<{ jobs: Jobs }>({ jobs: {} });
const running = new Map<string, { promise: Promise<JobState>; cancel: () => void; cancelled: boolean }>();

const isCancelledError = (e: unknown) => typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'cancelled';

function patch(key: string, startedAtMs: number, p: Partial<JobState>): void {
  store.set((s) => {
    const cur = s.jobs[key];
    // A patch of an older run of the same key (cleared meanwhile) is dropped.
    if (!cur || cur.startedAtMs !== startedAtMs) return {};
    return { jobs: { ...s.jobs, [key]: { ...cur, ...p } } };
  });
}

let lastStartMs = 0;
/** Strictly increasing start stamps, so two runs started in the same millisecond stay apart. */
const stamp = () => (lastStartMs = Math.max(Date.now(), lastStartMs + 1));

/**
 * Starts the job `key` unless one with that key runs (then the running one's promise is returned).
 * Never rejects: resolves with the job's final state (done with its result, failed with why, or cancelled).
 */
export function runJob<R, P = unknown>(
  key: string,
  start: (onProgress: (p: P) => void) => Startable<R>,
  opts: RunJobOptions<R, P> = {},
): Promise<JobState<R, P>> {
  const existing = running.get(key);
  if (existing) return existing.promise as Promise<JobState<R, P>>;
  const startedAtMs = stamp();
  const final = () => getJob<R, P>(key) ?? { key, status: 'failed' as const, label: opts.label ?? '', progress: null, result: null, error: 'the job was cleared', startedAtMs };
  store.set((s) => ({
    jobs: { ...s.jobs, [key]: { key, status: 'running', label: opts.label ?? '', progress: null, result: null, error: null, startedAtMs } },
  }));
  const onProgress = (p: P) => {
    const cur = store.get().jobs[key];
    if (!cur || cur.startedAtMs !== startedAtMs || cur.status !== 'running') return;
    patch(key, startedAtMs, { progress: p });
    opts.onProgress?.(p);
  };
  let call: Startable<R>;
  try {
    call = start(onProgress);
  } catch (e) {
    patch(key, startedAtMs, { status: 'failed', error: errorMessage(e) });
    return Promise.resolve(final());
  }
  const promise = 'then' in call ? call : call.promise;
  const ownCancel = 'then' in call ? () => undefined : call.cancel;
  const entry = {
    promise: undefined as unknown as Promise<JobState>,
    cancel: opts.cancel ? () => void opts.cancel!() : ownCancel,
    cancelled: false,
  };
  entry.promise = promise
    .then(
      (result) => {
        const stopped = opts.isCancelled?.(result) ?? false;
        patch(key, startedAtMs, { status: stopped ? 'cancelled' : 'done', result });
      },
      (e: unknown) => {
        const cancelled = entry.cancelled || isCancelledError(e);
        patch(key, startedAtMs, { status: cancelled ? 'cancelled' : 'failed', error: cancelled ? null : errorMessage(e) });
      },
    )
    .then(() => {
      if (running.get(key) === entry) running.delete(key);
      return final() as JobState;
    });
  running.set(key, entry);
  return entry.promise as Promise<JobState<R, P>>;
}

/** Asks the running job `key` to stop; its state becomes 'cancelled' once the worker has stopped. */
export function cancelJob(key: string): void {
  const j = running.get(key);
  if (!j) return;
  j.cancelled = true;
  j.cancel();
}

export function isJobRunning(key: string): boolean {
  return running.has(key);
}

export function getJob<R = unknown, P = unknown>(key: string): JobState<R, P> | null {
  return (store.get().jobs[key] as JobState<R, P> | undefined) ?? null;
}

/** Forgets a finished job's state (e.g. after the data it describes was deleted); a running one stays. */
export function clearJob(key: string): void {
  if (running.has(key)) return;
  store.set((s) => {
    if (!(key in s.jobs)) return {};
    const jobs = { ...s.jobs };
    delete jobs[key];
    return { jobs };
  });
}

/** The job's state for a component (null before its first run); re-renders on change. */
export function useJob<R = unknown, P = unknown>(key: string): JobState<R, P> | null {
  return useStore(store, (s) => (s.jobs[key] as JobState<R, P> | undefined) ?? null);
}

/** Subscribes outside React (tests, derived state). */
export const subscribeJobs = store.subscribe;
