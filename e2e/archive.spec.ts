// Files as a hospital archive exports them, dropped as one folder: DICOM images in compressed transfer
// syntaxes, a DICOM 12-lead ECG waveform, an HL7 aECG, a .zip holding an EDF+ recording, WFDB records and
// one corrupt file. Everything readable goes in; the corrupt file is listed by name, and only it.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from './demo';
import { expect, test } from './guard';
import { LibraryPage } from './pages/library';
import { SearchPage } from './pages/search';

const ARCHIVE_DIR = join(REPO_ROOT, 'e2e', 'fixtures', 'archive');
const CORRUPT = 'ecg-truncated.dcm';

/** Library items the folder holds, by modality (see e2e/fixtures/README.md). */
const EXPECTED_CXR = ['cxr-j2k.dcm', 'cxr-lossless-sv1.dcm', 'cxr-jpeg2000.dcm', 'cxr-jpeg-lossless.dcm'];
const EXPECTED_ECG = ['ecg-ptbxl-00045.dcm', 'ecg-ptbxl-00050.xml', 'edf-records.zip', 'wfdb/00005_lr.hea'];

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

test('a hospital archive folder: every readable file goes in, the corrupt one is named', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  const files = listFiles(ARCHIVE_DIR).sort();
  const rel = files.map((f) => relative(ARCHIVE_DIR, f));
  for (const f of [...EXPECTED_CXR, ...EXPECTED_ECG, CORRUPT]) expect(rel, 'fixture present').toContain(f);
  // A multi-segment WFDB record (mseg/: a master header, a layout header and its segments) is one more ECG item.
  expect(rel.filter((f) => f.startsWith('mseg/')).length, 'multi-segment record present').toBeGreaterThan(1);
  const expectedEcg = EXPECTED_ECG.length + 1;

  const library = new LibraryPage(page);
  await library.open();
  await library.expectCount(0, 5 * 60_000);
  await library.addFiles(files);
  // Wait for the ingest to finish, then check what was refused before counting (a clearer failure).
  await expect(page.getByTestId('ingest-report')).toBeVisible({ timeout: 15 * 60_000 });
  const refused = (await library.errors.locator('li code').allTextContents()).map((t) => t.trim());
  expect(refused, 'files refused').toEqual([CORRUPT]);
  await expect(library.errors).toContainText(/ecg-truncated\.dcm.*(damaged|truncated|ends early)/);

  await library.expectCount(EXPECTED_CXR.length + expectedEcg, 60_000);
  expect(await library.modalityCount('Chest X-rays')).toBe(EXPECTED_CXR.length);
  expect(await library.modalityCount('12-lead ECGs')).toBe(expectedEcg);
});

test('a DICOM ECG and an aECG work as search queries', async ({ page }) => {
  test.setTimeout(20 * 60_000);
  // Only the ECG exports and the WFDB record: this test does not depend on the compressed DICOM images.
  const ecgFiles = listFiles(ARCHIVE_DIR).filter((f) => /ecg-ptbxl|edf-records|wfdb\//.test(f));
  const library = new LibraryPage(page);
  await library.open();
  await library.expectCount(0, 5 * 60_000);
  await library.addFiles(ecgFiles);
  await library.expectCount(EXPECTED_ECG.length);

  const search = new SearchPage(page);
  for (const query of ['ecg-ptbxl-00045.dcm', 'ecg-ptbxl-00050.xml']) {
    await test.step(`query ${query}`, async () => {
      await page.reload();
      await expect(search.textResults).toHaveCount(0);
      await search.queryFiles([join(ARCHIVE_DIR, query)]);
      await search.expectSome(search.textResults);
      await search.expectFindings();
      await expect(page.getByTestId('search-error')).toHaveCount(0);
    });
  }
});
