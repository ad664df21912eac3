/**
 * Looks at a big, windowed board as a person would: seeds N items (every 7th with a long
 * title, every 4th with labels), opens it in Chromium and saves screenshots at the top,
 * in the middle after scrolling, and in the middle of a keyboard drag past the first screen.
 *   npx vite build && npx tsx test/e2e/helpers/bigBoard.ts [items] [outDir]
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { UserId } from '../../../shared/ids.ts';
import { createBoardWithItems, startTestServer } from '../../helpers/server.ts';
import { joinWithLink, launchBrowser, newPerson } from './browser.ts';

const n = Number(process.argv[2] ?? 2000);
const outDir = path.resolve(process.argv[3] ?? 'test-results/big-board');
await mkdir(outDir, { recursive: true });
const ts = await startTestServer();
const browser = await launchBrowser();
try {
  const board = await createBoardWithItems(
    ts,
    `Big board (${n})`,
    Array.from({ length: n }, (_, i) => ({
      title:
        i % 7 === 3
          ? `Story ${i + 1}: a long title that wraps onto a second or even a third line because the product owner had a lot to say about checkout, receipts and VAT`
          : `Story ${i + 1}: something a user wants`,
      createdBy: 'seed' as UserId,
      labels: i % 4 === 0 ? ['api', 'checkout'] : [],
    })),
  );
  const { page } = await newPerson(browser);
  await joinWithLink(page, board.link('po'), 'Looker');
  await page.locator('[data-testid="item-card"]').first().waitFor();
  const count = () => page.locator('[data-testid="item-card"]').count();
  await page.screenshot({ path: path.join(outDir, 'top.png') });
  console.log(`top: ${await count()} cards in the DOM, page height ${await page.evaluate(() => document.documentElement.scrollHeight)} px`);

  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight / 2));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'middle.png') });
  console.log(`middle: ${await count()} cards, ranks on screen ${await page.locator('.card-rank').allInnerTexts().then((r) => `${r[0]}…${r.at(-1)}`)}`);

  // Scroll up a little from the middle: rows measured above the screen must not shift it.
  await page.mouse.wheel(0, -1500);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'middle-up.png') });

  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  await page.getByTestId('drag-handle').first().focus();
  await page.keyboard.press('Space');
  await page.locator('.card.is-dragging').waitFor();
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(80);
  }
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(outDir, 'mid-drag.png') });
  console.log(`mid-drag: ${await count()} cards, scrollY ${await page.evaluate(() => window.scrollY)}`);
  await page.keyboard.press('Space');
  await page.locator('.card.is-dragging').waitFor({ state: 'detached' });
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(outDir, 'after-drop.png') });
  const focused = await page.evaluate(() => document.activeElement?.closest('[data-item-id]')?.querySelector('.card-rank')?.textContent);
  console.log(`after drop: focused card rank ${focused}`);

  // Pointer drag: hold a card near the bottom edge so dnd-kit auto-scrolls the page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(200);
  const handle = (await page.getByTestId('drag-handle').nth(1).boundingBox())!;
  const title = (await page.locator('.card').nth(1).locator('.card-title').textContent()) ?? '';
  await page.mouse.move(handle.x + 8, handle.y + 8);
  await page.mouse.down();
  await page.mouse.move(handle.x + 8, handle.y + 40, { steps: 4 });
  await page.mouse.move(handle.x + 8, 845, { steps: 10 });
  await page.waitForTimeout(1500);
  await page.mouse.move(handle.x + 8, 700, { steps: 5 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'pointer-drag.png') });
  await page.mouse.up();
  await page.waitForTimeout(500);
  const rank = await page.locator('.card', { hasText: title }).locator('.card-rank').textContent();
  console.log(`pointer drag: "${title}" dropped at rank ${rank}, scrollY ${await page.evaluate(() => window.scrollY)}`);
  await page.screenshot({ path: path.join(outDir, 'pointer-drop.png') });

  const phone = await newPerson(browser, { width: 375, height: 740 });
  await joinWithLink(phone.page, board.link('po'), 'Phone');
  await phone.page.locator('[data-testid="item-card"]').first().waitFor();
  await phone.page.evaluate(() => window.scrollTo(0, 5000));
  await phone.page.waitForTimeout(300);
  await phone.page.screenshot({ path: path.join(outDir, 'phone.png') });
  console.log(`screenshots in ${outDir}`);
} finally {
  await browser.close();
  await ts.stop();
}
