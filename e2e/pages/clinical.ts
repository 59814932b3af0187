// Page object for the clinical-prediction view: settings, the run, the comparison table, saved predictors.
import { expect, type Locator, type Page } from '@playwright/test';
import { AppPage } from './app';

export class ClinicalPage extends AppPage {
  readonly start: Locator;
  readonly status: Locator;
  readonly table: Locator;
  readonly preview: Locator;
  readonly predictors: Locator;

  constructor(page: Page) {
    super(page);
    this.start = page.getByTestId('clinical-start');
    this.status = page.getByTestId('clinical-status');
    this.table = page.getByTestId('clinical-table');
    this.preview = page.getByTestId('clinical-preview');
    this.predictors = page.getByTestId('clinical-predictor');
  }

  async setNumber(testId: string, value: number): Promise<void> {
    await this.page.getByTestId(testId).fill(String(value));
  }

  /** The row of one input set ("text", "text+cxr", ...). */
  row(inputSet: string): Locator {
    return this.table.getByTestId(`clinical-row-${inputSet}`);
  }

  async rowN(inputSet: string): Promise<number> {
    return Number((await this.row(inputSet).getByTestId('clinical-row-n').textContent())?.trim());
  }

  /** Starts a run and waits for it to finish; returns the saved predictor's id (or '' when none). */
  async train(timeoutMs = 10 * 60_000): Promise<string> {
    await expect(this.start).toBeEnabled({ timeout: 5 * 60_000 });
    await this.start.click();
    await expect(this.status).toContainText(/done|failed/, { timeout: timeoutMs });
    await expect(this.status).not.toContainText('failed');
    const m = /saved as (\S+)/.exec((await this.status.textContent()) ?? '');
    return m ? m[1] : '';
  }
}
