// The library flow: load the demo library, keep it across a reload, and ingest a folder with one corrupt
// file (the good records go in; the bad one is listed by name).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoLibrary, REPO_ROOT } from './demo';
import { expect, test } from './guard';
import { LibraryPage } from './pages/library';

// Four PTB-XL records; 00003_lr.dat is cut short (see e2e/fixtures/README.md).
const CORRUPT_DIR = join(REPO_ROOT, 'e2e', 'fixtures', 'ecg-one-corrupt');

test('load demo library, count matches the demo, and a reload keeps it', async ({ page }) => {
  const demo = demoLibrary();
  expect(demo.itemCount).toBeGreaterThan(0);
  const library = new LibraryPage(page);
  await library.open();

  await library.loadDemo(demo.itemCount);
  await expect(library.count).toBeVisible();

  await page.reload();
  await library.expectCount(demo.itemCount, 5 * 60_000);
});

test('a folder with one corrupt file ingests the rest and lists the bad one', async ({ page }) => {
  const names = readdirSync(CORRUPT_DIR).sort();
  const library = new LibraryPage(page);
  await library.open();
  await library.expectCount(0, 5 * 60_000);

  await library.addFiles(names.map((n) => join(CORRUPT_DIR, n)));

  const records = names.filter((n) => n.endsWith('.hea')).map((n) => n.replace(/\.hea$/, ''));
  expect(records).toContain('00003_lr');
  await library.expectCount(records.length - 1);
  await expect(library.errors).toBeVisible();
  await expect(library.errors.locator('li')).toHaveCount(1);
  await expect(library.errors).toContainText('00003_lr');
  for (const good of records.filter((r) => r !== '00003_lr')) await expect(library.errors).not.toContainText(good);
});
