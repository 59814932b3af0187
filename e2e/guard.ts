// Privacy guard shared by every spec: patient data must never leave the browser, so each test records all
// requests of its browser context (pages, dedicated workers, service workers) and fails if any URL is not
// on the app's origin. Content-Security-Policy violations reported on the console fail the test too:
// a blocked request is still a request the app tried to make.
import { test as base, expect, type Request, type Response } from '@playwright/test';

export interface RequestLog {
  /** Every request URL seen in this test's browser context, in order. */
  urls: string[];
  /** Responses by URL (the last one wins), for header checks. */
  responses: Map<string, Response>;
  /** Requests whose URL is not on the app's origin. */
  offOrigin: string[];
  /** Console messages that report a Content-Security-Policy violation. */
  cspViolations: string[];
}

/** True for URLs that stay inside the browser or on the app's own origin. */
export function isOnOrigin(url: string, origin: string): boolean {
  if (url.startsWith('data:') || url.startsWith('about:')) return true;
  // blob: URLs carry their creator's origin: blob:http://127.0.0.1:4173/uuid
  const bare = url.startsWith('blob:') ? url.slice('blob:'.length) : url;
  try {
    return new URL(bare).origin === origin;
  } catch {
    return false;
  }
}

export const test = base.extend<{ requestLog: RequestLog }>({
  requestLog: [
    async ({ context, baseURL }, use, testInfo) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1:4173').origin;
      const log: RequestLog = { urls: [], responses: new Map(), offOrigin: [], cspViolations: [] };
      const onRequest = (req: Request) => {
        const url = req.url();
        log.urls.push(url);
        if (!isOnOrigin(url, origin)) log.offOrigin.push(`${req.method()} ${url} (${req.resourceType()})`);
      };
      const onResponse = (res: Response) => {
        log.responses.set(res.url(), res);
      };
      context.on('request', onRequest);
      context.on('response', onResponse);
      context.on('console', (msg) => {
        if (/Content Security Policy/i.test(msg.text())) log.cspViolations.push(msg.text());
      });
      const onWorkerConsole = (msg: { text(): string }) => {
        if (/Content Security Policy/i.test(msg.text())) log.cspViolations.push(msg.text());
      };
      context.on('page', (page) => {
        page.on('websocket', (ws) => log.offOrigin.push(`websocket ${ws.url()}`));
        page.on('worker', (worker) => worker.on('console', onWorkerConsole));
      });
      // Pages opened before this point (the default `page` fixture is created after this one when a test
      // asks for both, but guard it anyway).
      for (const page of context.pages()) page.on('websocket', (ws) => log.offOrigin.push(`websocket ${ws.url()}`));

      await use(log);

      context.off('request', onRequest);
      context.off('response', onResponse);
      await testInfo.attach('requests.txt', { body: log.urls.join('\n'), contentType: 'text/plain' });
      expect(log.offOrigin, `requests that left ${origin}`).toEqual([]);
      expect(log.cspViolations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
