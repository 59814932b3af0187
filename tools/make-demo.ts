// Builds public/demo/: a small redistributable demo library cut from the real data sets, in their
// ORIGINAL layouts (subset of files + the matching rows of each table), so the app reads it with the
// same discoverDatasets() as any user folder. Also writes index.json (file list for fetch()),
// ATTRIBUTION.md + sources.json (citations and licences), and the e2e fixtures.
// Usage: npm run make-demo -- [--data <shared data dir>] [--out <demo dir>] [--fixtures <e2e fixtures dir>]
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filterCsvText } from '../src/formats/csv';
import { discoverDatasets } from '../src/formats/datasets/index';
import type { DatasetItem } from '../src/formats/types';
import { listNodeFiles } from './lib/node-files';
import { DEMO_SOURCES, type DemoSource } from './lib/demo-sources';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: string): string {
  const k = process.argv.indexOf(`--${name}`);
  return k >= 0 && process.argv[k + 1] ? resolve(process.argv[k + 1]) : fallback;
}

const DATA = arg('data', process.env.MEDBIND_DATA ? resolve(process.env.MEDBIND_DATA) : resolve(REPO, '..', 'shared', 'data'));
const OUT = arg('out', join(REPO, 'public', 'demo'));
const FIXTURES = arg('fixtures', join(REPO, 'e2e', 'fixtures'));

/** How many items to take per source; `val` items first, then train, spread over labels. */
const PLAN: Record<string, number> = {
  'ptb-xl': 125,
  ludb: 15,
  'cinc2021-sample': 15,
  'kermany-pediatric-cxr': 110,
  'covid19-hannover-cxr': 30,
  'nih-cxr14-mini': 18,
};

/** Round-robin over label groups so every label is represented; val split first. */
export function selectItems(items: DatasetItem[], n: number): DatasetItem[] {
  const ordered = [...items].sort((a, b) => (a.split === 'val' ? 0 : 1) - (b.split === 'val' ? 0 : 1) || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const groups = new Map<string, DatasetItem[]>();
  for (const it of ordered) {
    const key = [...it.labels].sort().join('+');
    const g = groups.get(key) ?? [];
    g.push(it);
    groups.set(key, g);
  }
  // Rarest label combination first so each appears; then cycle.
  const keys = [...groups.keys()].sort((a, b) => groups.get(a)!.length - groups.get(b)!.length || a.localeCompare(b));
  const picked: DatasetItem[] = [];
  const taken = new Set<string>();
  // First pass: val items only (round robin), then the rest.
  for (const pass of ['val', 'any'] as const) {
    let progress = true;
    while (picked.length < n && progress) {
      progress = false;
      for (const k of keys) {
        if (picked.length >= n) break;
        const next = groups.get(k)!.find((it) => !taken.has(it.id) && (pass === 'any' || it.split === 'val'));
        if (next) {
          picked.push(next);
          taken.add(next.id);
          progress = true;
        }
      }
    }
  }
  return picked;
}

async function copyRel(rel: string, extraOut?: string): Promise<void> {
  const to = join(extraOut ?? OUT, rel);
  await mkdir(dirname(to), { recursive: true });
  await copyFile(join(DATA, rel), to);
}

async function writeFiltered(rel: string, keep: (row: Record<string, string>) => boolean): Promise<void> {
  const text = await readFile(join(DATA, rel), 'utf8');
  const r = filterCsvText(text, rel, keep);
  if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
  await mkdir(dirname(join(OUT, rel)), { recursive: true });
  await writeFile(join(OUT, rel), r.value);
}

const fileName = (p: string) => p.split('/').pop()!;

async function buildSource(set: string, picked: DatasetItem[]): Promise<void> {
  for (const it of picked) for (const f of it.files) await copyRel(f.path);
  const names = new Set(picked.flatMap((it) => it.files.map((f) => fileName(f.path))));
  const ids = new Set(picked.map((it) => it.id.slice(set.length + 1)));
  if (set === 'ptb-xl') {
    await writeFiltered('ptb-xl/ptbxl_database.csv', (r) => ids.has(String(Number(r.ecg_id))));
    await copyRel('ptb-xl/scp_statements.csv');
    await copyRel('ptb-xl/LICENSE.txt');
  } else if (set === 'ludb') {
    await writeFiltered('ludb/ludb.csv', (r) => ids.has(r.ID.trim()));
    await copyRel('ludb/LICENSE.txt');
  } else if (set === 'cinc2021-sample') {
    for (const f of ['dx_mapping_scored.csv', 'dx_mapping_unscored.csv', 'LICENSE']) await copyRel(`cinc2021-sample/dx-mapping/${f}`);
  } else if (set === 'kermany-pediatric-cxr') {
    await writeFiltered('kermany-pediatric-cxr/labels.csv', (r) => names.has(fileName(r.path)));
  } else if (set === 'covid19-hannover-cxr') {
    await writeFiltered('covid19-hannover-cxr/data.csv', (r) => names.has(`${r.image_id}.png`));
    await copyRel('covid19-hannover-cxr/LICENSE');
  } else if (set === 'nih-cxr14-mini') {
    await writeFiltered('nih-cxr14-mini/Data_Entry_2017_v2020.rows.csv', (r) => names.has(r['Image Index']));
  }
}

function attributionMarkdown(sources: (DemoSource & { items: number })[]): string {
  const parts = [
    '# Demo library: sources, citations and licences',
    '',
    'Every file here is a real, openly licensed file copied unchanged from its public source; each folder is a',
    'subset of one data set in its original layout. Tables (CSV) keep their header and only the rows of the',
    'included files, each row copied byte for byte. These are research data for demonstrating the software,',
    'not clinical evidence. Cite the sources below when you use or show them.',
    '',
  ];
  for (const s of sources) {
    parts.push(`## ${s.name} (\`${s.id}/\`, ${s.items} items)`, '', `- Citation: ${s.citation}`, `- Licence: ${s.licence} — ${s.licenceUrl}`);
    parts.push(`- Source: ${s.sourceUrl}`, `- Changes: ${s.changes}`, '');
  }
  return parts.join('\n');
}

async function listAll(dir: string): Promise<{ path: string; bytes: number }[]> {
  const files = await listNodeFiles(dir);
  const prefix = `${dir.split('/').pop()}/`;
  return files.map((f) => ({ path: f.path.slice(prefix.length), bytes: f.sizeBytes }));
}

async function makeFixtures(all: DatasetItem[], demoIds: Set<string>): Promise<void> {
  const rec = (id: string) => `ptb-xl/records100/00000/${id}_lr`;
  const corrupt = join(FIXTURES, 'ecg-one-corrupt');
  await rm(corrupt, { recursive: true, force: true });
  await mkdir(corrupt, { recursive: true });
  for (const id of ['00001', '00002', '00003', '00004']) {
    await copyFile(join(DATA, `${rec(id)}.hea`), join(corrupt, `${id}_lr.hea`));
    const dat = await readFile(join(DATA, `${rec(id)}.dat`));
    await writeFile(join(corrupt, `${id}_lr.dat`), id === '00003' ? dat.subarray(0, 5000) : dat);
  }
  // Query pair from outside the demo library (train split).
  const query = join(FIXTURES, 'query');
  await rm(query, { recursive: true, force: true });
  await mkdir(query, { recursive: true });
  const outside = all.filter((it) => it.dataset === 'ptb-xl' && !demoIds.has(it.id) && it.labels.length > 0);
  const ecg = outside.find((it) => it.labels.includes('MI')) ?? outside[0];
  for (const f of ecg.files) await copyFile(join(DATA, f.path), join(query, fileName(f.path)));
  const cxr = all.find((it) => it.dataset === 'covid19-hannover-cxr' && !demoIds.has(it.id))!;
  await copyFile(join(DATA, cxr.files[0].path), join(query, 'cxr.png'));
  await writeFile(
    join(FIXTURES, 'README.md'),
    [
      '# e2e fixtures',
      '',
      '`ecg-one-corrupt/`: four PTB-XL v1.0.1 records (100 Hz, WFDB format 16; Wagner et al., 2020, CC BY 4.0,',
      'https://physionet.org/content/ptb-xl/1.0.1/), copied unchanged except `00003_lr.dat`, cut to its first',
      '5,000 bytes (the header declares 24,000). Discovery must give 3 records and one error naming `00003_lr.dat`.',
      '',
      `\`query/\`: one ECG (\`${fileName(ecg.files[0].path)}\` + \`.dat\`, PTB-XL ecg_id ${ecg.meta.ecgId}, labels ${ecg.labels.join(', ')}) and one CXR`,
      `(\`cxr.png\` = COVID-19 Image Repository, Hannover Medical School, image ${cxr.id.split('/').pop()}; Winther et al., CC BY 3.0,`,
      'https://doi.org/10.6084/m9.figshare.12275009), both unchanged and not part of the demo library.',
      '',
    ].join('\n'),
  );
}

async function main(): Promise<void> {
  await stat(DATA);
  console.log(`data: ${DATA}\nout: ${OUT}`);
  await rm(OUT, { recursive: true, force: true });
  await mkdir(OUT, { recursive: true });
  const allItems: DatasetItem[] = [];
  const counts: Record<string, number> = {};
  for (const [set, n] of Object.entries(PLAN)) {
    const d = await discoverDatasets(await listNodeFiles(join(DATA, set)));
    if (d.errors.length) throw new Error(`${set}: ${d.errors.length} discovery errors, first: ${d.errors[0].file}: ${d.errors[0].message}`);
    // ECG sets: keep PTB-XL's 100 Hz records only (one item = one .hea in the demo).
    const picked = selectItems(d.items, n);
    await buildSource(set, picked);
    counts[set] = picked.length;
    allItems.push(...d.items);
    console.log(`${set}: ${picked.length} items`, JSON.stringify(tally(picked)));
  }
  const sources = DEMO_SOURCES.filter((s) => counts[s.id] !== undefined || s.id === 'chexpert-labeler-phrases').map((s) => ({ ...s, items: counts[s.id] ?? 0 }));
  const files = await listAll(OUT);
  await writeFile(join(OUT, 'index.json'), `${JSON.stringify({ files }, null, 1)}\n`);
  await writeFile(join(OUT, 'ATTRIBUTION.md'), attributionMarkdown(sources));
  await writeFile(
    join(OUT, 'sources.json'),
    `${JSON.stringify(sources.map(({ id, name, citation, licence, licenceUrl, items }) => ({ id, name, citation, licence, licenceUrl, items })), null, 1)}\n`,
  );
  const demoIds = new Set<string>();
  // Check: the demo reads back with zero errors, one item per header and per image.
  const back = await discoverDatasets(
    (await listNodeFiles(OUT)).filter((f) => !/\/(index|sources)\.json$|\/ATTRIBUTION\.md$/.test(f.path)).map((f) => ({ ...f, path: f.path.slice(f.path.indexOf('/') + 1) })),
  );
  for (const it of back.items) demoIds.add(it.id);
  const heads = files.filter((f) => /\.(hea|png|jpe?g|dcm)$/i.test(f.path)).length;
  const totalBytes = files.reduce((a, f) => a + f.bytes, 0);
  const ecg = back.items.filter((i) => i.modality === 'ecg').length;
  console.log(`demo: ${back.items.length} items (${ecg} ECG, ${back.items.length - ecg} CXR), ${back.errors.length} errors, ${(totalBytes / 1e6).toFixed(1)} MB`);
  if (back.errors.length || back.items.length !== heads) {
    for (const e of back.errors.slice(0, 10)) console.error(`${e.file}: ${e.message}`);
    throw new Error('the demo library does not read back cleanly');
  }
  await makeFixtures(allItems, demoIds);
  console.log(`fixtures: ${FIXTURES}`);
}

function tally(items: DatasetItem[]): Record<string, number> {
  const t: Record<string, number> = { val: 0 };
  for (const it of items) {
    if (it.split === 'val') t.val++;
    for (const l of it.labels) t[l] = (t[l] ?? 0) + 1;
  }
  return t;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
