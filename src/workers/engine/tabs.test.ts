// Two tabs on one library: two engines on the same IndexedDB, joined by a channel as BroadcastChannel
// joins tabs. An ingest in one reaches the other's counts and search; a version switch in one is
// followed by the other; two ingests of the same files count each item once, in the ingest that wrote it.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { MedbindEncoders } from '../../model/types';
import type { EngineEvent } from './methods';
import type { LibraryChannel, LibraryNotice } from './library-channel';
import { cxrA, ecgA, ecgB, makeEngine } from '../testing/engine-fixtures';
import { projectionEncoders } from '../testing/projection-encoders';

const never = new AbortController().signal;

/** Two ends of one channel; like BroadcastChannel, a message reaches the other end only, asynchronously. */
function channelPair(): [LibraryChannel, LibraryChannel] {
  const listeners: ((n: LibraryNotice) => void)[][] = [[], []];
  const end = (me: 0 | 1): LibraryChannel => ({
    post: (n) => setTimeout(() => listeners[1 - me].forEach((l) => l(structuredClone(n))), 0),
    listen: (cb) => void listeners[me].push(cb),
  });
  return [end(0), end(1)];
}

const until = async (cond: () => boolean | Promise<boolean>, ms = 5_000) => {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

function twoTabs(loadA?: () => MedbindEncoders) {
  const [ca, cb] = channelPair();
  const a = makeEngine({ channel: ca, ...(loadA ? { loadModel: async () => ({ info: { backend: 'cpu', adapter: null, reason: 'test' }, encoders: loadA() }) } : {}) });
  const b = makeEngine({ channel: cb, dbName: a.dbName });
  return { a, b };
}

const changes = (events: EngineEvent[]) => events.filter((e) => e.type === 'library-changed').length;

describe('Engine across tabs', () => {
  it("an ingest in one tab reaches the other's counts and search index", async () => {
    const { a, b } = twoTabs();
    expect((await b.engine.stats()).total).toBe(0);
    expect((await b.engine.searchText('normal', 5)).cxr).toEqual([]); // b's index is loaded (empty) now
    const seen = changes(b.events);
    expect((await a.engine.ingest([...ecgA, cxrA], never, () => undefined)).added).toBe(2);
    await until(() => changes(b.events) > seen);
    expect((await b.engine.stats()).total).toBe(2);
    const hit = await b.engine.searchFiles([cxrA], 1);
    expect(hit.cxr[0]?.sourceName).toBe('IM-0036-0001.jpeg');
    expect(hit.cxr[0].similarity).toBeCloseTo(1, 5);
  });

  it('the second of two ingests of the same files reports them as already there', async () => {
    // Tab a embeds its batch, then waits until tab b has stored the same record before it writes.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const base = projectionEncoders('v1');
    let waiting = false;
    const slow: MedbindEncoders = { ...base, embedEcg: async (x, n) => ((waiting = true), await gate, base.embedEcg(x, n)) };
    const { a, b } = twoTabs(() => slow);
    const first = a.engine.ingest([...ecgA], never, () => undefined);
    await until(() => waiting); // a has decided the record is new and is embedding it
    const second = await b.engine.ingest([...ecgA], never, () => undefined);
    release();
    const late = await first;
    expect(second).toMatchObject({ added: 1, skipped: 0 });
    expect(late).toMatchObject({ added: 0, skipped: 1 });
    expect(late.lines?.find((l) => l.status === 'already')?.message).toMatch(/already in the library/);
    expect((await a.engine.stats()).total).toBe(1);
  });

  it('a version switched in one tab is followed by the other', async () => {
    const { a, b } = twoTabs();
    await a.engine.ingest([...ecgA, ...ecgB], never, () => undefined);
    expect(await b.engine.activeVersion()).toBe('v1');
    await a.engine.activateVersion('ft-1', never, () => undefined);
    await until(() => b.events.some((e) => e.type === 'active-version' && e.version === 'ft-1'));
    expect(await b.engine.activeVersion()).toBe('ft-1');
    expect((await b.engine.stats()).modelVersion).toBe('ft-1');
  });
});
