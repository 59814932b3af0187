// Page object for the Pairs view: import a pairing CSV, read the match report, bind, read the table.
import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage, firstNumber } from './app';

export class PairsPage extends AppPage {
  readonly file: Locator;
  readonly report: Locator;
  readonly matched: Locator;
  readonly start: Locator;
  readonly status: Locator;
  readonly curve: Locator;
  readonly table: Locator;
  readonly counts: Locator;
  readonly activated: Locator;
  readonly active: Locator;

  constructor(page: Page) {
    super(page);
    this.file = page.getByTestId('pairs-file');
    this.report = page.getByTestId('pairs-match-report');
    this.matched = page.getByTestId('pairs-matched');
    this.start = page.getByTestId('bind-start');
    this.status = page.getByTestId('bind-status');
    this.curve = page.getByTestId('bind-curve');
    this.table = page.getByTestId('bind-table');
    this.counts = page.getByTestId('bind-counts');
    this.activated = page.getByTestId('bind-activated');
    this.active = page.getByTestId('pairs-active');
  }

  /** Imports a pairing CSV and returns the number of matched pairs the report shows. */
  async importPairing(path: string): Promise<number> {
    await this.file.setInputFiles(path);
    await expect(this.matched).toHaveText(/\d/, { timeout: 2 * 60_000 });
    return firstNumber((await this.matched.textContent()) ?? '');
  }

  async bind(epochs: number, timeoutMs = 8 * 60_000): Promise<void> {
    await this.page.getByTestId('bind-epochs').fill(String(epochs));
    await expect(this.start).toBeEnabled();
    await this.start.click();
    await expect(this.table).toBeVisible({ timeout: timeoutMs });
  }
}
