// Page object for the search view: a file query (CXR or ECG) or a typed text query, and the result lists.
import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app';

export class SearchPage extends AppPage {
  readonly fileInput: Locator;
  readonly text: Locator;
  readonly ecgResults: Locator;
  readonly cxrResults: Locator;
  readonly textResults: Locator;
  /** The list of the query's nearest findings texts (a different hook from the "no findings" line). */
  readonly findings: Locator;
  readonly noFindings: Locator;

  constructor(page: Page) {
    super(page);
    this.fileInput = page.getByTestId('query-file-input');
    this.text = page.getByTestId('query-text');
    this.ecgResults = page.getByTestId('result-ecg');
    this.cxrResults = page.getByTestId('result-cxr');
    this.textResults = page.getByTestId('result-text');
    this.findings = page.getByTestId('query-findings');
    this.noFindings = page.getByTestId('query-no-findings');
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

  /**
   * Waits for the query's findings list and checks it: at least one entry, each a non-empty text with a
   * cosine similarity in [-1, 1]; the "no findings" line is absent. Returns the texts.
   */
  async expectFindings(timeoutMs = 5 * 60_000): Promise<string[]> {
    await expect(this.findings).toBeVisible({ timeout: timeoutMs });
    await expect(this.noFindings).toHaveCount(0);
    const entries = this.findings.locator('li');
    expect(await entries.count()).toBeGreaterThan(0);
    const texts: string[] = [];
    for (const li of await entries.all()) {
      const text = ((await li.locator('span').first().textContent()) ?? '').trim();
      const sim = Number(((await li.locator('.sim').textContent()) ?? '').replace(/[^\d.+-]/g, ''));
      expect(text.length, 'a findings entry has text').toBeGreaterThan(0);
      expect(Number.isFinite(sim) && sim >= -1 && sim <= 1, `similarity of "${text}"`).toBe(true);
      texts.push(text);
    }
    return texts;
  }

  /** Waits for at least one result of the kind and returns how many there are. */
  async expectSome(results: Locator, timeoutMs = 5 * 60_000): Promise<number> {
    await expect(results.first()).toBeVisible({ timeout: timeoutMs });
    const n = await results.count();
    expect(n).toBeGreaterThan(0);
    return n;
  }
}
