// A journal of long jobs (ingest, re-embedding, fine-tuning) in the "kv" store, so that a job cut short
// by a reload, a crash or a killed browser is reported on the next start. A job writes its entry when
// it starts, updates it as it goes and deletes it when it ends for any reason it can see (done,
// cancelled, failed); an entry still there on the next start is an interrupted job.
import type { StudioDb } from './db';
import { writeTx } from './db';

export type JobKind = 'ingest' | 'reembed' | 'finetune';

export interface JobEntry {
  id: string;
  kind: JobKind;
  /** What ran, as the user named it (e.g. "387 files", "Demo library", a model version). */
  label: string;
  done: number;
  total: number;
  startedAt: number;
  updatedAt: number;
}

const PREFIX = 'job:';
const keyOf = (id: string) => `${PREFIX}${id}`;

export async function putJob(db: StudioDb, job: JobEntry): Promise<void> {
  await writeTx(db, ['kv'], (tx) => [tx.objectStore('kv').put({ key: keyOf(job.id), value: job })]);
}

export async function endJob(db: StudioDb, id: string): Promise<void> {
  await writeTx(db, ['kv'], (tx) => [tx.objectStore('kv').delete(keyOf(id))]);
}

export async function listJobs(db: StudioDb): Promise<JobEntry[]> {
  const rows = await db.getAll('kv', IDBKeyRange.bound(PREFIX, `${PREFIX}\uffff`));
  return rows.map((r) => r.value as JobEntry).filter((j) => j && typeof j.id === 'string');
}
