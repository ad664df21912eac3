/**
 * Rough numbers for a big board in Chromium: time until the board is live with its first
 * cards painted after joining (the list is windowed: only cards near the viewport are
 * mounted), and how long a change made by another person takes to show.
 *   npx vite build && npx tsx test/e2e/helpers/measure.ts [items]
 */
import type { UserId } from '../../../shared/ids.ts';
import { moveItem, rankedActiveEntries } from '../../../shared/schema/board.ts';
import type { ItemId } from '../../../shared/ids.ts';
import { createBoardWithItems, startTestServer } from '../../helpers/server.ts';
import { joinWithLink, launchBrowser, newPerson } from './browser.ts';

const n = Number(process.argv[2] ?? 500);
const ts = await startTestServer();
const browser = await launchBrowser();
try {
  const board = await createBoardWithItems(
    ts,
    `Big board (${n})`,
    Array.from({ length: n }, (_, i) => ({ title: `Story ${i + 1}: something a user wants`, createdBy: 'seed' as UserId, labels: i % 3 ? ['api'] : ['ui'] })),
  );
  const { page } = await newPerson(browser);
  const t0 = Date.now();
  await joinWithLink(page, board.link('dev'), 'Measurer');
  await page.waitForFunction((count) => document.querySelector('ol.backlog > li.card .card-rank')?.textContent === '1' && document.querySelector('ol.backlog > li.card')?.getAttribute('aria-setsize') === String(count), n, { timeout: 60_000 });
  const loadMs = Date.now() - t0;
  const mounted = await page.locator('ol.backlog > li.card').count();

  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    const last = await ts.server.withBoard(board.boardId, (b) => rankedActiveEntries(b.doc).at(-1)!.id);
    const t = Date.now();
    await ts.server.withBoard(board.boardId, (b) => b.change((doc) => void moveItem(doc, last as ItemId, 'top')));
    await page.waitForFunction((id) => document.querySelector('ol.backlog > li.card')?.getAttribute('data-item-id') === id, last, { timeout: 10_000 });
    samples.push(Date.now() - t);
  }
  samples.sort((a, b) => a - b);
  console.log(`items=${n} join→board painted: ${loadMs} ms (${mounted} cards mounted); remote move visible: median ${samples[5]} ms, max ${samples.at(-1)} ms`);
} finally {
  await browser.close();
  await ts.stop();
}
