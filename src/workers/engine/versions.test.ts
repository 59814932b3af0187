// The engine as the one owner of the active model version: activation re-embeds with progress and
// surfaces errors; a version switch during a long ingest lets the ingest finish on the encoders it
// started with, which are freed when it ends (no timer), and the new version gets the ingest's items.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../../storage/db';
import { embeddingsOfVersion } from '../../storage/embeddings';
import { getSetting } from '../../storage/settings';
import type { MedbindEncoders } from '../../model/types';
import type { Progress } from '../api';
import { cxrA, ecgA, ecgB, makeEngine } from '../testing/engine-fixtures';
import { projectionEncoders } from '../testing/projection-encoders';

const never = new AbortController().signal;

/** Encoders that refuse work once disposed (as the tfjs ones do) and can hold an ECG batch at a gate. */
function guarded(enc: MedbindEncoders) {
  const state = { disposed: false, ecgCalls: 0, gate: null as Promise<void> | null, failEcg: null as string | null };
  const check = () => {
    if (state.disposed) throw new Error('encoders: disposed');
  };
  const wrapped: MedbindEncoders = {
    version: enc.version,
    embedDim: enc.embedDim,
    async embedEcg(x, n) {
      check();
      state.ecgCalls++;
      if (state.ecgCalls === 2 && state.gate) await state.gate;
      check();
      if (state.failEcg) throw new Error(state.failEcg);
      return enc.embedEcg(x, n);
    },
    async embedCxr(x, n) {
      check();
      return enc.embedCxr(x, n);
    },
    async embedText(t) {
      check();
      return enc.embedText(t);
    },
    dispose() {
      state.disposed = true;
    },
  };
  return { enc: wrapped, state };
}

function engineWith(models: Record<string, ReturnType<typeof guarded>>, shipped = 'v1') {
  return makeEngine({
    batchSize: 1,
    loadModel: async (_choice, _db, active) => {
      const m = models[active ?? shipped];
      // An unknown id builds the shipped weights afresh (as the browser runtime does).
      if (!m) return { info: { backend: 'cpu', adapter: null, reason: 'test' }, encoders: guarded(projectionEncoders(shipped)).enc };
      if (m.state.disposed) throw new Error('test: loaded a disposed model');
      return { info: { backend: 'cpu', adapter: null, reason: 'test' }, encoders: m.enc };
    },
  });
}

describe('Engine.activateVersion', () => {
  it('switches versions during a long ingest: the ingest finishes on its encoders, which are freed when it ends', async () => {
    const v1 = guarded(projectionEncoders('v1'));
    const ft = guarded(projectionEncoders('ft-1', 16, 9));
    const { engine, events, dbName } = engineWith({ v1, 'ft-1': ft });
    let release!: () => void;
    v1.state.gate = new Promise<void>((r) => (release = r));
    const progress: Progress[] = [];
    // The second ECG batch of the ingest waits until the switch (and its re-embedding) is complete.
    const ingest = engine.ingest([...ecgA, ...ecgB, cxrA], never, () => undefined);
    while (v1.state.ecgCalls < 2) await new Promise((r) => setTimeout(r, 5));
    const switched = await engine.activateVersion('ft-1', never, (p) => progress.push(p));
    expect(switched.version).toBe('ft-1');
    expect(await engine.activeVersion()).toBe('ft-1');
    expect(v1.state.disposed).toBe(false); // the ingest still holds it
    release();
    const report = await ingest;
    expect(report).toMatchObject({ added: 3, cancelled: false, errors: [] });
    expect(v1.state.disposed).toBe(true); // freed by the ingest's end, not by a timer
    expect(ft.state.disposed).toBe(false);
    await engine.reembedIdle();

    const db = await openStudioDb({ name: dbName });
    expect(await getSetting(db, 'activeVersion')).toBe('ft-1');
    const ids = async (v: string) => (await embeddingsOfVersion(db, v)).map((r) => r.id).sort();
    expect(await ids('ft-1')).toEqual(await ids('v1')); // items ingested after the switch got ft-1 vectors too
    db.close();
    expect(progress.length).toBeGreaterThan(0);
    expect(events).toContainEqual({ type: 'active-version', version: 'ft-1' });
    expect(events.filter((e) => e.type === 'reembed').at(-1)).toMatchObject({ version: 'ft-1', phase: 'done' });
    const hit = await engine.searchFiles([cxrA], 1);
    expect(hit.cxr[0].similarity).toBeCloseTo(1, 5);
  });

  it('refuses a version that does not exist or cannot load, and the active one stays', async () => {
    const v1 = guarded(projectionEncoders('v1'));
    const { engine } = engineWith({ v1 });
    await engine.ingest([...ecgA], never, () => undefined);
    await expect(engine.activateVersion('nope', never, () => undefined)).rejects.toMatchObject({ code: 'bad-input', message: expect.stringContaining('no model version "nope"') });
    expect(await engine.activeVersion()).toBe('v1');
    expect(v1.state.disposed).toBe(false);
  });

  it('surfaces a re-embedding error to the caller and as a failed event', async () => {
    const v1 = guarded(projectionEncoders('v1'));
    const ft = guarded(projectionEncoders('ft-2', 16, 5));
    const { engine, events } = engineWith({ v1, 'ft-2': ft });
    await engine.ingest([...ecgA, cxrA], never, () => undefined);
    ft.state.failEcg = 'out of GPU memory';
    await expect(engine.activateVersion('ft-2', never, () => undefined)).rejects.toThrow(/out of GPU memory/);
    expect(events.filter((e) => e.type === 'reembed').at(-1)).toMatchObject({ version: 'ft-2', phase: 'failed', error: 'out of GPU memory' });
    ft.state.failEcg = null;
    expect((await engine.activateVersion('ft-2', never, () => undefined)).embedded).toBeGreaterThan(0); // a retry fills the rest
  });
});
