// Zero-shot classification over a labelled subset of the demo library with the default (paper) prompts:
// a confusion matrix is drawn, it counts the per-item table, the balanced accuracy shown is the one of that
// matrix, and a run survives leaving the page.
import { demoLibrary } from './demo';
import { expect, test } from './guard';
import { ZeroShotPage } from './pages/lab';
import { LibraryPage } from './pages/library';

test('zero-shot over labelled demo items shows a confusion matrix and a balanced accuracy', async ({ page }) => {
  const demo = demoLibrary();
  const library = new LibraryPage(page);
  await library.open();
  await library.loadDemo(demo.itemCount);

  const zeroshot = new ZeroShotPage(page);
  await zeroshot.nav('zeroshot');
  // The paper's PTB-XL superclass prompts, on the PTB-XL items of the demo.
  await zeroshot.usePromptSet('paper/ptbxl-superclass');
  await zeroshot.onlyDataset('ptb-xl');
  const accuracy = await zeroshot.runAndReadAccuracy();
  console.log(`zero-shot balanced accuracy: ${accuracy} ("${(await zeroshot.accuracy.textContent())?.trim()}")`);

  // A Plotly heatmap with one row and one column per class, and at least one labelled item counted.
  await expect(zeroshot.confusion.first()).toBeVisible();
  const heatmap = zeroshot.confusion.first().locator('.js-plotly-plot .heatmaplayer .hm');
  await expect(heatmap.first()).toBeAttached();
  const plotted = await zeroshot.confusion
    .first()
    .locator('.js-plotly-plot')
    .evaluate((gd: any) => ({ z: (gd.data?.[0]?.z as number[][] | undefined) ?? null, classes: (gd.data?.[0]?.y as string[] | undefined) ?? [] }));
  const cellCounts = plotted.z;
  expect(cellCounts, 'confusion matrix values').not.toBeNull();
  const nClasses = cellCounts!.length;
  expect(nClasses).toBeGreaterThanOrEqual(2);
  expect(cellCounts!.every((row) => row.length === nClasses)).toBe(true);
  const total = cellCounts!.flat().reduce((s, v) => s + v, 0);
  expect(total).toBeGreaterThan(0);
  expect(total).toBeLessThanOrEqual(demo.itemCount);
  const summary = (await page.locator('p', { has: zeroshot.accuracy }).textContent()) ?? '';
  const nLabelled = Number(summary.match(/over the (\d+) items/)?.[1]);
  expect(total, summary).toBe(nLabelled);
  // The matrix is the per-item table counted: every labelled row (true class shown) in its cell, so the
  // counts add up to n independently of the summary line.
  const rows = await page.getByTestId('zeroshot-items').locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim())),
  );
  await expect(page.getByText(/^First \d+ of \d+ items shown/), 'every item of the run is in the table').toHaveCount(0);
  const counted = plotted.classes.map(() => plotted.classes.map(() => 0));
  for (const [, , truth, predicted] of rows) {
    if (truth === '—') continue;
    counted[plotted.classes.indexOf(truth)][plotted.classes.indexOf(predicted)]++;
  }
  expect(counted, 'confusion matrix = the item table counted').toEqual(cellCounts);
  expect(rows.filter((r) => r[2] !== '—')).toHaveLength(total);
  // The figure shown is the balanced accuracy of this matrix (rows = true class): mean recall over the
  // classes that have items.
  const recalls = cellCounts!
    .map((row, t) => ({ hit: row[t], n: row.reduce((s, v) => s + v, 0) }))
    .filter((r) => r.n > 0)
    .map((r) => r.hit / r.n);
  const fromMatrix = recalls.reduce((s, v) => s + v, 0) / recalls.length;
  expect(Math.abs(fromMatrix - accuracy)).toBeLessThan(0.0011);

  // The run lives in app state, not in the page: started again and left at once for another page, it
  // finishes meanwhile and its (same, deterministic) result is there on coming back.
  const shown = ((await zeroshot.accuracy.textContent()) ?? '').trim();
  await zeroshot.run.click();
  await zeroshot.nav('library');
  await expect(zeroshot.accuracy).toHaveCount(0);
  await zeroshot.nav('zeroshot');
  await expect(zeroshot.accuracy).toHaveText(shown, { timeout: 10 * 60_000 });
  await expect(zeroshot.confusion.first()).toBeVisible();
});
