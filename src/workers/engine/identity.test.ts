// Content identity through the engine on real files: one name with two contents gives two items, one
// content under two names gives one; a bit-flipped PNG is damaged; every dropped file has a report line;
// a library made before content identity is migrated (ids kept) and learns its hashes on a re-drop.
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { openStudioDb } from '../../storage/db';
import { allItems } from '../../storage/items';
import { MIGRATIONS } from '../../storage/migrations';
import { SHARED_DATA_DIR } from '../../formats/testing';
import type { IngestReport, PageFile } from '../api';
import { makeEngine } from '../testing/engine-fixtures';

const never = new AbortController().signal;
const bytes = (rel: string) => new Uint8Array(readFileSync(`${SHARED_DATA_DIR}/${rel}`));
const page = (path: string, b: Uint8Array): PageFile => ({ path, file: new Blob([b as Uint8Array<ArrayBuffer>]) });
const pngA = bytes('nih-cxr14-mini/images/00000001_000.png');
const pngB = bytes('nih-cxr14-mini/images/00000002_000.png');
const hea = bytes('ptb-xl/records100/00000/00001_lr.hea');
const dat = bytes('ptb-xl/records100/00000/00001_lr.dat');
const lineOf = (r: IngestReport, file: string) => r.lines?.find((l) => l.file === file);

describe('content identity in ingest', () => {
  it('adds two different images with one name, and one image under two names once', async () => {
    const { engine, dbName } = makeEngine();
    const first = await engine.ingest([page('scan.png', pngA)], never, () => undefined);
    expect(first.added).toBe(1);
    const second = await engine.ingest([page('scan.png', pngB)], never, () => undefined);
    expect(second).toMatchObject({ added: 1, skipped: 0 });

    const twice = await engine.ingest([page('copy-1.png', pngB), page('elsewhere/copy-2.png', pngB), page('renamed.png', pngA)], never, () => undefined);
    expect(twice).toMatchObject({ added: 0, skipped: 3 });
    expect(lineOf(twice, 'copy-1.png')).toEqual({ file: 'copy-1.png', status: 'already', message: 'already in the library (as scan.png)' });
    expect(lineOf(twice, 'renamed.png')?.message).toBe('already in the library (as scan.png)');

    const db = await openStudioDb({ name: dbName });
    const items = await allItems(db);
    db.close();
    expect(items).toHaveLength(2);
    expect(items.map((i) => i.id).sort()).toEqual([expect.stringMatching(/^user\/scan$/), expect.stringMatching(/^user\/scan~[0-9a-f]{12}$/)].sort());
    expect(new Set(items.map((i) => i.contentHash)).size).toBe(2);
  });

  it('adds one of two identical files in one drop and names the other', async () => {
    const { engine } = makeEngine();
    const r = await engine.ingest([page('a/x.png', pngA), page('b/y.png', pngA)], never, () => undefined);
    expect(r).toMatchObject({ added: 1, skipped: 1 });
    expect(lineOf(r, 'b/y.png')).toMatchObject({ status: 'already', message: 'same content as a/x.png in this drop; added once' });
  });

  it('lists a damaged PNG, a lone .dat, a .txt and a .zip, each with its reason, and stores none of them', async () => {
    const { engine, dbName } = makeEngine();
    const bad = new Uint8Array(pngA);
    bad[bad.length - 40] ^= 0x04;
    const files = [
      page('drop/bad.png', bad),
      page('drop/00059_lr.dat', dat),
      page('drop/notes.txt', new TextEncoder().encode('hello')),
      page('drop/export.zip', new Uint8Array([0x50, 0x4b, 3, 4, 0, 0])),
      page('drop/00001_lr.hea', hea),
      page('drop/00001_lr.dat', dat),
    ];
    const r = await engine.ingest(files, never, () => undefined);
    expect(r.added).toBe(1);
    expect(lineOf(r, 'drop/bad.png')).toMatchObject({ status: 'damaged', message: expect.stringMatching(/^damaged: CRC mismatch in IDAT chunk \(byte \d+\)$/) });
    expect(lineOf(r, 'drop/00059_lr.dat')).toEqual({ file: 'drop/00059_lr.dat', status: 'skipped', message: 'skipped: a WFDB signal file needs its .hea' });
    expect(lineOf(r, 'drop/notes.txt')).toMatchObject({ status: 'skipped', message: 'skipped: not a supported format' });
    // The .zip reader opens archives; this one is cut short, so it is named, not stored.
    expect(lineOf(r, 'drop/export.zip')).toMatchObject({ status: 'damaged', message: expect.stringMatching(/truncated|ends early/) });
    expect(lineOf(r, 'drop/00001_lr.hea + drop/00001_lr.dat')).toMatchObject({ status: 'added' });
    // Every file given appears in some line.
    const named = (r.lines ?? []).flatMap((l) => l.file.split(' + '));
    for (const f of files) expect(named).toContain(f.path);
    expect(r.errors.map((e) => e.file).sort()).toEqual(['drop/bad.png', 'drop/export.zip']);
    const db = await openStudioDb({ name: dbName });
    expect((await allItems(db)).map((i) => i.sourceName)).toEqual(['00001_lr.hea']);
    db.close();
  });

  it('migrates a library made before content identity: ids stay, a re-drop matches by model input and adds the hash', async () => {
    const dbName = `legacy-${Date.now()}`;
    // Rows as today's ingest makes them (parsed, preprocessed, embedded), written through today's
    // storage code into a version-3 database, without the content keys it did not know.
    const made = makeEngine();
    await made.engine.ingest([page('scan.png', pngA), page('r/00001_lr.hea', hea), page('r/00001_lr.dat', dat)], never, () => undefined);
    const src = await openStudioDb({ name: made.dbName });
    const rows = {
      items: (await allItems(src)).map(({ contentHash: _h, dicomUid: _u, ...legacy }) => legacy),
      signals: await src.getAll('signals'),
      images: await src.getAll('images'),
    };
    src.close();
    // The schema-3 write path (embeddings are not needed here: identity compares model inputs).
    const v3 = await openStudioDb({ name: dbName, migrations: MIGRATIONS.slice(0, 3) });
    const tx = v3.transaction(['items', 'signals', 'images'], 'readwrite');
    await Promise.all([
      ...rows.items.map((r) => tx.objectStore('items').put(r)),
      ...rows.signals.map((r) => tx.objectStore('signals').put(r)),
      ...rows.images.map((r) => tx.objectStore('images').put(r)),
      tx.done,
    ]);
    const before = await allItems(v3);
    expect(v3.version).toBe(3);
    expect(before).toHaveLength(2);
    v3.close();

    const { engine } = makeEngine({ dbName });
    const db = await openStudioDb({ name: dbName });
    expect(db.version).toBe(MIGRATIONS.length);
    expect([...db.transaction('items').store.indexNames].sort()).toEqual(['byContentHash', 'byDataset', 'byDicomUid', 'byModality']);
    const migrated = await allItems(db);
    expect(migrated.map((i) => i.id).sort()).toEqual(before.map((i) => i.id).sort());
    expect(migrated.every((i) => i.contentHash === undefined)).toBe(true);

    // The same files again: already there, and the items now carry their hash.
    const again = await engine.ingest([page('scan.png', pngA), page('r/00001_lr.hea', hea), page('r/00001_lr.dat', dat)], never, () => undefined);
    expect(again).toMatchObject({ added: 0, skipped: 2 });
    const hashed = await allItems(db);
    expect(hashed.every((i) => /^[0-9a-f]{64}$/.test(i.contentHash ?? ''))).toBe(true);
    // Another image under the legacy name is a new item.
    const other = await engine.ingest([page('scan.png', pngB)], never, () => undefined);
    expect(other.added).toBe(1);
    expect((await allItems(db)).map((i) => i.id).filter((id) => id.startsWith('user/scan'))).toHaveLength(2);
    db.close();
  });
});
