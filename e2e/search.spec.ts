// Search over the demo library: a CXR query finds ECGs (each drawn as a 12-lead plot), an ECG query finds
// CXRs, and a typed text query finds texts and items; the query's own text findings are shown.
import { join } from 'node:path';
import { demoLibrary, REPO_ROOT } from './demo';
import { expect, test } from './guard';
import { LibraryPage } from './pages/library';
import { SearchPage } from './pages/search';

// Query files that are not in the demo library (see e2e/fixtures/README.md).
const QUERY_DIR = join(REPO_ROOT, 'e2e', 'fixtures', 'query');
const QUERY_CXR = join(QUERY_DIR, 'cxr.png');
const QUERY_ECG = [join(QUERY_DIR, '00319_lr.hea'), join(QUERY_DIR, '00319_lr.dat')];

test('CXR -> ECG, ECG -> CXR and text queries over the demo library', async ({ page }) => {
  const demo = demoLibrary();
  const library = new LibraryPage(page);
  const search = new SearchPage(page);
  await library.open();
  await library.loadDemo(demo.itemCount);

  await test.step('drop a CXR: ECG results, each with a 12-lead plot', async () => {
    await search.queryFiles([QUERY_CXR]);
    const n = await search.expectSome(search.ecgResults);
    for (let i = 0; i < n; i++) {
      const plot = search.ecgResults.nth(i).getByTestId('ecg-plot');
      await expect(plot).toHaveCount(1);
      await expect(plot).toBeVisible();
      // Drawn by Plotly (not the "Loading signal…" placeholder): signal lines and the 12 lead labels.
      await expect(plot.locator('.js-plotly-plot path.js-line').first()).toBeAttached();
      await expect.poll(() => plot.locator('.annotation-text').count()).toBeGreaterThanOrEqual(12);
      await expect(plot).toContainText('V6');
    }
    await search.expectFindings();
  });

  // A reload clears the previous results (the library stays), so each step sees only its own query's.
  await test.step('drop an ECG (.hea with its .dat): CXR results', async () => {
    await page.reload();
    await expect(search.cxrResults).toHaveCount(0);
    await search.queryFiles(QUERY_ECG);
    await search.expectSome(search.cxrResults);
    await search.expectFindings();
  });

  await test.step('type a text query: text results, item results and findings', async () => {
    await page.reload();
    await expect(search.textResults).toHaveCount(0);
    await search.queryText('Findings suggesting pneumonia.');
    await search.expectSome(search.textResults);
    await expect(search.ecgResults.or(search.cxrResults).first()).toBeVisible();
    // The findings are the texts nearest to the query: the head of the text results, in the same order.
    const findings = await search.expectFindings();
    const nearest = (await search.textResults.locator('.text-results__text').allTextContents()).map((t) => t.trim());
    expect(findings).toEqual(nearest.slice(0, findings.length));
  });
});
