// Page object for the search view: a file query (CXR or ECG) or a typed text query, and the result lists.
import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app';

export class SearchPage extends AppPage {
  readonly fileInput: Locator;
  readonly text: Locator;
  readonly ecgResults: Locator;
  readonly cxrResults: Locator;
  readonly textResults: Locator;
  readonly findings: Locator;

  constructor(page: Page) {
    super(page);
    this.fileInput = page.getByTestId('query-file-input');
    this.text = page.getByTestId('query-text');
    this.ecgResults = page.getByTestId('result-ecg');
    this.cxrResults = page.getByTestId('result-cxr');
    this.textResults = page.getByTestId('result-text');
    this.findings = page.getByTestId('query-findings');
  }

  /** Drops one query item (a CXR image, or an ECG's .hea with its signal file) on the search view. */
  async queryFiles(paths: string[]): Promise<void> {
    await this.nav('search');
    await this.fileInput.setInputFiles(paths);
  }

  async queryText(text: string): Promise<void> {
    await this.nav('search');
    await this.text.fill(text);
    await this.text.press('Enter');
  }

  /** Waits for at least one result of the kind and returns how many there are. */
  async expectSome(results: Locator, timeoutMs = 5 * 60_000): Promise<number> {
    await expect(results.first()).toBeVisible({ timeout: timeoutMs });
    const n = await results.count();
    expect(n).toBeGreaterThan(0);
    return n;
  }
}
