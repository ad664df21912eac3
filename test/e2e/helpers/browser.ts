/**
 * Debian's Chromium driven by playwright-core. The networking flags matter on this
 * machine: without them Chromium's background services try the closed network and its
 * connections get refused. `chromium.launch` uses a fresh temporary profile each time.
 */
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A separate person: own cookies and localStorage, so two contexts are two people. */
export async function newPerson(browser: Browser, opts: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 },
    deviceScaleFactor: 1,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  return { context, page };
}

/** Opens a join link and joins with `name`; resolves once the board is live. */
export async function joinWithLink(page: Page, url: string, name: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join board' }).click();
  await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
}

/** Titles of the active backlog cards, top to bottom. */
export function backlogTitles(page: Page): Promise<string[]> {
  return page.locator('ol.backlog > li.card .card-title').allInnerTexts();
}
