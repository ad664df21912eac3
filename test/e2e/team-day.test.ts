/**
 * What a team hit acting out a full refinement day on the board (issue 14), in Chromium:
 * follow never eats a half-written comment, re-vote re-votes the same item with the same
 * deck, the suggested estimate is a card of the deck, a shared ?item= link wins over
 * follow, and the ready-rule notice works while the details are already open. Each test
 * failed before its fix.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../shared/schema/estimation.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { launchBrowser, } from './helpers/browser.ts';
import { poAndDevOnSeededBoard } from './helpers/team.ts';

let ts: TestServer;
let browser: Browser;

beforeAll(async () => {
  ts = await startTestServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await ts?.stop();
});

const setup = (size: { width: number; height: number } = { width: 1280, height: 800 }) => poAndDevOnSeededBoard(ts, browser, { po: size, dev: size });

const shownItem = (page: Page) => new URL(page.url()).searchParams.get('item');

async function focusOn(po: Page, rank: number) {
  await po.getByTestId('focus-picker').fill(String(rank));
  await po.getByTestId('focus-picker').press('Enter');
}

describe('a team day on the board', () => {
  it('[UX-1] [UX-2] follow never moves someone with unsent text: it offers “go there”, and the draft survives closing and following', async () => {
    const { po, dev, ids, close } = await setup();
    await dev.page.getByTestId('follow-toggle').check();
    await focusOn(po.page, 3);
    await waitFor(async () => shownItem(dev.page) === ids[2], { timeout: 10_000, message: 'dev follows focus' });

    const box = dev.page.getByTestId('comment-input');
    await box.click();
    await box.pressSequentially('Half-written thought', { delay: 10 });
    // Well past TYPING_QUIET_MS of quiet, still with the text unsent.
    await dev.page.waitForTimeout(2500);
    await focusOn(po.page, 5);
    const moved = dev.page.getByTestId('follow-moved-on');
    await moved.waitFor({ timeout: 5000 });
    expect(await moved.textContent()).toContain('The team moved on to Retry failed card payments');
    await dev.page.waitForTimeout(2500);
    expect(shownItem(dev.page)).toBe(ids[2]);
    expect(await box.inputValue()).toBe('Half-written thought');

    // Going there is the follower's choice; the draft stays with its item.
    await moved.getByRole('button', { name: /go there/i }).click();
    await waitFor(async () => shownItem(dev.page) === ids[4], { timeout: 5000, message: 'went to the focus' });
    await dev.page.getByTestId('close-detail').click();
    await dev.page.getByTestId('open-details').nth(2).dispatchEvent('click');
    await waitFor(async () => (await dev.page.getByTestId('comment-input').inputValue()) === 'Half-written thought', {
      timeout: 5000,
      message: 'the draft is back on its item',
    });
    // And after a reload (the offline cache keeps drafts too).
    await dev.page.reload();
    await dev.page.getByTestId('comment-input').waitFor();
    expect(await dev.page.getByTestId('comment-input').inputValue()).toBe('Half-written thought');
    await close();
  });

  it('[UX-4] re-vote re-votes the item just estimated with its deck; “new round” is separate; cancel stores nothing', async () => {
    const { po, dev, ids, close, board } = await setup();
    await po.page.getByRole('combobox', { name: 'Deck', exact: true }).selectOption('tshirt');
    await po.page.getByTestId('poker-start-button').click();
    await dev.page.getByTestId('poker-card-M').click();
    await po.page.getByTestId('poker-reveal').click();
    await po.page.getByTestId('poker-results').waitFor();
    // The facilitator moves the focus on before deciding to re-vote.
    await focusOn(po.page, 3);
    await po.page.getByRole('button', { name: 'Re-vote', exact: true }).click();
    await po.page.locator('[data-testid="poker"][data-state="voting"]').waitFor();
    expect(await po.page.getByTestId('poker-item').textContent()).toBe('Checkout: pay with saved card in one tap');
    await po.page.getByTestId('poker-card-XL').waitFor();

    // Cancel: nothing revealed, nothing kept as a result of the round.
    await dev.page.getByTestId('poker-card-S').click();
    await waitFor(async () => ((await po.page.getByTestId('poker-voters').textContent()) ?? '').includes('1 of'), { message: 'vote in' });
    await po.page.getByRole('button', { name: 'Cancel round' }).click();
    await dev.page.getByTestId('poker').waitFor({ state: 'detached', timeout: 5000 });
    expect(await dev.page.getByTestId('poker-results').count()).toBe(0);
    const history = await ts.server.withBoard(board.boardId, (b) => readHistory(b.doc, ids[0]!));
    expect(history.map((r) => r.round)).toEqual([1]);
    await close();
  });

  it('[UX-5] the suggested estimate is the deck card nearest the median: 5 and 13 suggest 8, not 9', async () => {
    const { po, dev, close } = await setup();
    await po.page.getByTestId('poker-start-button').click();
    await dev.page.getByTestId('poker-card-13').click();
    await po.page.getByTestId('poker-card-5').click();
    await waitFor(async () => ((await po.page.getByTestId('poker-voters').textContent()) ?? '').includes('2 of 2'), { message: 'both voted' });
    await po.page.getByTestId('poker-reveal').click();
    await po.page.getByTestId('poker-results').waitFor();
    expect((await po.page.getByTestId('poker-agree').textContent())?.trim()).toBe('Set estimate 8');
    await close();
  });

  it('[UX-3] a shared ?item= link wins over follow mode on load', async () => {
    const { po, dev, ids, boardUrl, close } = await setup();
    await dev.page.getByTestId('follow-toggle').check();
    await focusOn(po.page, 2);
    await waitFor(async () => shownItem(dev.page) === ids[1], { timeout: 10_000, message: 'dev follows focus' });
    await dev.page.goto(`${boardUrl}?item=${ids[5]}`);
    await dev.page.getByTestId('item-detail').waitFor();
    await dev.page.locator('[data-connection="live"]').waitFor();
    await dev.page.waitForTimeout(1500);
    expect(shownItem(dev.page)).toBe(ids[5]);
    // Follow stays on: the next focus change moves the panel again.
    await focusOn(po.page, 4);
    await waitFor(async () => shownItem(dev.page) === ids[3], { timeout: 10_000, message: 'follows the next focus' });
    await close();
  });

  it('[UX-6] [REF-5] “Ready” refused on a card while its details are open shows the override right there', async () => {
    const { po, ids, boardUrl, close } = await setup();
    await po.page.goto(`${boardUrl}?item=${ids[3]}`);
    await po.page.getByTestId('question-input').fill('Which VAT rates apply?');
    await po.page.getByTestId('ask-question').click();
    await po.page.getByTestId('question').waitFor();
    const card = po.page.locator(`li.card[data-item-id="${ids[3]}"]`);
    await card.getByLabel(/^Status of/).selectOption('ready');
    await po.page.getByTestId('ready-blocked').waitFor({ timeout: 3000 });
    await po.page.getByTestId('ready-override').waitFor();
    expect(await po.page.getByText('override in the details').count()).toBe(0);
    // From the toast on another item's panel: "Open details" opens that item with the override.
    await po.page.getByTestId('close-detail').click();
    await card.getByLabel(/^Status of/).selectOption('ready');
    await po.page.getByRole('button', { name: 'Open details', exact: true }).click();
    await po.page.getByTestId('ready-blocked').waitFor({ timeout: 3000 });
    expect(shownItem(po.page)).toBe(ids[3]);
    // Open on the same item already: the action still shows the override.
    await po.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await po.page.getByTestId('ready-blocked').waitFor({ state: 'detached' });
    await card.getByLabel(/^Status of/).selectOption('ready');
    await po.page.getByTestId('ready-blocked').waitFor({ timeout: 3000 });
    await close();
  });
});
