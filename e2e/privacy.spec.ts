// Privacy: the page and the worker scripts are served with a CSP whose connect-src is 'self' (a dedicated
// worker takes its CSP from its own response, not from the page), and the app makes no request outside
// its origin (the guard in ./guard.ts checks that for this and every other spec).
import type { Page, Worker } from '@playwright/test';
import { demoLibrary } from './demo';
import { expect, test, type RequestLog } from './guard';
import { LibraryPage } from './pages/library';

function connectSrc(csp: string | undefined): string[] | null {
  const directive = (csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => /^connect-src\s/i.test(d));
  return directive ? directive.split(/\s+/).slice(1) : null;
}

async function headersOf(page: Page, log: RequestLog, url: string): Promise<Record<string, string>> {
  const seen = log.responses.get(url);
  if (seen) return seen.allHeaders();
  // Not every Chromium version reports a worker's own script request to Playwright: fetch the same URL.
  const res = await page.request.get(url);
  expect(res.ok(), `GET ${url}`).toBe(true);
  return res.headers();
}

test('page and worker responses carry CSP connect-src \'self\'; no request leaves the origin', async ({
  page,
  requestLog,
}) => {
  const workers: Worker[] = [];
  page.on('worker', (w) => workers.push(w));
  const response = await page.goto('/');
  const origin = new URL(page.url()).origin;
  expect(response, 'page response').not.toBeNull();
  const pageCsp = (await response!.allHeaders())['content-security-policy'];
  console.log(`page CSP: ${pageCsp}`);
  expect(connectSrc(pageCsp)).toEqual(["'self'"]);

  // The engine worker starts with the app, from a script file of its own.
  await expect
    .poll(() => workers.filter((w) => w.url().startsWith(origin)).length, { message: 'worker scripts started' })
    .toBeGreaterThan(0);
  for (const w of workers) {
    const url = w.url();
    if (url.startsWith('blob:')) {
      // A blob: worker inherits the policy of the document that created it (checked above).
      console.log(`worker ${url} inherits the page CSP`);
      continue;
    }
    const headers = await headersOf(page, requestLog, url);
    console.log(`worker ${url} CSP: ${headers['content-security-policy']}`);
    expect(connectSrc(headers['content-security-policy']), url).toEqual(["'self'"]);
  }

  // Every request so far stayed on the origin (the guard asserts it again at the end).
  expect(requestLog.urls.length).toBeGreaterThan(0);
  expect(requestLog.offOrigin).toEqual([]);
});

test('ingest\'s decode workers start from a same-origin script of their own with the same CSP', async ({ page, requestLog }) => {
  const workers: Worker[] = [];
  page.on('worker', (w) => workers.push(w));
  const library = new LibraryPage(page);
  await library.open();
  const origin = new URL(page.url()).origin;
  // The demo library is more than one batch: the engine parses it on decode workers.
  await library.loadDemo(demoLibrary().itemCount);
  const decodeUrls = () => [...new Set([...requestLog.urls, ...workers.map((w) => w.url())].filter((u) => /\/decode\.worker[^/]*\.js$/.test(u)))];
  await expect.poll(() => decodeUrls().length, { message: 'decode worker script requested' }).toBeGreaterThan(0);
  for (const url of decodeUrls()) {
    expect(url.startsWith(origin), url).toBe(true);
    const headers = await headersOf(page, requestLog, url);
    console.log(`decode worker ${url} CSP: ${headers['content-security-policy']}`);
    expect(connectSrc(headers['content-security-policy']), url).toEqual(["'self'"]);
  }
  expect(requestLog.offOrigin).toEqual([]);
});
