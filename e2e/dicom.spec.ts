// Compressed DICOM in the browser: a JPEG 2000 and a JPEG Lossless radiograph decode in the engine
// worker with the codecs shipped in the build (no other origin is contacted; the guard checks).
import { join } from 'node:path';
import { REPO_ROOT } from './demo';
import { expect, test } from './guard';
import { LibraryPage } from './pages/library';

const ARCHIVE = join(REPO_ROOT, 'e2e', 'fixtures', 'archive');

test('JPEG 2000 and JPEG Lossless DICOM files are ingested', async ({ page }) => {
  const library = new LibraryPage(page);
  await library.open();
  await library.expectCount(0, 5 * 60_000);
  await library.addFiles(['cxr-jpeg2000.dcm', 'cxr-jpeg-lossless.dcm'].map((n) => join(ARCHIVE, n)));
  await library.expectCount(2);
  await expect(library.errors).toHaveCount(0);
});
