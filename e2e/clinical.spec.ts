// Clinical prediction (the paper's Table 4 protocol) on the demo library: the Hannover COVID-19 CXRs with
// ICU admission as the outcome, text-only vs text + CXR embedding, a short run (few epochs, small rank);
// the comparison table shows both rows with their n, and the saved predictor survives a reload and
// predicts library items.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './guard';
import { DEMO_DIR, demoLibrary } from './demo';
import { ClinicalPage } from './pages/clinical';
import { LibraryPage } from './pages/library';

// The demo's Hannover rows and patients, read from the data.csv the app ingests.
const hannoverRows = readFileSync(join(DEMO_DIR, 'covid19-hannover-cxr', 'data.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
const HANNOVER_DEMO_ITEMS = hannoverRows.length;
const HANNOVER_DEMO_PATIENTS = new Set(hannoverRows.map((r) => r.split(',')[0])).size;

test('clinical prediction: text vs text + CXR on a Hannover outcome, saved predictor survives a reload', async ({ page }) => {
  test.setTimeout(30 * 60_000);
  const demo = demoLibrary();
  const library = new LibraryPage(page);
  const clinical = new ClinicalPage(page);
  await library.open();
  await library.loadDemo(demo.itemCount);

  await clinical.nav('clinical');
  await expect(page.getByTestId('clinical-caveat')).toContainText('71 patients');
  await expect(page.getByTestId('clinical-caveat')).toContainText('No public data links a CXR and an ECG of one patient');
  await expect(page.getByTestId('clinical-outcome')).toHaveValue('meta:icu');
  // The live preview renders the template on a Hannover item; a missing lab value reads "unknown".
  await expect(clinical.preview).toContainText(/(male|female) patient, (AP|PA) view/, { timeout: 2 * 60_000 });
  await page.getByTestId('clinical-template').fill('{sex} patient, CRP {crp_val} mg/l, {no_such_column}.');
  await expect(clinical.preview).toContainText(/patient, CRP .* mg\/l, unknown\./);
  await page.getByRole('button', { name: 'Hannover template' }).click();
  await expect(page.getByTestId('clinical-set-text')).toBeChecked();
  await expect(page.getByTestId('clinical-set-text+cxr')).toBeChecked();
  await clinical.setNumber('clinical-epochs', 3);
  await clinical.setNumber('clinical-rank', 2);
  await clinical.setNumber('clinical-k', 1);

  let id = '';
  await test.step('train and compare', async () => {
    id = await clinical.train();
    expect(id).toMatch(/^clinical-\d+$/);
    await expect(clinical.row('text')).toBeVisible();
    await expect(clinical.row('text+cxr')).toBeVisible();
    expect(await clinical.rowN('text')).toBe(HANNOVER_DEMO_ITEMS);
    expect(await clinical.rowN('text+cxr')).toBe(HANNOVER_DEMO_ITEMS);
    await expect(page.getByTestId('clinical-summary')).toContainText(`${HANNOVER_DEMO_ITEMS} items of ${HANNOVER_DEMO_PATIENTS} patients`);
    await expect(clinical.row('text+cxr').getByTestId('clinical-row-auroc')).toHaveText(/\d+\.\d \[\d+\.\d, \d+\.\d\]/);
    await expect(page.getByTestId('clinical-loss-chart')).toBeVisible();
  });

  await test.step('the saved predictor survives a reload and predicts items', async () => {
    await page.reload();
    await clinical.nav('clinical');
    const saved = page.locator(`[data-testid="clinical-predictor"][data-id="${id}"]`);
    await expect(saved).toBeVisible({ timeout: 2 * 60_000 });
    await expect(saved).toContainText('text+cxr');
    await saved.getByTestId('clinical-apply').click();
    await expect(page.getByTestId('clinical-predictions').locator('tbody tr')).toHaveCount(HANNOVER_DEMO_ITEMS, { timeout: 5 * 60_000 });
  });
});
