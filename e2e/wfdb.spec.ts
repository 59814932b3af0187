// WFDB records beyond formats 16/212, in the browser's worker: a variable-layout multi-segment record and a
// FLAC signal file go in; a record with only PLETH and ABP channels is refused with both named.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './demo';
import { expect, test } from './guard';
import { LibraryPage } from './pages/library';

const MSEG_DIR = join(REPO_ROOT, 'e2e', 'fixtures', 'archive', 'mseg');
const FORMATS_DIR = join(REPO_ROOT, 'e2e', 'fixtures', 'wfdb-formats');

test('a multi-segment record and a FLAC record go in; a record without ECG leads is named', async ({ page }) => {
  const files = [
    ...readdirSync(MSEG_DIR).map((n) => join(MSEG_DIR, n)),
    ...readdirSync(FORMATS_DIR).map((n) => join(FORMATS_DIR, n)),
  ].sort();
  const library = new LibraryPage(page);
  await library.open();
  await library.expectCount(0, 5 * 60_000);

  await library.addFiles(files);

  await library.expectCount(2);
  await expect(library.errors.locator('li')).toHaveCount(1);
  await expect(library.errors).toContainText('pleth.hea');
  await expect(library.errors).toContainText('PLETH (NU), ABP (mmHg)');
  await expect(library.errors).not.toContainText('mseg');
  await expect(library.errors).not.toContainText('flac2');
});
