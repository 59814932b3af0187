// Two tabs of one browser profile share the library: an ingest in one tab reaches the other's count and
// search within seconds (the engines announce changes on a BroadcastChannel), and the same folder dropped
// in the second tab is reported as already in the library, not as added again.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './demo';
import { expect, test } from './guard';
import { LibraryPage } from './pages/library';
import { SearchPage } from './pages/search';

// Four PTB-XL records, one cut short: three go in (see e2e/fixtures/README.md).
const DIR = join(REPO_ROOT, 'e2e', 'fixtures', 'ecg-one-corrupt');

test("an ingest in one tab updates the other tab's count and search", async ({ page, context }) => {
  const files = readdirSync(DIR).sort().map((n) => join(DIR, n));
  const a = new LibraryPage(page);
  await a.open();
  await a.expectCount(0, 5 * 60_000);
  const other = await context.newPage();
  const b = new LibraryPage(other);
  await b.open();
  await b.expectCount(0, 5 * 60_000);

  await a.addFiles(files);
  await a.expectCount(3);
  await expect(a.report).toContainText('3 added');
  // The other tab was told: its count follows without a reload.
  await b.expectCount(3, 10_000);

  // Its search index follows the store too: a text query finds the new ECGs.
  const search = new SearchPage(other);
  await search.queryText('sinus rhythm');
  expect(await search.expectSome(search.ecgResults, 30_000)).toBe(3);

  // The same folder in the second tab: nothing is added twice.
  const b2 = new LibraryPage(other);
  await b2.addFiles(files);
  await expect(b2.report).toContainText('0 added, 3 already in the library', { timeout: 60_000 });
  await b2.expectCount(3);
  await a.expectCount(3, 10_000);
});
