/**
 * Looks at the app as a person would: starts a real server on a free port (serving the
 * built client), fills a board with a realistic backlog, opens it as two people and saves
 * screenshots at desktop and phone widths.
 *   npx vite build && npx tsx test/e2e/helpers/screenshots.ts [outDir]
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { appendItems, setItemEstimate, setItemLabel, setItemStatus } from '../../../shared/schema/board.ts';
import type { BoardId, ItemId, UserId } from '../../../shared/ids.ts';
import { startTestServer } from '../../helpers/server.ts';
import { backlogTitles, joinWithLink, launchBrowser, newPerson } from './browser.ts';

const BACKLOG: { title: string; status?: 'new' | 'refining' | 'ready' | 'done'; estimate?: string; labels?: string[] }[] = [
  { title: 'Checkout: pay with saved card in one tap', status: 'ready', estimate: '5', labels: ['checkout', 'mobile'] },
  { title: 'Show delivery window before payment', status: 'refining', estimate: '3', labels: ['checkout'] },
  { title: 'Order history: filter by status and date', status: 'refining', labels: ['account'] },
  { title: 'Email receipt with itemised VAT', status: 'new', labels: ['compliance'] },
  { title: 'Retry failed card payments without losing the basket', status: 'new', labels: ['checkout', 'tech-debt'] },
  { title: 'Accessibility audit fixes for the product page', status: 'ready', estimate: '8', labels: ['a11y'] },
  { title: 'Gift cards: redeem at checkout', status: 'new' },
  { title: 'Spike: evaluate address autocomplete providers', status: 'done', estimate: '2', labels: ['spike'] },
];

export async function seedBacklog(server: Awaited<ReturnType<typeof startTestServer>>['server'], boardId: string): Promise<void> {
  await server.withBoard(boardId as BoardId, (board) =>
    board.change((doc) => {
      const ids = appendItems(
        doc,
        BACKLOG.map((b) => ({ title: b.title, createdBy: 'seed' as UserId, labels: b.labels })),
      );
      BACKLOG.forEach((b, i) => {
        const id = ids[i] as ItemId;
        if (b.status) setItemStatus(doc, id, b.status);
        if (b.estimate) setItemEstimate(doc, id, b.estimate);
        for (const l of b.labels ?? []) setItemLabel(doc, id, l, true);
      });
    }),
  );
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? 'test-results/look');
  await mkdir(outDir, { recursive: true });
  const ts = await startTestServer();
  const browser = await launchBrowser();
  try {
    const home = await newPerson(browser);
    await home.page.goto(ts.baseUrl);
    await home.page.screenshot({ path: path.join(outDir, 'home-empty.png') });
    await home.page.getByLabel('Board title').fill('Team Phoenix — sprint 42 refinement');
    await home.page.getByRole('button', { name: 'Create board' }).click();
    await home.page.getByText('Board created').waitFor();
    await home.page.screenshot({ path: path.join(outDir, 'home.png'), fullPage: true });
    const links = await home.page.locator('.join-link input').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
    const boardId = new URL(links[0]!).pathname.split('/')[2]!;
    await seedBacklog(ts.server, boardId);

    const phone = await newPerson(browser, { width: 375, height: 740 });
    await phone.page.goto(links[2]!);
    await phone.page.getByLabel('Your name').waitFor();
    await phone.page.screenshot({ path: path.join(outDir, 'join-mobile.png') });
    await phone.page.goto(ts.baseUrl);
    await phone.page.screenshot({ path: path.join(outDir, 'home-mobile.png'), fullPage: true });

    const po = await newPerson(browser);
    await joinWithLink(po.page, links[0]!, 'Paula Owner');
    const dev = await newPerson(browser);
    await joinWithLink(dev.page, links[2]!, 'Dev Kumar');
    const sm = await newPerson(browser, { width: 375, height: 812 });
    await joinWithLink(sm.page, links[1]!, 'Sam Master');

    // Dev edits a title, so the PO sees who is editing.
    await dev.page.locator('.card-title-button').nth(2).click();
    await po.page.locator('.activity-tag').first().waitFor();
    await po.page.screenshot({ path: path.join(outDir, 'board.png') });
    await dev.page.keyboard.press('Escape');

    await sm.page.screenshot({ path: path.join(outDir, 'board-mobile.png'), fullPage: true });
    const overflow = await sm.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    console.log(`phone (375 px): horizontal overflow ${overflow} px`);
    if (overflow > 0) {
      const wide = await sm.page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 8)
          .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} → ${Math.round(el.getBoundingClientRect().right)}`),
      );
      console.log('too wide:', wide);
    }
    await po.page.locator('[data-testid="card-menu"]').first().click();
    await po.page.screenshot({ path: path.join(outDir, 'board-menu.png') });
    await po.page.keyboard.press('Escape');
    await po.page.locator('[data-testid="archive"]').last().click();
    await po.page.getByText('Archived', { exact: false }).first().waitFor();
    await po.page.screenshot({ path: path.join(outDir, 'board-toast.png') });

    await po.page.getByTestId('open-details').first().click();
    await po.page.waitForURL(/[?&]item=/);
    await po.page.screenshot({ path: path.join(outDir, 'board-detail.png') });

    const viewer = await newPerson(browser);
    await joinWithLink(viewer.page, links[3]!, 'Vera Viewer');
    await viewer.page.screenshot({ path: path.join(outDir, 'board-viewer.png') });
    console.log('titles seen by viewer:', await backlogTitles(viewer.page));
    console.log(`screenshots in ${outDir}`);
  } finally {
    await browser.close();
    await ts.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
