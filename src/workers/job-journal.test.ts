// The job journal: a job that ends (any way) leaves nothing; an entry left by a process that died is
// reported once on the next start with the sentence the user sees; a job still running is not reported.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../storage/db';
import { listJobs, putJob } from '../storage/jobs';
import { interruptedMessage, takeInterruptedJobs, withJournal } from './job-journal';

describe('job journal', () => {
  it('clears finished and failed jobs, reports an interrupted one once, and leaves a running one alone', async () => {
    const db = await openStudioDb({ name: `jobs-${Date.now()}` });
    await withJournal(db, 'ingest', '3 files', 3, async (j) => j.update(3, 3));
    await expect(withJournal(db, 'ingest', 'x', 1, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await listJobs(db)).toEqual([]);

    // What a killed browser leaves behind: an entry with its last progress.
    await putJob(db, { id: 'ingest-dead', kind: 'ingest', label: 'folder ptb-xl', done: 128, total: 387, startedAt: 1, updatedAt: 2 });
    let release!: () => void;
    const running = withJournal(db, 'reembed', 'v2', 10, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));

    const found = await takeInterruptedJobs(db);
    expect(found.map((j) => j.id)).toEqual(['ingest-dead']);
    expect(interruptedMessage(found[0])).toBe(
      'The last ingest (folder ptb-xl) stopped at 128 of 387 items; drop the folder again to finish — stored items are skipped.',
    );
    expect(await takeInterruptedJobs(db)).toEqual([]);
    release();
    await running;
    expect(await listJobs(db)).toEqual([]);
    db.close();
  });
});
