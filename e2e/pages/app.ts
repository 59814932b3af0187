// Page object for the app shell: navigation, the backend badge, and number parsing shared by the feature pages.
import { expect, type Locator, type Page } from '@playwright/test';

export type Route = 'library' | 'search' | 'zeroshot' | 'fewshot' | 'pairs' | 'explorer' | 'clinical' | 'about';

/** The first number in a text ("1,234 items" -> 1234, "Balanced accuracy 61.5%" -> 61.5). */
export function firstNumber(text: string): number {
  const m = text.replace(/(\d),(?=\d{3}\b)/g, '$1').match(/-?\d+(?:\.\d+)?/);
  if (!m) throw new Error(`no number in "${text}"`);
  return Number(m[0]);
}

/** A balanced accuracy as a fraction in [0, 1], whether the UI writes "0.62" or "62%". */
export function accuracyOf(text: string): number {
  const value = firstNumber(text);
  const fraction = /%/.test(text) || value > 1 ? value / 100 : value;
  if (!(fraction >= 0 && fraction <= 1)) throw new Error(`"${text}" is not a balanced accuracy`);
  return fraction;
}

export class AppPage {
  readonly badge: Locator;

  constructor(readonly page: Page) {
    this.badge = page.getByTestId('backend-badge');
  }

  /** Opens the app; `query` is e.g. "?backend=webgpu". */
  async open(query = '', route: Route = 'library'): Promise<void> {
    await this.page.goto(`/${query}#/${route}`);
    await expect(this.page.getByTestId(`nav-${route}`)).toBeVisible();
  }

  async nav(route: Route): Promise<void> {
    await this.page.getByTestId(`nav-${route}`).click();
    await expect(this.page).toHaveURL(new RegExp(`#/${route}`));
  }

  /**
   * Waits until the engine reports a backend (the badge reads "<backend> (<adapter>) — <reason>") and returns
   * the badge text; fails at once when the badge reports an engine error.
   */
  async backendText(timeoutMs = 5 * 60_000): Promise<string> {
    await expect(this.badge).toBeVisible();
    await expect(this.badge).toHaveText(/^\s*(webgpu|wasm|cpu)\b|engine error/i, { timeout: timeoutMs });
    const text = ((await this.badge.textContent()) ?? '').trim();
    expect(text, 'backend-badge').not.toMatch(/engine error/i);
    return text;
  }
}
