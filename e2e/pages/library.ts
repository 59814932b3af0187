// Page object for the library view: demo loading, file ingest, the item count and the per-file error list.
import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage, firstNumber } from './app';

export class LibraryPage extends AppPage {
  readonly count: Locator;
  readonly errors: Locator;
  readonly fileInput: Locator;
  readonly demoButton: Locator;

  constructor(page: Page) {
    super(page);
    this.count = page.getByTestId('library-count');
    this.errors = page.getByTestId('library-errors');
    this.fileInput = page.getByTestId('library-file-input');
    this.demoButton = page.getByTestId('demo-load');
  }

  async itemCount(): Promise<number> {
    await expect(this.count).toHaveText(/\d/);
    return firstNumber((await this.count.textContent()) ?? '');
  }

  /** The per-modality count the library view shows in its heading, e.g. "12-lead ECGs: 155". */
  async modalityCount(title: '12-lead ECGs' | 'Chest X-rays'): Promise<number> {
    const heading = this.page.getByRole('heading', { name: new RegExp(`^${title}: \\d+$`) });
    await expect(heading).toBeVisible();
    return firstNumber(((await heading.textContent()) ?? '').replace(/^12-lead/, ''));
  }

  /** Waits until library-count shows exactly `n` items. */
  async expectCount(n: number, timeoutMs = 15 * 60_000): Promise<void> {
    await expect
      .poll(async () => firstNumber(((await this.count.textContent()) ?? '').trim() || 'none'), {
        message: 'library-count',
        timeout: timeoutMs,
        intervals: [1_000, 2_000, 5_000],
      })
      .toBe(n);
  }

  /** Presses "Load demo library" and waits until the count reaches the demo's item count. */
  async loadDemo(expectedItems: number, timeoutMs = 20 * 60_000): Promise<void> {
    await this.nav('library');
    await expect(this.demoButton).toBeEnabled({ timeout: 5 * 60_000 });
    await this.demoButton.click();
    await this.expectCount(expectedItems, timeoutMs);
  }

  async addFiles(paths: string[]): Promise<void> {
    await this.nav('library');
    await this.fileInput.setInputFiles(paths);
  }

  /** Picks in-memory files (name + bytes) with the file picker. */
  async addBuffers(files: { name: string; bytes: Buffer }[]): Promise<void> {
    await this.nav('library');
    await this.fileInput.setInputFiles(files.map((f) => ({ name: f.name, mimeType: 'application/octet-stream', buffer: f.bytes })));
  }

  /**
   * Drops files on the library's drop zone through a real drop event: a DataTransfer built in the page
   * from the bytes, sent with dragenter, dragover and drop as a browser would.
   */
  async dropBuffers(files: { name: string; bytes: Buffer }[]): Promise<void> {
    await this.nav('library');
    const payload = files.map((f) => ({ name: f.name, b64: f.bytes.toString('base64') }));
    await this.page.locator('.dropzone').first().evaluate((zone, list) => {
      const dt = new DataTransfer();
      for (const f of list) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name));
      }
      for (const type of ['dragenter', 'dragover', 'drop']) {
        zone.dispatchEvent(new DragEvent(type, { dataTransfer: dt, bubbles: true, cancelable: true }));
      }
    }, payload);
  }

  /** The report of the last ingest. */
  get report(): Locator {
    return this.page.getByTestId('ingest-report');
  }

  /** The line of one file in the folded list of every file. */
  fileLine(name: string): Locator {
    return this.page.getByTestId('library-files').locator('li', { hasText: name });
  }
}
