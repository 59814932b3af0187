// Page objects for the zero-shot and few-shot views and the model-version controls they share.
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { accuracyOf, AppPage } from './app';

export class ZeroShotPage extends AppPage {
  readonly run: Locator;
  readonly accuracy: Locator;
  readonly confusion: Locator;

  constructor(page: Page) {
    super(page);
    this.run = page.getByTestId('zeroshot-run');
    this.accuracy = page.getByTestId('zeroshot-accuracy');
    this.confusion = page.getByTestId('confusion-matrix');
  }

  /** Picks a prompt set by id, e.g. "paper/ptbxl-superclass". */
  async usePromptSet(id: string): Promise<void> {
    const select = this.page.getByTestId('zeroshot-promptset');
    await expect(select.locator(`option[value="${id}"]`)).toBeAttached({ timeout: 5 * 60_000 });
    await select.selectOption(id);
  }

  /** Restricts the run to one dataset of the library (its checkbox next to the run button). */
  async onlyDataset(name: string): Promise<void> {
    const panel = this.page.locator('.panel', { has: this.run });
    await panel.getByRole('checkbox', { name, exact: true }).check({ timeout: 5 * 60_000 });
  }

  /** Runs zero-shot with the page's defaults and returns the balanced accuracy as a fraction. */
  async runAndReadAccuracy(timeoutMs = 10 * 60_000): Promise<number> {
    await expect(this.run).toBeEnabled({ timeout: 5 * 60_000 });
    await this.run.click();
    await expect(this.accuracy).toHaveText(/\d/, { timeout: timeoutMs });
    return accuracyOf((await this.accuracy.textContent()) ?? '');
  }
}

export class FewShotPage extends AppPage {
  readonly start: Locator;
  readonly status: Locator;
  readonly accuracy: Locator;
  readonly zeroShotAccuracy: Locator;
  readonly k: Locator;
  readonly epochs: Locator;
  readonly versionSelect: Locator;

  constructor(page: Page) {
    super(page);
    this.start = page.getByTestId('fewshot-start');
    this.status = page.getByTestId('fewshot-status');
    this.accuracy = page.getByTestId('fewshot-accuracy');
    this.zeroShotAccuracy = page.getByTestId('fewshot-zeroshot-accuracy');
    this.k = page.getByTestId('fewshot-k');
    this.epochs = page.getByTestId('fewshot-epochs');
    this.versionSelect = page.getByTestId('model-version');
  }

  /** Picks the labelled set: a modality and one label column (e.g. "meta:subtype"); its values are the classes. */
  async useColumn(modality: 'ecg' | 'cxr', column: string): Promise<void> {
    await this.page.getByTestId('fewshot-modality').selectOption(modality);
    const select = this.page.getByTestId('fewshot-column');
    await expect(select.locator(`option[value="${column}"]`)).toBeAttached({ timeout: 5 * 60_000 });
    await select.selectOption(column);
  }

  /** Picks the classes (a prompt set) by id, e.g. "paper/ptbxl-superclass". */
  async usePromptSet(id: string): Promise<void> {
    const select = this.page.getByTestId('fewshot-promptset');
    await expect(select.locator(`option[value="${id}"]`)).toBeAttached({ timeout: 5 * 60_000 });
    await select.selectOption(id);
  }

  /** Starts a fine-tuning run with K shots per class and a number of epochs, and waits for "done". */
  async fineTune(k: string, epochs: number, timeoutMs = 20 * 60_000): Promise<void> {
    await expect(this.start).toBeEnabled({ timeout: 5 * 60_000 });
    await this.k.selectOption(k);
    await this.epochs.fill(String(epochs));
    await this.start.click();
    await expect(this.status).toContainText(/done|failed|cancelled/, { timeout: timeoutMs });
    await expect(this.status).toContainText('done');
  }

  /** Version ids offered by the model-version selector. */
  async versionIds(): Promise<string[]> {
    return this.versionSelect.locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  }

  /** Makes a version active and waits until the library is embedded with it (the versions table says so). */
  async activate(id: string, libraryItems: number, timeoutMs = 15 * 60_000): Promise<void> {
    await this.versionSelect.selectOption(id);
    await expect(this.versionSelect).toHaveValue(id);
    await this.expectEmbedded(id, libraryItems, timeoutMs);
  }

  /** The "embedded items" cell of a version's row reaches at least the library's item count. */
  async expectEmbedded(id: string, libraryItems: number, timeoutMs = 15 * 60_000): Promise<void> {
    const row = this.versionRow(id);
    await expect
      .poll(async () => Number((await row.locator('td.num').textContent())?.trim() ?? NaN), {
        message: `embedded items of ${id}`,
        timeout: timeoutMs,
        intervals: [1_000, 2_000, 5_000],
      })
      .toBeGreaterThanOrEqual(libraryItems);
  }

  versionRow(id: string): Locator {
    return this.page.getByTestId('version-row').filter({ has: this.page.locator(`td[title="${id}"]`) });
  }

  /** Exports a version (its Export button) and returns the downloaded files. */
  async exportVersion(id: string, nFiles = 3, timeoutMs = 2 * 60_000): Promise<Download[]> {
    const downloads: Download[] = [];
    const onDownload = (d: Download) => downloads.push(d);
    this.page.on('download', onDownload);
    try {
      await this.versionRow(id).getByTestId('version-export').click();
      await expect.poll(() => downloads.length, { timeout: timeoutMs }).toBeGreaterThanOrEqual(nFiles);
    } finally {
      this.page.off('download', onDownload);
    }
    return downloads;
  }
}
