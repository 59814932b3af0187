// The embedding explorer over the demo library: one point per library item (plus the library's text
// points), a click lists a point's neighbours, a text query adds its point, and the Embedding Projector
// export has one row per point that matches the library.
import { demoLibrary } from './demo';
import { expect, test } from './guard';
import { ExplorerPage } from './pages/explorer';
import { LibraryPage } from './pages/library';

test('explorer: point count, neighbours, text query, export', async ({ page }) => {
  const demo = demoLibrary();
  const library = new LibraryPage(page);
  await library.open();
  await library.loadDemo(demo.itemCount);
  const libraryItems = await library.itemCount();
  const libraryEcgs = await library.modalityCount('12-lead ECGs');
  const libraryCxrs = await library.modalityCount('Chest X-rays');
  expect(libraryEcgs + libraryCxrs).toBe(libraryItems);

  const explorer = new ExplorerPage(page);
  await explorer.nav('explorer');
  await expect(explorer.plot).toBeVisible();
  const drawn = await explorer.drawnPoints();
  const legend = await explorer.legendCounts();
  console.log(`explorer: ${drawn} points; legend ${JSON.stringify(legend)}`);
  const textPoints = legend.text ?? 0;
  expect(drawn).toBe(libraryItems + textPoints);
  expect(legend.ecg ?? 0).toBe(libraryEcgs);
  expect(legend.cxr ?? 0).toBe(libraryCxrs);

  await test.step('export: vectors.tsv + metadata.tsv, one row per point, matching the library', async () => {
    const { vectors, header, rows } = await explorer.exportProjector();
    expect(vectors.length).toBe(drawn);
    expect([...new Set(vectors.map((v) => v.length))]).toEqual([256]);
    expect(vectors.every((v) => v.every(Number.isFinite))).toBe(true);
    // Unit vectors (the space is L2-normalised).
    for (const v of vectors) expect(Math.hypot(...v)).toBeCloseTo(1, 2);

    expect(rows.length).toBe(drawn);
    const idCol = header.indexOf('id');
    const modCol = header.indexOf('modality');
    expect(idCol, `metadata header: ${header}`).toBeGreaterThanOrEqual(0);
    expect(modCol, `metadata header: ${header}`).toBeGreaterThanOrEqual(0);
    const ids = rows.map((r) => r[idCol]);
    expect(new Set(ids).size).toBe(ids.length);
    const items = rows.filter((r) => r[modCol] === 'ecg' || r[modCol] === 'cxr');
    expect(items.length).toBe(libraryItems);
    expect(rows.filter((r) => r[modCol] === 'ecg').length).toBe(libraryEcgs);
    expect(rows.filter((r) => r[modCol] === 'cxr').length).toBe(libraryCxrs);
  });

  await test.step('click a point: its neighbours are listed', async () => {
    await explorer.clickPoint(0);
    await expect(explorer.neighbors).toBeVisible({ timeout: 60_000 });
    await expect(explorer.neighbors.locator('li').first()).toBeVisible();
    // Clear the selection again (its markers are not new points).
    await page.locator('.panel', { has: explorer.neighbors }).getByRole('button', { name: 'Clear' }).click();
    await expect(explorer.neighbors).toHaveCount(0);
    await explorer.expectPointCount(drawn);
  });

  await test.step('a text query adds its point to the map', async () => {
    await explorer.queryText('Cardiomegaly with pleural effusion.');
    await explorer.expectPointCount(drawn + 1);
  });
});
