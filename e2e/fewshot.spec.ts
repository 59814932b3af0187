// Few-shot fine-tuning over the demo library: a short run (small K, few epochs) finishes, its validation
// balanced accuracy beats the base model's zero-shot figure on the same items, the new model version
// survives a reload, and exporting then importing that version gives the same embeddings. The classes are
// the pediatric CXR subtypes (bacterial / viral pneumonia / normal), a label column the model's text never
// named: the case few-shot learning is for.
import { expect, test } from './guard';
import { demoLibrary } from './demo';
import { accuracyOf } from './pages/app';
import { ExplorerPage, type ProjectorExport } from './pages/explorer';
import { FewShotPage } from './pages/lab';
import { LibraryPage } from './pages/library';

const K = '8';
const EPOCHS = 10;

/** Item embeddings by id from an Embedding Projector export. */
function embeddingsById(e: ProjectorExport): Map<string, number[]> {
  const idCol = e.header.indexOf('id');
  expect(idCol, `metadata header ${e.header}`).toBeGreaterThanOrEqual(0);
  return new Map(e.rows.map((r, i) => [r[idCol], e.vectors[i]]));
}

test('few-shot run beats zero-shot, its version survives a reload, export -> import keeps the embeddings', async ({
  page,
}, testInfo) => {
  const demo = demoLibrary();
  const library = new LibraryPage(page);
  const fewshot = new FewShotPage(page);
  const explorer = new ExplorerPage(page);
  await library.open();
  await library.loadDemo(demo.itemCount);
  const libraryItems = await library.itemCount();

  await fewshot.nav('fewshot');
  await expect(fewshot.versionSelect.locator('option').first()).toBeAttached({ timeout: 5 * 60_000 });
  const before = await fewshot.versionIds();
  const shipped = before[0];

  let version = '';
  await test.step(`fine-tune with K = ${K}, ${EPOCHS} epochs`, async () => {
    await fewshot.useColumn('cxr', 'meta:subtype');
    await fewshot.fineTune(K, EPOCHS);
    const fewShot = accuracyOf((await fewshot.accuracy.textContent()) ?? '');
    const zeroShot = accuracyOf((await fewshot.zeroShotAccuracy.textContent()) ?? '');
    console.log(`few-shot validation balanced accuracy ${fewShot}; zero-shot on the same items ${zeroShot}`);
    expect(fewShot).toBeGreaterThan(zeroShot);
    // The version list refreshes just after the run reports done.
    await expect(fewshot.versionSelect.locator('option')).toHaveCount(before.length + 1);
    const added = (await fewshot.versionIds()).filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    version = added[0];
    await expect(fewshot.status).toContainText(version);
  });

  await test.step('the new version survives a reload', async () => {
    await page.reload();
    await fewshot.nav('fewshot');
    await expect(fewshot.versionSelect.locator(`option[value="${version}"]`)).toBeAttached({ timeout: 2 * 60_000 });
  });

  let original: Map<string, number[]> = new Map();
  await test.step('embed the library with the new version and export its embeddings', async () => {
    await fewshot.activate(version, libraryItems);
    await page.reload(); // a fresh explorer worker reads the stored embeddings
    await explorer.nav('explorer');
    await explorer.drawnPoints();
    original = embeddingsById(await explorer.exportProjector());
    expect(original.size).toBeGreaterThanOrEqual(libraryItems);
  });

  const files: string[] = [];
  await test.step('export the version, delete it, import it back', async () => {
    await fewshot.nav('fewshot');
    for (const d of await fewshot.exportVersion(version)) {
      const path = testInfo.outputPath(d.suggestedFilename());
      await d.saveAs(path);
      files.push(path);
    }
    console.log(`exported: ${files.map((f) => f.split('/').pop()).join(', ')}`);
    await fewshot.activate(shipped, libraryItems);
    await fewshot.versionRow(version).getByRole('button', { name: 'Delete' }).click();
    await expect(fewshot.versionSelect.locator(`option[value="${version}"]`)).toHaveCount(0);

    await page.getByTestId('version-import').setInputFiles(files);
    await expect(page.getByTestId('version-message')).toContainText('Imported', { timeout: 2 * 60_000 });
    await expect(fewshot.versionSelect.locator(`option[value="${version}"]`)).toBeAttached();
  });

  await test.step('the imported version gives the same embeddings', async () => {
    await fewshot.activate(version, libraryItems);
    await page.reload();
    await explorer.nav('explorer');
    await explorer.drawnPoints();
    const reimported = embeddingsById(await explorer.exportProjector());
    expect([...reimported.keys()].sort()).toEqual([...original.keys()].sort());
    let maxDiff = 0;
    for (const [id, v] of original) {
      const w = reimported.get(id)!;
      for (let j = 0; j < v.length; j++) maxDiff = Math.max(maxDiff, Math.abs(v[j] - w[j]));
    }
    console.log(`max |difference| between embeddings before export and after import: ${maxDiff}`);
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
