/**
 * The board as a team sees it mid-session: a poker round and a dot round open, one vote
 * in. Saves desktop (1280×800) and phone (390×844) screenshots, with and without an item
 * open, and prints where the first backlog card starts on each.
 *   npx vite build && npx tsx test/e2e/helpers/layoutShots.ts <prefix> [outDir]
 * e.g. `before` / `after` into docs/screenshots/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { CreateBoardResponse } from '../../../shared/api.ts';
import { api, startTestServer } from '../../helpers/server.ts';
import { joinWithLink, launchBrowser, newPerson } from './browser.ts';
import { seedBacklog } from './screenshots.ts';

const prefix = process.argv[2] ?? 'look';
const outDir = path.resolve(process.argv[3] ?? 'docs/screenshots');

/** Top of the first backlog card relative to the viewport, in CSS pixels. */
const firstCardTop = (page: Page): Promise<number> =>
  page.locator('ol.backlog > li.card').first().evaluate((el) => Math.round(el.getBoundingClientRect().top));

async function main(): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const ts = await startTestServer();
  const browser = await launchBrowser();
  try {
    const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Team Phoenix — sprint 42 refinement' } });
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const po = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(po.page, link('po'), 'Priya Owner');
    const phone = await newPerson(browser, { width: 390, height: 844 });
    await joinWithLink(phone.page, link('dev'), 'Dev Kumar');
    // `COLOR_SCHEME=dark` looks at the dark theme.
    if (process.env.COLOR_SCHEME === 'dark') for (const p of [po.page, phone.page]) await p.emulateMedia({ colorScheme: 'dark' });
    await po.page.getByTestId('poker-start-button').click();
    await po.page.getByTestId('dot-open').click();
    await phone.page.getByTestId('poker').waitFor({ state: 'attached' });
    await phone.page.getByTestId('dot-voting').waitFor({ state: 'attached' });
    await po.page.waitForTimeout(500);
    for (const [name, page] of [
      ['desktop', po.page],
      ['phone', phone.page],
    ] as const) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.waitForTimeout(200);
      console.log(`${prefix} ${name}: first backlog card top y=${await firstCardTop(page)} (viewport height ${page.viewportSize()!.height})`);
      await page.screenshot({ path: path.join(outDir, `${prefix}-${name}.png`) });
    }
    // An item open: the detail panel beside (desktop) or over (phone) the list.
    for (const [name, page] of [
      ['desktop-detail', po.page],
      ['phone-detail', phone.page],
    ] as const) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.getByTestId('open-details').nth(1).dispatchEvent('click');
      await page.getByTestId('item-detail').waitFor();
      await page.waitForTimeout(300);
      const where = await page.getByTestId('item-detail').evaluate((el) => ({ top: Math.round(el.getBoundingClientRect().top), width: Math.round(el.getBoundingClientRect().width) }));
      console.log(`${prefix} ${name}: details panel ${JSON.stringify(where)}`);
      await page.screenshot({ path: path.join(outDir, `${prefix}-${name}.png`) });
    }
    console.log(`screenshots in ${outDir}`);
  } finally {
    await browser.close();
    await ts.stop();
  }
}

await main();
