/**
 * Refinement in a real browser (Debian Chromium via playwright-core): two people ask and
 * answer a question, a facilitator's timer counts down on both screens, a follower's
 * detail panel follows the focus (but not while they type). Saves detail-panel and
 * session-bar screenshots to test-results/ (copy to docs/screenshots/ by hand for the README).
 * Run with `npm run test:e2e` (builds the client first). CLIENT_DIR overrides the build.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { askQuestion } from '../../shared/schema/questions.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { launchBrowser, } from './helpers/browser.ts';
import { poAndDevOnSeededBoard } from './helpers/team.ts';

let ts: TestServer;
let browser: Browser;

beforeAll(async () => {
  ts = await startTestServer({
    options: { updateGate: new PolicyGate() },
    ...(process.env.CLIENT_DIR ? { config: { clientDir: process.env.CLIENT_DIR } } : {}),
  });
  browser = await launchBrowser();
  await mkdir('test-results', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await ts?.stop();
});

const setup = () => poAndDevOnSeededBoard(ts, browser);

const openItem = async (page: Page, boardUrl: string, id: string) => {
  await page.goto(`${boardUrl}?item=${id}`);
  await page.getByTestId('item-detail').waitFor();
};

const panelTitle = (page: Page) => page.getByTestId('detail-title').inputValue();

/** Seconds shown by a timer element ("4:58" → 298). */
async function timerSeconds(page: Page): Promise<number> {
  const t = ((await page.getByTestId('timer').textContent()) ?? '').trim();
  const parts = t.split(':').map(Number);
  return parts.reduce((acc, n) => acc * 60 + n, 0);
}

describe('refinement in the browser', () => {
  it('[REF-1][REF-2][REF-3][REF-7][REF-14] a developer asks, the PO answers, the developer resolves; comments and filters, live on both screens', async () => {
    const { po, dev, ids, boardUrl, board } = await setup();
    const item = ids[1]!;
    await openItem(dev.page, boardUrl, item);
    await openItem(po.page, boardUrl, item);

    await dev.page.getByTestId('question-input').fill('Is the delivery window binding, or an estimate?');
    await dev.page.getByTestId('ask-question').click();

    // the PO sees it on the item and in "Questions for me"
    await po.page.getByTestId('question').filter({ hasText: 'delivery window binding' }).waitFor({ timeout: 10_000 });
    await expect.poll(async () => (await po.page.getByTestId('questions-for-me').textContent()) ?? '').toContain('1');
    await po.page.getByTestId('answer-question').click();
    await po.page.getByTestId('answer-input').fill('An estimate: we show a two-hour window.');
    await po.page.getByTestId('send-answer').click();

    // the developer sees the answer and resolves it
    await dev.page.getByTestId('answer').filter({ hasText: 'two-hour window' }).waitFor({ timeout: 10_000 });
    await dev.page.getByTestId('resolve-question').click();
    await po.page.getByText('1 resolved', { exact: false }).waitFor({ timeout: 10_000 });

    // [ITEM-2] both type into the description at the same time; both texts survive everywhere
    const devDesc = dev.page.getByTestId('detail-description');
    const poDesc = po.page.getByTestId('detail-description');
    await devDesc.click();
    await poDesc.click();
    await Promise.all([
      devDesc.pressSequentially('Customers abandon checkout when delivery is a surprise. ', { delay: 15 }),
      poDesc.pressSequentially('Goal: fewer support calls.', { delay: 25 }),
    ]);
    await waitFor(async () => (await devDesc.inputValue()) === (await poDesc.inputValue()) && (await devDesc.inputValue()).length > 70, {
      timeout: 10_000,
      message: 'descriptions converge',
    });
    const desc = await devDesc.inputValue();
    expect(desc).toContain('Customers abandon checkout when delivery is a surprise.');
    expect(desc).toContain('Goal: fewer support calls.');

    // a little more life on the item for the screenshot: criteria, a comment from each side
    await dev.page.getByTestId('criterion-input').fill('Window shown before the payment step');
    await dev.page.getByTestId('criterion-input').press('Enter');
    await dev.page.getByTestId('criterion-input').fill('Window respects the courier’s cut-off time');
    await dev.page.getByTestId('criterion-input').press('Enter');
    await dev.page.getByTestId('comment-input').fill('I can pair with design on the copy tomorrow.');
    await dev.page.getByTestId('send-comment').click();
    await ts.server.withBoard(board.boardId as BoardId, (b) =>
      b.change((doc) => {
        askQuestion(doc, item, { userId: 'sam00000001' as UserId, name: 'Sam (SM)', role: 'sm' }, { text: 'Does this need legal review?' });
        addComment(doc, item, { userId: 'sam00000001' as UserId, name: 'Sam (SM)', role: 'sm' }, 'Added to Thursday’s agenda.');
      }),
    );
    // [REF-7] only the author gets edit/delete; the edit shows for everyone
    const danaComment = (p: Page) => p.getByTestId('comment').filter({ hasText: 'pair with design' });
    await danaComment(po.page).waitFor({ timeout: 10_000 });
    expect(await danaComment(po.page).getByTestId('edit-comment').count()).toBe(0);
    await danaComment(dev.page).getByTestId('edit-comment').click();
    await dev.page.getByLabel('Edit comment').fill('I can pair with design on the copy tomorrow morning.');
    await dev.page.getByTestId('comment').filter({ has: dev.page.getByLabel('Edit comment') }).getByRole('button', { name: 'Save' }).click();
    await po.page.getByTestId('comment').filter({ hasText: 'tomorrow morning' }).filter({ hasText: 'edited' }).waitFor({ timeout: 10_000 });
    await po.page.getByTestId('comment').filter({ hasText: 'Thursday' }).waitFor({ timeout: 10_000 });
    await dev.page.getByTestId('comment').filter({ hasText: 'Thursday' }).waitFor({ timeout: 10_000 });

    const panel = dev.page.getByTestId('item-detail');
    await dev.page.setViewportSize({ width: 1280, height: 1400 });
    await dev.page.locator('body').click({ position: { x: 5, y: 300 } }); // leave the fields
    await panel.evaluate((el) => el.scrollTo(0, 0));
    await dev.page.screenshot({ path: 'test-results/detail-panel.png' });

    // [REF-14] search and the open-questions filter narrow the list, live
    const cards = po.page.locator('ol.backlog > li.card');
    const total = await cards.count();
    await po.page.getByTestId('filter-open-questions').click();
    await waitFor(async () => (await cards.count()) === 1, { timeout: 5000, message: 'only the item with an open question' });
    await po.page.getByTestId('search').fill('nothing matches this');
    await waitFor(async () => (await cards.count()) === 0, { timeout: 5000, message: 'no match' });
    await po.page.getByTestId('search').fill('');
    // resolving the last open question drops the item from the filtered list at once
    await po.page.getByTestId('resolve-question').click();
    await waitFor(async () => (await cards.count()) === 0, { timeout: 5000, message: 'live re-filter after resolve' });
    await po.page.getByRole('button', { name: 'Clear' }).click();
    await waitFor(async () => (await cards.count()) === total, { timeout: 5000, message: 'all items back' });

    await po.context.close();
    await dev.context.close();
  });

  it('[REF-10][REF-11][REF-12] the facilitator’s timer counts down on both screens; a follower follows focus, but not while typing [UX-1]', async () => {
    const { po, dev, ids } = await setup();

    // timer: started by the PO, counting on both screens, within a second of each other
    await po.page.getByTestId('timer-minutes').fill('5');
    await po.page.getByTestId('timer-start').click();
    await dev.page.locator('[data-testid="timer"][data-state="running"]').waitFor({ timeout: 10_000 });
    const first = await timerSeconds(dev.page);
    await waitFor(async () => (await timerSeconds(dev.page)) < first, { timeout: 5000, message: 'dev’s timer counts down' });
    await waitFor(async () => (await timerSeconds(po.page)) < 300, { timeout: 5000, message: 'PO’s timer counts down' });
    // both screens show the same second (± one tick of the display refresh)
    const [a, b] = await Promise.all([timerSeconds(po.page), timerSeconds(dev.page)]);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(1);
    // +1 minute reaches both
    await po.page.getByTestId('timer-add').click();
    await waitFor(async () => (await timerSeconds(dev.page)) > 300, { timeout: 5000, message: 'dev sees the added minute' });

    // follow: the developer follows; the PO focuses an item → the dev's panel opens it
    await dev.page.getByTestId('follow-toggle').check();
    await po.page.getByTestId('focus-picker').fill('3'); // rank number, keyboard
    await po.page.getByTestId('focus-picker').press('Enter');
    await waitFor(async () => new URL(dev.page.url()).searchParams.get('item') === ids[2], { timeout: 10_000, message: 'dev follows focus' });
    const focusTitle = await panelTitle(dev.page);
    expect(focusTitle).toContain('Order history');

    // while the developer types a comment, a new focus waits …
    const box = dev.page.getByTestId('comment-input');
    await box.click();
    await box.pressSequentially('Half-written thought', { delay: 20 });
    await po.page.getByTestId('focus-picker').fill('retry failed'); // title words, mouse
    await po.page.getByRole('option', { name: /Retry failed card payments/ }).click();
    await dev.page.getByTestId('follow-moved-on').waitFor({ timeout: 5000 });
    expect(new URL(dev.page.url()).searchParams.get('item')).toBe(ids[2]);
    expect(await box.inputValue()).toBe('Half-written thought');
    // … and is offered instead: the follower goes there when they choose to [UX-1]
    await dev.page.getByTestId('follow-moved-on').getByRole('button', { name: 'go there' }).click();
    await waitFor(async () => new URL(dev.page.url()).searchParams.get('item') === ids[4], { timeout: 10_000, message: 'moves when asked' });
    expect(await panelTitle(dev.page)).toContain('Retry failed card payments');

    // anyone can stop following
    await dev.page.getByTestId('follow-toggle').uncheck();
    await po.page.getByTestId('focus-picker').click();
    await po.page.getByRole('option', { name: /Checkout/ }).first().click();
    await dev.page.getByTestId('focus-link').filter({ hasText: 'Checkout' }).waitFor({ timeout: 10_000 });
    expect(new URL(dev.page.url()).searchParams.get('item')).toBe(ids[4]);

    // session bar screenshot: the facilitator's view, with a running timer and a focus
    await po.page.getByTestId('phase-select').selectOption('estimation');
    await po.page.screenshot({ path: 'test-results/session-bar.png', clip: { x: 0, y: 0, width: 1280, height: 300 } });

    await po.context.close();
    await dev.context.close();
  });
});
