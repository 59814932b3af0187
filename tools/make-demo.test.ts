// Checks the built demo library and e2e fixtures (run `npm run make-demo` first) read back cleanly.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverDatasets, loadItem } from '../src/formats/datasets/index';
import { listNodeFiles } from './lib/node-files';

const REPO = join(import.meta.dirname, '..');
const DEMO = join(REPO, 'public', 'demo');
const built = existsSync(join(DEMO, 'index.json'));

describe.skipIf(!built)('public/demo', () => {
  it('index.json lists every data file with its size; discovery gives >=150 ECG and >=150 CXR, no errors', async () => {
    const index = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8')) as { files: { path: string; bytes: number }[] };
    for (const f of index.files) expect(statSync(join(DEMO, f.path)).size).toBe(f.bytes);
    const total = index.files.reduce((a, f) => a + f.bytes, 0);
    expect(total).toBeLessThan(25e6);
    const files = (await listNodeFiles(DEMO)).map((f) => ({ ...f, path: f.path.slice('demo/'.length) }));
    const listed = new Set(index.files.map((f) => f.path));
    const d = await discoverDatasets(files.filter((f) => listed.has(f.path)));
    expect(d.errors).toEqual([]);
    const ecg = d.items.filter((i) => i.modality === 'ecg');
    expect(ecg.length).toBeGreaterThanOrEqual(150);
    expect(d.items.length - ecg.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ecg.flatMap((i) => i.labels))).toEqual(new Set(['NORM', 'MI', 'STTC', 'CD', 'HYP']));
    const sources = JSON.parse(readFileSync(join(DEMO, 'sources.json'), 'utf8')) as { id: string; items: number }[];
    for (const s of sources) expect(d.items.filter((i) => i.dataset === s.id).length).toBe(s.items);
    expect(readFileSync(join(DEMO, 'ATTRIBUTION.md'), 'utf8')).toMatch(/CC BY 4\.0/);
  });
});

describe.skipIf(!existsSync(join(REPO, 'e2e', 'fixtures', 'ecg-one-corrupt')))('e2e fixtures', () => {
  it('ecg-one-corrupt: 3 records and one error naming 00003_lr.dat', async () => {
    const d = await discoverDatasets(await listNodeFiles(join(REPO, 'e2e', 'fixtures', 'ecg-one-corrupt')));
    expect(d.items.length).toBe(3);
    expect(d.errors.map((e) => e.file)).toEqual(['ecg-one-corrupt/00003_lr.dat']);
  });

  it('query pair: one ECG and one PNG that load', async () => {
    const d = await discoverDatasets(await listNodeFiles(join(REPO, 'e2e', 'fixtures', 'query')));
    expect(d.errors).toEqual([]);
    expect(d.items.map((i) => i.modality).sort()).toEqual(['cxr', 'ecg']);
    for (const it of d.items) expect((await loadItem(it)).ok).toBe(true);
  });
});
