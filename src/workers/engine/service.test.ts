// The engine's pipeline on real files (real parsers and preprocessing, fake-indexeddb, a small
// deterministic projection model): ingest with a broken file, skip on re-ingest, cancel, search by file
// and by text, re-embedding for a new model version, clear.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openStudioDb } from '../../storage/db';
import { embeddingsOfVersion } from '../../storage/embeddings';
import { allItems } from '../../storage/items';
import { setSetting } from '../../storage/settings';
import type { Progress } from '../api';
import { cxrA, ecgA, ecgB, broken, makeEngine } from '../testing/engine-fixtures';

const never = new AbortController().signal;

describe('Engine', () => {
  it('ingests real files, lists the broken one, and stores items, inputs, thumbnails and vectors', async () => {
    const { engine, events, encoders, dbName } = makeEngine();
    const progress: Progress[] = [];
    const report = await engine.ingest([...ecgA, ...ecgB, cxrA, broken], never, (p) => progress.push(p));
    expect(report.added).toBe(3);
    expect(report.cancelled).toBe(false);
    expect(report.errors.map((e) => e.file)).toEqual(['drop/broken.png']);
    expect(report.errors[0].message.length).toBeGreaterThan(3);
    expect(progress.at(-1)).toMatchObject({ phase: 'embedding', done: 4, total: 4 }); // the broken item counts as processed
    expect(progress.at(-1)!.itemsPerSec).toBeGreaterThan(0);
    expect(events).toContainEqual({ type: 'library-changed' });
    expect(events.find((e) => e.type === 'backend')).toMatchObject({ info: { backend: 'cpu', forced: false } });

    const db = await openStudioDb({ name: dbName });
    const items = await allItems(db);
    expect(items.map((i) => i.modality).sort()).toEqual(['cxr', 'ecg', 'ecg']);
    const vecs = await embeddingsOfVersion(db, 'v1');
    expect(vecs.filter((v) => v.modality === 'ecg').length).toBe(2);
    expect(vecs.filter((v) => v.modality === 'cxr').length).toBe(1);
    const distinctTexts = new Set(items.map((i) => i.text).filter(Boolean));
    expect(vecs.filter((v) => v.modality === 'text').length).toBe(distinctTexts.size);
    db.close();

    const ecg = await engine.getEcg(items.find((i) => i.modality === 'ecg')!.id);
    expect(ecg.leadNames).toHaveLength(12);
    expect(ecg.leadsMv).toHaveLength(12);
    expect(ecg.leadsMv[0].length).toBe(ecg.fsHz * 10);
    const thumb = await engine.getThumb(items.find((i) => i.modality === 'cxr')!.id);
    const bytes = new Uint8Array(await thumb.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
    const width = new DataView(bytes.buffer).getUint32(16);
    const height = new DataView(bytes.buffer).getUint32(20);
    expect(Math.max(width, height)).toBe(128);

    // Re-ingest skips what is stored and embeds nothing new.
    const before = encoders.calls.ecg + encoders.calls.cxr;
    const again = await engine.ingest([...ecgA, cxrA], never, () => undefined);
    expect(again).toMatchObject({ added: 0, skipped: 2 });
    expect(encoders.calls.ecg + encoders.calls.cxr).toBe(before);

    const stats = await engine.stats();
    expect(stats).toMatchObject({ total: 3, byModality: { ecg: 2, cxr: 1 }, storageBytes: 123, modelVersion: 'v1' });
    await engine.clearLibrary();
    expect((await engine.stats()).total).toBe(0);
    expect((await engine.searchText('normal', 5)).ecg).toEqual([]);
  });

  it('stops between batches when cancelled', async () => {
    const { engine } = makeEngine({ batchSize: 1 });
    const ctrl = new AbortController();
    const report = await engine.ingest([...ecgA, ...ecgB, cxrA], ctrl.signal, (p) => {
      if (p.phase === 'embedding' && p.done === 1) ctrl.abort();
    });
    expect(report.cancelled).toBe(true);
    expect(report.added).toBe(1);
    expect((await engine.stats()).total).toBe(1);
  });

  it('finds a dropped file itself first, across modalities, and its nearest texts', async () => {
    const { engine } = makeEngine();
    await engine.ingest([...ecgA, ...ecgB, cxrA], never, () => undefined);
    const byCxr = await engine.searchFiles([cxrA], 5);
    expect(byCxr.query.kind).toBe('cxr');
    expect(byCxr.cxr[0].similarity).toBeCloseTo(1, 5);
    expect(byCxr.cxr[0].sourceName).toBe('IM-0036-0001.jpeg');
    expect(byCxr.ecg).toHaveLength(2);
    expect(byCxr.ecg[0].similarity).toBeGreaterThanOrEqual(byCxr.ecg[1].similarity);

    const byEcg = await engine.searchFiles(ecgB, 1);
    expect(byEcg.query.kind).toBe('ecg');
    expect(byEcg.query.name).toContain('E07500.hea');
    expect(byEcg.ecg[0].sourceName).toBe('E07500.hea');
    expect(byEcg.ecg[0].similarity).toBeCloseTo(1, 5);
    expect(byEcg.cxr).toHaveLength(1);

    const text = byEcg.ecg[0].text;
    expect(text.length).toBeGreaterThan(0);
    const byText = await engine.searchText(text, 3);
    expect(byText.text[0]).toMatchObject({ text, count: 1 });
    expect(byText.text[0].similarity).toBeCloseTo(1, 5);
    expect(byText.query.findings[0].text).toBe(text);

    await expect(engine.searchFiles([ecgA[0]], 3)).rejects.toMatchObject({ code: 'bad-input' });
    await expect(engine.searchText('   ', 3)).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('re-embeds the library from stored inputs for a new model version', async () => {
    const first = makeEngine({ version: 'v1' });
    await first.engine.ingest([...ecgA, cxrA], never, () => undefined);
    const second = makeEngine({ version: 'v2', dbName: first.dbName });
    const events = second.events;
    await second.engine.searchText('normal', 1); // loads the index, which starts filling what v2 lacks
    await second.engine.reembedIdle();
    expect(second.encoders.calls.ecg).toBe(1);
    expect(second.encoders.calls.cxr).toBe(1);
    const db = await openStudioDb({ name: first.dbName });
    const v2 = await embeddingsOfVersion(db, 'v2');
    const v1 = await embeddingsOfVersion(db, 'v1');
    expect(v2.map((r) => r.id).sort()).toEqual(v1.map((r) => r.id).sort());
    db.close();
    expect(events.filter((e) => e.type === 'reembed').at(-1)).toMatchObject({ version: 'v2', phase: 'done' });
    expect(events).toContainEqual({ type: 'library-changed' });
    const hits = await second.engine.searchFiles([cxrA], 1);
    expect(hits.cxr[0].similarity).toBeCloseTo(1, 5);
  });

  it('follows a change of the active version made elsewhere: new model, index and vectors', async () => {
    const { engine, dbName } = makeEngine({ version: 'v1' });
    await engine.ingest([...ecgA, cxrA], never, () => undefined);
    expect(await engine.activeVersion()).toBe('v1');
    const db = await openStudioDb({ name: dbName });
    await setSetting(db, 'activeVersion', 'ft-1');
    expect(await engine.activeVersion()).toBe('ft-1');
    await engine.searchText('normal', 1); // the index for ft-1 starts re-embedding the library in the background
    await engine.reembedIdle();
    const hits = await engine.searchFiles([cxrA], 1);
    expect(hits.cxr[0].similarity).toBeCloseTo(1, 5);
    expect((await embeddingsOfVersion(db, 'ft-1')).length).toBe((await embeddingsOfVersion(db, 'v1')).length);
    db.close();
  });

  it('uses the forced backend, else the saved choice, else auto', async () => {
    const a = makeEngine();
    await a.engine.backend();
    expect(a.choices).toEqual(['auto']);
    await a.engine.saveBackendChoice('wasm');
    const b = makeEngine({ dbName: a.dbName });
    expect((await b.engine.backend()).forced).toBe(true);
    expect(b.choices).toEqual(['wasm']);
    const c = makeEngine({ dbName: a.dbName, forced: 'webgpu' });
    await c.engine.backend();
    expect(c.choices).toEqual(['webgpu']);
  });
});

describe('Engine: WFDB records beyond the 12 standard leads', () => {
  it('a multi-segment record keeps its note and duration; MCL1 and V are stored and returned under their own names', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = new URL('../../../e2e/fixtures/archive/mseg/', import.meta.url).pathname;
    const mseg = readdirSync(dir).map((n) => ({ path: `drop/mseg/${n}`, file: new Blob([readFileSync(dir + n)]) }));
    const n = 1250;
    const dat = new Uint8Array(3 * n);
    for (let t = 0; t < n; t++) for (let j = 0; j < 3; j++) dat[3 * t + j] = 128 + Math.round(40 * Math.sin((2 * Math.PI * t) / (60 + 20 * j)));
    const sums = [0, 1, 2].map((j) => Array.from({ length: n }, (_, t) => dat[3 * t + j] - 128).reduce((a, b) => (a + b) & 0xffff, 0));
    const hea = `m 3 125 ${n}\n${['II', 'V', 'MCL1'].map((name, j) => `m.dat 80 20/mV 8 0 0 ${sums[j]} 0 ${name}`).join('\n')}\n`;
    const mimic = [
      { path: 'drop/m.hea', file: new Blob([hea]) },
      { path: 'drop/m.dat', file: new Blob([dat]) },
    ];
    const { engine } = makeEngine();
    const report = await engine.ingest([...mseg, ...mimic], never, () => {});
    expect(report.errors).toEqual([]);
    expect(report.added).toBe(2);
    const seg = await engine.getEcg('user/drop/mseg/mseg');
    expect(seg.durationS).toBe(12);
    expect(seg.notes).toMatch(/segment 3 of 3 \("mseg_0001", starting at 2 s\)/);
    expect(seg.leadNames).toHaveLength(12);
    const m = await engine.getEcg('user/drop/m');
    expect(m.leadNames.slice(12)).toEqual(['V', 'MCL1']);
    expect(m.leadsMv).toHaveLength(14);
    expect(m.leadsMv[12].some((v) => Number.isFinite(v) && v !== 0)).toBe(true);
  });
});
