// Pair binding on the demo library: import the shipped demo pairing CSV, see which rows matched library
// items (and why the others did not), bind for a few epochs (TMCL + EMCL on the heads, in the lab worker),
// the before/after table appears, the bound version is active and survives a reload, and the search page's
// caveat names the pairing it learned from.
import { join } from 'node:path';
import { demoLibrary, REPO_ROOT } from './demo';
import { expect, test } from './guard';
import { firstNumber } from './pages/app';
import { FewShotPage } from './pages/lab';
import { LibraryPage } from './pages/library';
import { PairsPage } from './pages/pairs';
import { SearchPage } from './pages/search';

const PAIRING = join(REPO_ROOT, 'public', 'weights', 'demo-pairing.csv');
const QUERY_CXR = join(REPO_ROOT, 'e2e', 'fixtures', 'query', 'cxr.png');
const EPOCHS = 4;

test('bind the demo pairing: match report, before/after table, the version survives a reload and search names its pairing', async ({ page }) => {
  test.setTimeout(15 * 60_000);
  const demo = demoLibrary();
  const library = new LibraryPage(page);
  const pairs = new PairsPage(page);
  await library.open();
  await library.loadDemo(demo.itemCount);
  const libraryItems = await library.itemCount();

  let matched = 0;
  await test.step('import the demo pairing: the rows outside the demo library are listed with their reason', async () => {
    await pairs.nav('pairs');
    matched = await pairs.importPairing(PAIRING);
    expect(matched).toBeGreaterThanOrEqual(3);
    await expect(pairs.report).toContainText('of 325 rows matched');
    await expect(page.getByTestId('pairs-unmatched')).toContainText('is not in the library');
  });

  await test.step(`bind for ${EPOCHS} epochs`, async () => {
    await pairs.bind(EPOCHS);
    await expect(pairs.curve).toBeVisible();
    const counts = (await pairs.counts.textContent()) ?? '';
    expect(counts).toContain('demo-pairing.csv');
    expect(firstNumber(counts.split('rows,')[1] ?? '')).toBe(matched);
    for (const row of ['cxrToEcg-before', 'cxrToEcg-after', 'ecgToCxr-before', 'ecgToCxr-after']) {
      await expect(page.getByTestId(`bind-row-${row}`)).toContainText(/\d+\.\d \[/);
    }
    await expect(pairs.activated).toBeVisible({ timeout: 2 * 60_000 });
    await expect(pairs.active).toContainText(`demo-pairing.csv (${matched} pairs)`, { timeout: 60_000 });
  });

  await test.step('search uses the bound version (once the library is re-embedded) and its caveat names the pairing', async () => {
    const fewshot = new FewShotPage(page);
    await fewshot.nav('fewshot');
    await expect(fewshot.versionSelect).toHaveValue(/^bind-\d+$/, { timeout: 2 * 60_000 });
    const version = await fewshot.versionSelect.inputValue();
    await fewshot.expectEmbedded(version, libraryItems);
    const search = new SearchPage(page);
    await search.queryFiles([QUERY_CXR]);
    await search.expectSome(search.ecgResults);
    await expect(page.getByTestId('pairing-notice-source')).toHaveText(`demo-pairing.csv (${matched} pairs)`);
  });

  await test.step('the bound version stays active after a reload', async () => {
    await page.reload();
    await pairs.nav('pairs');
    await expect(pairs.active).toContainText(`demo-pairing.csv (${matched} pairs)`, { timeout: 2 * 60_000 });
  });
});
