// Runs a long job under a journal entry (storage/jobs.ts) and a Web Lock named after it, so that the next
// start can tell a job that is still running in another tab (its lock is held) from one that a reload,
// a crash or a killed browser cut short (entry left, lock free). Where Web Locks are missing (Node
// tests) only jobs of this process count as running.
import type { StudioDb } from '../storage/db';
import { endJob, listJobs, putJob, type JobEntry, type JobKind } from '../storage/jobs';

interface LockManagerLike {
  request(name: string, cb: () => Promise<void>): Promise<void>;
  query(): Promise<{ held?: { name?: string }[] }>;
}

const locks = (): LockManagerLike | undefined => (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator?.locks;
const LOCK_PREFIX = 'medbind-job:';
const running = new Set<string>();

export interface JournalHandle {
  /** Records progress (cheap enough to call after every batch). */
  update(done: number, total: number): Promise<void>;
}

/** Runs `work` with a journal entry that lasts until it settles. Journal failures never fail the job. */
export async function withJournal<T>(db: StudioDb, kind: JobKind, label: string, total: number, work: (j: JournalHandle) => Promise<T>): Promise<T> {
  const id = `${kind}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const now = Date.now();
  const entry: JobEntry = { id, kind, label, done: 0, total, startedAt: now, updatedAt: now };
  running.add(id);
  let release: () => void = () => undefined;
  const lm = locks();
  if (lm) {
    const held = new Promise<void>((r) => (release = r));
    await new Promise<void>((granted) => {
      lm.request(`${LOCK_PREFIX}${id}`, () => {
        granted();
        return held;
      }).catch(() => granted());
    });
  }
  await putJob(db, entry).catch(() => undefined);
  const handle: JournalHandle = {
    update: (done, t) => putJob(db, { ...entry, done, total: t, updatedAt: Date.now() }).catch(() => undefined),
  };
  try {
    return await work(handle);
  } finally {
    await endJob(db, id).catch(() => undefined);
    running.delete(id);
    release();
  }
}

/** Journal entries whose job no longer runs anywhere: removed from the journal and returned (once). */
export async function takeInterruptedJobs(db: StudioDb, kind?: JobKind): Promise<JobEntry[]> {
  const entries = (await listJobs(db)).filter((e) => !kind || e.kind === kind);
  if (entries.length === 0) return [];
  const held = new Set<string>();
  const lm = locks();
  if (lm) {
    try {
      for (const l of (await lm.query()).held ?? []) if (l.name) held.add(l.name);
    } catch {
      /* no lock information: treat only this process's jobs as running */
    }
  }
  const out = entries.filter((e) => !running.has(e.id) && !held.has(`${LOCK_PREFIX}${e.id}`));
  for (const e of out) await endJob(db, e.id).catch(() => undefined);
  return out.sort((a, b) => a.startedAt - b.startedAt);
}

/** The sentence for an interrupted job. */
export function interruptedMessage(e: Pick<JobEntry, 'kind' | 'label' | 'done' | 'total'>): string {
  if (e.kind === 'ingest') {
    return `The last ingest (${e.label}) stopped at ${e.done} of ${e.total} items; drop the folder again to finish — stored items are skipped.`;
  }
  if (e.kind === 'reembed') {
    return `Re-embedding the library for model ${e.label} stopped at ${e.done} of ${e.total} items; it continues by itself where it stopped.`;
  }
  return `Fine-tuning (${e.label}) stopped at epoch ${e.done} of ${e.total} before it finished; no new model version was saved. Start it again on its page.`;
}
