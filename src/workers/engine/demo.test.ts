// Demo loading: the index reader, and loadDemo over real files of public/demo served from disk.
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPaths } from './demo-index';
import { makeEngine } from '../testing/engine-fixtures';

const DEMO = join(__dirname, '../../../public/demo');

describe('demoPaths', () => {
  it('reads the shapes an index may take and ignores metadata fields', () => {
    expect(demoPaths(['a/b.hea', './a/b.dat'])).toEqual(['a/b.hea', 'a/b.dat']);
    expect(demoPaths({ files: [{ path: 'x/RECORDS', bytes: 3, sha256: 'ab' }], licence: 'CC-BY 4.0' })).toEqual(['x/RECORDS']);
    expect(demoPaths({ items: [{ files: ['p.png'] }] })).toEqual(['p.png']);
  });

  it('refuses paths that leave the demo folder or the origin', () => {
    expect(() => demoPaths(['../secret.csv'])).toThrow(/not a relative path/);
    expect(() => demoPaths(['https://example.org/x.png'])).toThrow(/not a relative path/);
    expect(() => demoPaths(['//cdn.example.org/x.png'])).toThrow(/not a relative path/);
  });
});

describe('Engine.loadDemo', () => {
  it('fetches every listed file of the index and ingests them', async () => {
    const full = JSON.parse(readFileSync(join(DEMO, 'index.json'), 'utf8')) as { files: { path: string }[] };
    // One small dataset of the real demo keeps the test quick.
    const subset = { files: full.files.filter((f) => f.path.startsWith('cinc2021-sample/')) };
    const nHeaders = subset.files.filter((f) => f.path.endsWith('.hea')).length;
    const fetched: string[] = [];
    const { engine } = makeEngine({
      fetchAsset: async (p) => {
        fetched.push(p);
        if (p === 'demo/index.json') return new Blob([JSON.stringify(subset)]);
        return new Blob([readFileSync(join(DEMO, p.replace(/^demo\//, '')))]);
      },
    });
    const phases = new Set<string>();
    const report = await engine.loadDemo(new AbortController().signal, (p) => phases.add(p.phase));
    expect(fetched.length).toBe(subset.files.length + 1);
    expect(phases.has('downloading demo')).toBe(true);
    expect(report.errors).toEqual([]);
    expect(report.added).toBe(nHeaders);
    const stats = await engine.stats();
    expect(stats.byModality.ecg).toBe(nHeaders);
    // CinC Dx codes become readable labels through the dx-mapping tables.
    expect(Object.keys(stats.byLabel.ecg).length).toBeGreaterThan(0);
  });
});
