// Page object for the embedding explorer: the point count, legend, clicking a point, the text query, exports.
import { readFile } from 'node:fs/promises';
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { AppPage, firstNumber } from './app';
import { clickPoint, legendNames } from './plotly';

export class ExplorerPage extends AppPage {
  readonly plot: Locator;
  readonly pointCount: Locator;
  readonly neighbors: Locator;
  readonly exportButton: Locator;

  constructor(page: Page) {
    super(page);
    this.plot = page.getByTestId('explorer-plot');
    this.pointCount = page.getByTestId('explorer-point-count');
    this.neighbors = page.getByTestId('explorer-neighbors');
    this.exportButton = page.getByTestId('explorer-export');
  }

  /** Waits until the map is drawn and returns the number of points it reports. */
  async drawnPoints(timeoutMs = 5 * 60_000): Promise<number> {
    await expect(this.pointCount).toHaveText(/\d+/, { timeout: timeoutMs });
    return firstNumber((await this.pointCount.textContent()) ?? '');
  }

  async expectPointCount(n: number, timeoutMs = 2 * 60_000): Promise<void> {
    await expect
      .poll(async () => firstNumber(((await this.pointCount.textContent()) ?? '').trim() || 'none'), {
        message: 'explorer-point-count',
        timeout: timeoutMs,
      })
      .toBe(n);
  }

  /** Legend counts per group, from entries such as "ecg (155)". */
  async legendCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const name of await legendNames(this.plot)) {
      const m = name.trim().match(/^(.*)\s\((\d+)\)$/);
      if (m) out[m[1]] = Number(m[2]);
    }
    return out;
  }

  async clickPoint(index = 0): Promise<void> {
    await clickPoint(this.page, this.plot, index);
  }

  /** Places a text on the map (the explorer's own text query box). */
  async queryText(text: string): Promise<void> {
    const box = this.page.getByRole('textbox', { name: 'Text query' });
    await box.fill(text);
    await box.press('Enter');
  }

  /** Presses explorer-export and collects the `n` files it saves. */
  async exportFiles(n: number, timeoutMs = 2 * 60_000): Promise<Download[]> {
    const downloads: Download[] = [];
    const onDownload = (d: Download) => downloads.push(d);
    this.page.on('download', onDownload);
    try {
      const first = this.page.waitForEvent('download', { timeout: timeoutMs });
      await this.exportButton.click();
      await first;
      await expect.poll(() => downloads.length, { timeout: timeoutMs }).toBeGreaterThanOrEqual(n);
    } finally {
      this.page.off('download', onDownload);
    }
    return downloads;
  }

  /** Exports vectors.tsv + metadata.tsv and parses them: one row per point, in the same order. */
  async exportProjector(): Promise<ProjectorExport> {
    const files = await this.exportFiles(2);
    const find = (suffix: string) => {
      const d = files.find((f) => f.suggestedFilename().endsWith(suffix));
      if (!d) throw new Error(`no *${suffix} among ${files.map((f) => f.suggestedFilename())}`);
      return d;
    };
    const lines = async (d: Download) =>
      (await readFile(await d.path())).toString('utf8').split('\n').filter((l) => l.length > 0);
    const vectors = (await lines(find('vectors.tsv'))).map((l) => l.split('\t').map(Number));
    const meta = await lines(find('metadata.tsv'));
    const header = meta[0].split('\t');
    return { vectors, header, rows: meta.slice(1).map((l) => l.split('\t')) };
  }
}

export interface ProjectorExport {
  /** [n][d] */
  vectors: number[][];
  header: string[];
  /** metadata rows (without the header), same order as vectors */
  rows: string[][];
}
