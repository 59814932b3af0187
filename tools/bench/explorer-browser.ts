// Browser benchmark of the embedding explorer (issue 5: "stays interactive with 100k points"): fills the
// app's IndexedDB library in Chromium with N synthetic items (clustered random unit 256-d vectors for the
// active model version, plus a few text points), opens #/explorer and times first draw, hover preview,
// click -> neighbour list and text query -> point added. Needs a built app (npx vite build).
// Standalone (writes bench-results/explorer-browser.{md,json}):
//   node --import tsx tools/bench/explorer-browser.ts [--sizes=10000,100000] [--skip-build]
// In npm run bench: --browser.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { chromium, type Page } from '@playwright/test';
import config from '../../playwright.config';
import { pointPosition } from '../../e2e/pages/plotly';
import { MIGRATIONS } from '../../src/storage/migrations';
import { packItemSummaries } from '../../src/storage/item-summaries';
import type { StoredItem } from '../../src/storage/types';
import type { BenchRow } from './report';

const PORT = Number(process.env.BENCH_PORT ?? 4373);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const N_TEXTS = 12;
const LABELS = ['normal', 'atrial fibrillation', 'cardiomegaly', 'pleural effusion', 'pneumonia', 'myocardial infarction'];

export interface ExplorerBrowserResult {
  n: number;
  drawnPoints: number;
  firstDrawMs: number;
  hoverMs: number | null;
  clickNeighboursMs: number | null;
  queryMs: number | null;
  loadAvg1m: number;
  /** ms from opening the page: points loaded, map computed. */
  phases?: Record<string, number>;
  error?: string;
}

const N_CLUSTERS = 8;
const FILL_BATCH = 5000;

/** The synthetic item i (the same in Node and in the page's fill). */
const synItem = (i: number, texts: string[], addedAt: number): StoredItem => {
  const c = i % N_CLUSTERS;
  return {
    id: `syn/${String(i).padStart(7, '0')}`, modality: i % 2 === 0 ? 'ecg' : 'cxr', dataset: 'synthetic',
    sourceName: `syn-${String(i).padStart(7, '0')}`, labels: [LABELS[c % LABELS.length]], text: texts[c % texts.length],
    split: 'train', meta: { cluster: c }, addedAt,
  };
};
const synTexts = () => Array.from({ length: N_TEXTS }, (_, t) => `Synthetic report ${t}: ${LABELS[t % LABELS.length]}.`);

/** The app's packed item summaries of each fill batch, columns as plain arrays (page.evaluate arguments are JSON). */
function summaryBlocks(nItems: number, addedAt: number): Record<string, unknown>[][] {
  const texts = synTexts();
  const out: Record<string, unknown>[][] = [];
  for (let start = 0; start < nItems; start += FILL_BATCH) {
    const items = Array.from({ length: Math.min(nItems, start + FILL_BATCH) - start }, (_, k) => synItem(start + k, texts, addedAt));
    out.push(packItemSummaries(items).map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Uint32Array) : v]))));
  }
  return out;
}

const modelVersion = (): string => JSON.parse(readFileSync('public/weights/manifest.json', 'utf8')).version as string;

/** Writes nItems items + embeddings and N_TEXTS text embeddings straight into "medbind-studio" (current schema). */
export async function fillLibrary(page: Page, nItems: number, version: string): Promise<void> {
  const addedAt = Date.now();
  await page.evaluate(
    async ({ nItems, version, nTexts, labels, schemaVersion, summaries, batch, nClusters, addedAt }) => {
      // Write only into the app's own database, once the app has created and migrated it.
      for (let tries = 0; ; tries++) {
        const dbs = await indexedDB.databases();
        if (dbs.some((x) => x.name === 'medbind-studio' && x.version === schemaVersion)) break;
        if (tries > 1200) throw new Error('the app did not open its database within 120 s');
        await new Promise((r) => setTimeout(r, 100));
      }
      const db: IDBDatabase = await new Promise((res, rej) => {
        const r = indexedDB.open('medbind-studio');
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      const d = 256;
      let seed = 12345;
      const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
      const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
      const unit = (v: Float32Array) => {
        let s = 0;
        for (const x of v) s += x * x;
        const inv = 1 / Math.sqrt(s);
        for (let j = 0; j < v.length; j++) v[j] *= inv;
        return v;
      };
      const centres = Array.from({ length: nClusters }, () => unit(Float32Array.from({ length: d }, gauss)));
      const noisy = (c: Float32Array, s: number) => unit(Float32Array.from(c, (x) => x + s * gauss()));
      const texts = Array.from({ length: nTexts }, (_, t) => `Synthetic report ${t}: ${labels[t % labels.length]}.`);
      for (let start = 0; start < nItems; start += batch) {
        const tx = db.transaction(['items', 'itemSummaries', 'embeddingBlocks'], 'readwrite');
        const items = tx.objectStore('items');
        const embs = tx.objectStore('embeddingBlocks');
        // The items' packed summaries, as the app's batch write adds them (built in Node by packItemSummaries).
        for (const b of summaries[start / batch]) {
          const cols = ['modality', 'dataset', 'split', 'text', 'labels', 'meta', 'rest'];
          const typed = (k: string, v: unknown) => (k === 'addedAt' ? Float64Array.from(v as number[]) : cols.includes(k) ? Uint32Array.from(v as number[]) : v);
          tx.objectStore('itemSummaries').add(Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typed(k, v)])));
        }
        // Packed blocks as the app writes them: one record per modality and batch (ids + [rows, d] vectors).
        const blocks = { ecg: { ids: [] as string[], vecs: [] as Float32Array[] }, cxr: { ids: [] as string[], vecs: [] as Float32Array[] } };
        for (let i = start; i < Math.min(nItems, start + batch); i++) {
          const c = i % nClusters;
          const modality = i % 2 === 0 ? 'ecg' : 'cxr';
          const id = `syn/${String(i).padStart(7, '0')}`;
          const label = labels[c % labels.length];
          items.put({
            id, modality, dataset: 'synthetic', sourceName: `syn-${String(i).padStart(7, '0')}`, labels: [label],
            text: texts[c % nTexts], split: 'train', meta: { cluster: c }, addedAt,
          });
          blocks[modality].ids.push(id);
          blocks[modality].vecs.push(noisy(centres[c], 0.08));
        }
        for (const [modality, b] of Object.entries(blocks)) {
          const vectors = new Float32Array(b.ids.length * d);
          b.vecs.forEach((v, k) => vectors.set(v, k * d));
          embs.add({ version, modality, dim: d, ids: b.ids, vectors });
        }
        await new Promise<void>((res, rej) => {
          tx.oncomplete = () => res();
          tx.onerror = () => rej(tx.error);
          tx.onabort = () => rej(tx.error ?? new Error('aborted'));
        });
      }
      const tx = db.transaction(['embeddingBlocks'], 'readwrite');
      const textVectors = new Float32Array(texts.length * d);
      texts.forEach((_, k) => textVectors.set(noisy(centres[k % nClusters], 0.02), k * d));
      tx.objectStore('embeddingBlocks').add({ version, modality: 'text', dim: d, ids: texts.map((t) => `text:${t}`), vectors: textVectors });
      await new Promise<void>((res, rej) => {
        tx.oncomplete = () => res();
        tx.onerror = () => rej(tx.error);
      });
      db.close();
    },
    { nItems, version, nTexts: N_TEXTS, labels: LABELS, schemaVersion: MIGRATIONS.length, summaries: summaryBlocks(nItems, addedAt), batch: FILL_BATCH, nClusters: N_CLUSTERS, addedAt },
  );
}

const countText = (page: Page) => page.getByTestId('explorer-point-count').textContent();

async function waitFor(what: string, fn: () => Promise<boolean>, timeoutMs: number, pollMs = 25): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    if (await fn()) return performance.now() - t0;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
}

async function measureOne(nItems: number, log: (m: string) => void): Promise<ExplorerBrowserResult> {
  const version = modelVersion();
  const use = config.use!;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: use.launchOptions?.args });
  const n = nItems + N_TEXTS;
  const out: ExplorerBrowserResult = { n, drawnPoints: 0, firstDrawMs: NaN, hoverMs: null, clickNeighboursMs: null, queryMs: null, loadAvg1m: loadavg()[0] };
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx (esbuild keepNames) wraps named functions in __name(); functions sent to page.evaluate need it there.
    await page.addInitScript('globalThis.__name = (f) => f;');
    let closed = '';
    page.on('crash', () => (closed = 'the page crashed (renderer out of memory?)'));
    page.on('close', () => (closed ||= 'the page closed'));
    page.on('pageerror', (e) => log(`page error: ${e.message}`));
    await page.goto(`${ORIGIN}/#/library`);
    await page.getByTestId('nav-explorer').waitFor({ timeout: 120_000 });
    const tFill = performance.now();
    await fillLibrary(page, nItems, version);
    log(`explorer ${n}: library filled in ${((performance.now() - tFill) / 1000).toFixed(1)} s`);
    // A fresh page load, so the app and its explorer worker start on the filled library.
    await page.goto(`${ORIGIN}/`);
    await page.getByTestId('nav-explorer').waitFor({ timeout: 120_000 });
    const t0 = performance.now();
    await page.getByTestId('nav-explorer').click();
    const want = `${n} points`;
    // Phases from the page header: "model <version>" once the points are loaded, "PCA 2-D" once the map exists.
    const head = page.locator('.page__head');
    const phases: Record<string, number> = {};
    out.firstDrawMs = await waitFor('first draw', async () => {
      if (closed) throw new Error(closed);
      const h = (await head.textContent()) ?? '';
      if (!phases.points && h.includes('model ')) phases.points = performance.now() - t0;
      if (!phases.map && h.includes('PCA')) phases.map = performance.now() - t0;
      return (await countText(page))?.trim() === want;
    }, 10 * 60_000, 50);
    out.firstDrawMs = performance.now() - t0; // from the click (the phases share this origin)
    out.phases = phases;
    out.drawnPoints = n;
    log(`explorer ${n}: first draw ${(out.firstDrawMs / 1000).toFixed(2)} s (points loaded at ${fmt(phases.points ?? null)}, map at ${fmt(phases.map ?? null)})`);

    const plot = page.getByTestId('explorer-plot');
    const preview = page.getByTestId('explorer-preview');
    // Hover: pointer onto a point -> a point's name in the preview panel (the nearest point under the
    // pointer may be another one of the dense cluster).
    const p = await pointPosition(plot, 1);
    await page.mouse.move(p.x - 5, p.y - 5);
    await page.mouse.move(p.x, p.y);
    out.hoverMs = await waitFor('hover preview', async () => /syn-\d|Synthetic report/.test((await preview.textContent()) ?? ''), 30_000, 10);
    log(`explorer ${n}: hover -> preview ${out.hoverMs.toFixed(0)} ms`);

    const tc = performance.now();
    await page.mouse.click(p.x, p.y);
    await page.getByTestId('explorer-neighbors').locator('li').first().waitFor({ timeout: 120_000 });
    out.clickNeighboursMs = performance.now() - tc;
    log(`explorer ${n}: click -> neighbours ${out.clickNeighboursMs.toFixed(0)} ms`);

    const box = page.getByRole('textbox', { name: 'Text query' });
    await box.fill('Cardiomegaly with pleural effusion.');
    const tq = performance.now();
    await box.press('Enter');
    await waitFor('query point', async () => (await countText(page))?.trim() === `${n + 1} points`, 5 * 60_000, 50);
    out.queryMs = performance.now() - tq;
    log(`explorer ${n}: text query -> point ${(out.queryMs / 1000).toFixed(2)} s (first query of the page)`);
  } catch (e) {
    out.error = String((e as Error).message ?? e).split('\n')[0].slice(0, 200);
    log(`explorer ${n}: ${out.error}`);
  } finally {
    out.loadAvg1m = loadavg()[0];
    await browser.close().catch(() => undefined);
  }
  return out;
}

async function waitServer(timeoutMs: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      if ((await fetch(ORIGIN)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`vite preview on ${ORIGIN} did not start`);
}

/** Builds (unless skipBuild), serves dist/ on 127.0.0.1:4373 and measures each size in a fresh browser. */
export async function benchExplorerBrowser(opts: { sizes: number[]; skipBuild?: boolean; log: (m: string) => void }): Promise<BenchRow[]> {
  const { log } = opts;
  if (!opts.skipBuild) {
    log('explorer (browser): npx vite build');
    execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
  }
  const server: ChildProcess = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore', detached: true });
  const results: ExplorerBrowserResult[] = [];
  try {
    await waitServer(60_000);
    for (const size of opts.sizes) results.push(await measureOne(size, log));
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
  }
  return results.flatMap(toRows);
}

const fmt = (ms: number | null) => (ms === null || !Number.isFinite(ms) ? 'not reached' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

const phaseNote = (r: ExplorerBrowserResult) =>
  r.phases
    ? `points loaded from IndexedDB at ${fmt(r.phases.points ?? null)}, PCA map at ${fmt(r.phases.map ?? null)}, Plotly scattergl drawn at ${fmt(r.firstDrawMs)}`
    : '';

function toRows(r: ExplorerBrowserResult): BenchRow[] {
  const size = `${r.n.toLocaleString('en-US')} points`;
  const note = `Chromium headless (SwiftShader WebGL), load avg ${r.loadAvg1m.toFixed(1)}${r.error ? `; error: ${r.error}` : ''}`;
  const row = (name: string, ms: number | null, extra = ''): BenchRow => ({
    issue: 5, name, result: fmt(ms), met: null, note: extra ? `${note}; ${extra}` : note,
  });
  const rows = [
    row(`explorer first draw (open #/explorer -> point count shown), ${size}`, r.firstDrawMs, phaseNote(r)),
    row(`explorer hover -> preview, ${size}`, r.hoverMs),
    row(`explorer click -> neighbour list, ${size}`, r.clickNeighboursMs),
    row(`explorer text query -> point added, ${size}`, r.queryMs, 'first query of the page: text embedding (wasm) + neighbours + placement'),
  ];
  if (r.n >= 100_000) rows.unshift(row('render time for 100k points in the browser', r.firstDrawMs, `${size}, open #/explorer -> drawn; ${phaseNote(r)}`));
  return rows;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizes = (args.find((a) => a.startsWith('--sizes='))?.slice(8) ?? '10000,100000').split(',').map(Number);
  const t0 = Date.now();
  const log = (m: string) => console.log(`[explorer-browser ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);
  const startedAt = new Date().toISOString();
  const rows = await benchExplorerBrowser({ sizes, skipBuild: args.includes('--skip-build'), log });
  const md = [
    `# Explorer in the browser (issue 5), ${startedAt}`,
    '',
    `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; Chromium headless (SwiftShader WebGL); sizes ${sizes.join(', ')} (+${N_TEXTS} text points each)`,
    '',
    '| measurement | result | note |',
    '|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.result} | ${r.note ?? ''} |`),
  ].join('\n');
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/explorer-browser.md', md + '\n');
  await writeFile('bench-results/explorer-browser.json', JSON.stringify({ startedAt, rows }, null, 2) + '\n');
  console.log(md);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
  });
}
