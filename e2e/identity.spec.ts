// What the user is told about every file and every job: identity by content (two images with one name
// both go in, one image under two names goes in once), a damaged PNG named damaged, a lone .dat, a .txt
// and a .zip each with their line, a full disk under a small quota, an ingest cut short by a killed
// browser reported on reopen, and a worker closed from inside replaced while a search waits. The first
// drop goes through a real DataTransfer drop event; fixtures are small demo images.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { DEMO_DIR, REPO_ROOT, demoLibrary } from './demo';
import { expect, isOnOrigin, test } from './guard';
import { LibraryPage } from './pages/library';
import { SearchPage } from './pages/search';

const file = (name: string, abs: string) => ({ name, bytes: readFileSync(abs) });
const NIH = join(DEMO_DIR, 'nih-cxr14-mini', 'images');
const pngA = () => file('scan.png', join(NIH, '00000001_000.png'));
const pngB = () => file('scan.png', join(NIH, '00000002_000.png'));

/** The n smallest demo images, as distinct in-memory files. */
function smallImages(n: number, skip = 0): { name: string; bytes: Buffer }[] {
  const images = demoLibrary().images.filter((p) => /\.(png|jpe?g)$/i.test(p));
  const bySize = images.map((p) => ({ p, size: statSync(join(DEMO_DIR, p)).size })).sort((a, b) => a.size - b.size || a.p.localeCompare(b.p));
  return bySize.slice(skip, skip + n).map(({ p }) => file(p.replace(/\//g, '_'), join(DEMO_DIR, p)));
}

test('identity by content, a damaged PNG, and a line for every file (first drop through a real drop event)', async ({ page }) => {
  const library = new LibraryPage(page);
  await library.open();
  await library.expectCount(0, 5 * 60_000);

  await library.dropBuffers([pngA()]);
  await expect(library.report).toContainText('1 added', { timeout: 5 * 60_000 });
  // The count changes with the report, not after it.
  expect(await library.count.textContent()).toMatch(/^1 item\b/);

  // Another image under the same name is a new item.
  await library.addBuffers([pngB()]);
  await expect(library.report).toContainText('1 added, 0 already in the library', { timeout: 5 * 60_000 });
  expect(await library.count.textContent()).toMatch(/^2 items\b/);

  // The same image under two other names: already there, named by what it is stored as.
  await library.addBuffers([{ ...pngA(), name: 'copy-1.png' }, { ...pngA(), name: 'copy-2.png' }]);
  await expect(library.report).toContainText('0 added, 2 already in the library', { timeout: 5 * 60_000 });
  await expect(library.fileLine('copy-1.png')).toContainText('already in the library (as scan.png)');
  await library.expectCount(2);

  // One flipped bit in the image data; a lone signal file; a text file; an archive.
  const bad = pngB();
  bad.bytes[bad.bytes.length - 40] ^= 0x04;
  await library.addBuffers([
    { name: 'flipped.png', bytes: bad.bytes },
    file('00059_lr.dat', join(REPO_ROOT, 'e2e', 'fixtures', 'query', '00319_lr.dat')),
    { name: 'notes.txt', bytes: Buffer.from('not a recording') },
    { name: 'export.zip', bytes: Buffer.from([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]) },
  ]);
  await expect(library.report).toContainText('0 added', { timeout: 5 * 60_000 });
  await expect(library.errors.locator('li')).toHaveCount(1);
  await expect(library.errors).toContainText(/flipped\.png — damaged: CRC mismatch in IDAT chunk \(byte \d+\)/);
  const skipped = page.getByTestId('library-skipped');
  await expect(skipped).toContainText('00059_lr.dat — skipped: a WFDB signal file needs its .hea');
  await expect(skipped).toContainText('notes.txt — skipped: not a supported format');
  await expect(skipped).toContainText(/export\.zip — skipped: .*\.zip/);
  await library.expectCount(2);
});

test('a full disk under a small quota reports how many items were saved and which were not', async ({ page, baseURL }) => {
  test.setTimeout(15 * 60_000);
  // Chromium applies a quota override to storage the origin opens after it, so it is set before the
  // app starts. 4 MB holds the first batch of 16 images (each item keeps its 224 x 224 model input),
  // not 40.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL!).origin, quotaSize: 4_000_000 });
  const library = new LibraryPage(page);
  await library.open();
  await library.expectCount(0, 5 * 60_000);

  await library.addBuffers(smallImages(40));
  const full = page.getByTestId('ingest-storage-full');
  await expect(full).toBeVisible({ timeout: 10 * 60_000 });
  const saved = Number((await full.textContent())!.match(/(\d+) items? (?:was|were) saved before the limit/)![1]);
  expect(saved).toBeGreaterThan(0);
  expect(saved).toBeLessThan(40);
  await expect(full).toContainText(`${40 - saved} records were not saved`);
  await expect(page.getByTestId('library-not-saved').locator('li')).toHaveCount(40 - saved);
  await expect(library.report).toContainText(`${saved} added`);
  await library.expectCount(saved);
});

/** Launches Chromium on a profile folder (so IndexedDB survives), recording requests for the privacy check. */
async function launchProfile(dir: string, baseURL: string, offOrigin: string[]): Promise<BrowserContext> {
  const opts = test.info().project.use.launchOptions ?? {};
  const ctx = await chromium.launchPersistentContext(dir, { ...opts, baseURL, headless: true });
  const origin = new URL(baseURL).origin;
  ctx.on('request', (r) => {
    if (!isOnOrigin(r.url(), origin)) offOrigin.push(r.url());
  });
  return ctx;
}

/** The browser's main process for a profile folder: the one started with it that is not a child (--type=). */
function browserPid(dir: string): number {
  const ps = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  const line = ps.split('\n').find((l) => l.includes(`--user-data-dir=${dir}`) && !l.includes('--type='));
  if (!line) throw new Error(`no browser process for ${dir}`);
  return Number(line.trim().split(/\s+/)[0]);
}

test('an ingest cut short by a killed browser is reported when the app opens again', async ({ baseURL }) => {
  test.setTimeout(15 * 60_000);
  const dir = mkdtempSync(join(tmpdir(), 'medbind-profile-'));
  const offOrigin: string[] = [];
  try {
    const first = await launchProfile(dir, baseURL!, offOrigin);
    const page: Page = first.pages()[0] ?? (await first.newPage());
    const library = new LibraryPage(page);
    await library.open();
    await library.addBuffers(smallImages(40));
    const bar = page.getByTestId('progress').getByRole('progressbar');
    await expect.poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), { timeout: 10 * 60_000, intervals: [200] }).toBeGreaterThanOrEqual(16);
    await expect(page.getByTestId('ingest-report')).toHaveCount(0); // still running
    process.kill(browserPid(dir), 'SIGKILL');
    await first.close().catch(() => undefined);

    const second = await launchProfile(dir, baseURL!, offOrigin);
    const again = second.pages()[0] ?? (await second.newPage());
    const reopened = new LibraryPage(again);
    await reopened.open();
    const notice = again.locator('.notices .notice', { hasText: 'The last ingest' });
    await expect(notice).toContainText(/The last ingest \(40 files\) stopped at (\d+) of 40 items; drop the folder again to finish — stored items are skipped\./, { timeout: 5 * 60_000 });
    const stoppedAt = Number((await notice.textContent())!.match(/stopped at (\d+) of/)![1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(16);
    expect(await reopened.itemCount()).toBeGreaterThanOrEqual(stoppedAt);
    await second.close();
    expect(offOrigin).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker closed from inside is replaced and the search answers; long text and two query files are explained', async ({ page }) => {
  test.setTimeout(10 * 60_000);
  const library = new LibraryPage(page);
  await library.open();
  await library.addBuffers([pngA()]);
  await expect(library.report).toContainText('1 added', { timeout: 5 * 60_000 });

  const search = new SearchPage(page);
  const engine = page.workers().find((w) => w.url().includes('engine'));
  expect(engine, 'the engine worker').toBeTruthy();
  await engine!.evaluate(() => (self as unknown as { close(): void }).close());

  const longQuery = Array.from({ length: 160 }, (_, i) => (i % 2 ? 'cardiomegaly' : 'effusion')).join(' ');
  await search.queryText(longQuery);
  await expect(page.getByTestId('query-notes')).toContainText(
    'The model reads the first 100 words of a text; this query has 160 words, so the search used the first 100.',
    { timeout: 3 * 60_000 },
  );
  await expect(search.cxrResults.first()).toBeVisible();
  await expect(page.locator('.notices .notice', { hasText: 'The compute worker restarted' })).toContainText('stopped answering');
  const heading = await page.getByTestId('query-name').boundingBox();
  expect(heading!.height).toBeLessThan(120);

  await search.fileInput.setInputFiles([
    { name: 'one.png', mimeType: 'image/png', buffer: pngA().bytes },
    { name: 'two.png', mimeType: 'image/png', buffer: pngB().bytes },
  ]);
  await expect(page.getByTestId('query-notes')).toContainText('2 query items were dropped; only one.png is searched (not two.png)');
});
