// Which compute backend runs, and that it is never a silent fallback: by default the app uses WebGPU only on
// a hardware adapter (here Chromium offers SwiftShader, a software adapter, so wasm is expected), and
// `?backend=webgpu` forces the engine worker onto WebGPU, whose adapter the badge names.
// SwiftShader is slow, so the forced run only embeds one short text query.
import { demoLibrary } from './demo';
import { expect, test } from './guard';
import { LibraryPage } from './pages/library';
import { SearchPage } from './pages/search';

/** The running backend: the badge's first word (its text is "<backend> (<adapter>) — <reason>"). */
const runningBackend = (badge: string) => badge.trim().split(/[\s(—-]/)[0].toLowerCase();

/** What the page itself sees: is a WebGPU adapter there, and is it a software one? */
async function pageAdapter(page: import('@playwright/test').Page) {
  return page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<any> } }).gpu;
    const adapter = gpu ? await gpu.requestAdapter() : null;
    if (!adapter) return null;
    const info = adapter.info ?? {};
    return {
      vendor: String(info.vendor ?? ''),
      architecture: String(info.architecture ?? ''),
      fallback: Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter),
    };
  });
}

test('default run names its backend, and uses WebGPU only on a hardware adapter', async ({ page }) => {
  const app = new LibraryPage(page);
  await app.open();
  const badge = await app.backendText();
  console.log(`backend-badge (default): ${badge}`);
  const adapter = await pageAdapter(page);
  console.log(`page WebGPU adapter: ${JSON.stringify(adapter)}`);
  const software = !adapter || adapter.fallback || /swiftshader/i.test(adapter.architecture);
  expect(runningBackend(badge)).toBe(software ? 'wasm' : 'webgpu');
  // The reason is shown with it (never a silent fallback).
  expect(badge).toMatch(/—\s*\S+/);
});

test('?backend=webgpu runs the engine worker on WebGPU and names the adapter', async ({ page }) => {
  const demo = demoLibrary();
  const library = new LibraryPage(page);
  // Fill the library on the default backend first (fast), then reopen forced to WebGPU: stored embeddings
  // are reused, so WebGPU only has to embed the query text.
  await library.open();
  await library.loadDemo(demo.itemCount);

  const search = new SearchPage(page);
  await search.open('?backend=webgpu', 'search');
  const badge = await search.backendText(8 * 60_000);
  console.log(`backend-badge (?backend=webgpu): ${badge}`);
  expect(runningBackend(badge)).toBe('webgpu');
  const adapterText = badge.match(/\(([^)]+)\)/)?.[1] ?? '';
  console.log(`WebGPU adapter: ${adapterText}`);
  const adapter = await pageAdapter(page);
  expect(adapter, 'Chromium offers a WebGPU adapter').not.toBeNull();
  // The worker's adapter is the one the page sees (vendor or architecture named in the badge).
  const names = [adapter!.vendor, adapter!.architecture].filter((s) => s.length > 0);
  expect(names.some((s) => adapterText.toLowerCase().includes(s.toLowerCase())), `"${adapterText}" vs ${names}`).toBe(true);

  await search.queryText('Normal sinus rhythm.');
  await search.expectSome(search.textResults, 8 * 60_000);
  await search.expectFindings();
  // Still on WebGPU after the work: nothing fell back.
  expect(runningBackend(await search.backendText())).toBe('webgpu');
});

test('the wasm backend runs threaded (SIMD + threads) in the cross-origin isolated build, and embeds', async ({ page }) => {
  const search = new SearchPage(page);
  await search.open('?backend=wasm', 'search');
  const badge = await search.backendText(5 * 60_000);
  console.log(`backend-badge (?backend=wasm): ${badge}`);
  expect(runningBackend(badge)).toBe('wasm');
  const threads = Number(badge.match(/\((\d+) threads?\)/)?.[1] ?? NaN);
  const env = await page.evaluate(() => ({ isolated: self.crossOriginIsolated, cores: navigator.hardwareConcurrency }));
  console.log(`wasm threads: ${threads}; page: ${JSON.stringify(env)}`);
  expect(Number.isInteger(threads)).toBe(true);
  // Headless Chromium with COOP/COEP offers SharedArrayBuffer: threads whenever there is more than one core.
  if (env.isolated && env.cores > 1) expect(threads).toBeGreaterThan(1);
  // The thread pool really works: a text query is embedded and answered. This page's library is empty,
  // so the answer is the query's own block saying that no findings text is close.
  await search.queryText('Normal sinus rhythm.');
  await expect(search.noFindings).toBeVisible({ timeout: 5 * 60_000 });
  expect(runningBackend(await search.backendText())).toBe('wasm');
});
