/**
 * History in a real browser [HIS-1, HIS-5]: a developer visits, leaves, and while away the
 * PO moves and estimates items; back on the board, the developer sees the digest first,
 * then opens an item's history and finds the move by name. Saves
 * test-results/history-*.png at 1280×800 and 390×844.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateBoardResponse } from '../../shared/api.ts';
import { listItems, moveItem, setItemEstimate } from '../../shared/schema/board.ts';
import { api, connectSynced, joinBoard, linkToken, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';
import { seedBacklog } from './helpers/screenshots.ts';

let ts: TestServer;
let browser: Browser;

beforeAll(async () => {
  ts = await startTestServer();
  browser = await launchBrowser();
  await mkdir('test-results', { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await ts?.stop();
});

describe('history in the browser', () => {
  it('[HIS-5][HIS-1] a developer comes back to a digest of what others did, and opens an item’s history', async () => {
    const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Digest' } });
    await seedBacklog(ts.server, board.boardId);
    const dev = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(dev.page, board.links.find((l) => l.role === 'dev')!.url, 'Dana Dev');
    await dev.page.getByTestId('item-card').first().waitFor();
    const boardUrl = dev.page.url();
    // The first visit starts the clock; nothing to tell yet.
    await dev.page.getByTestId('activity-feed').waitFor();
    expect(await dev.page.getByTestId('digest').count()).toBe(0);
    await dev.page.goto('about:blank');

    const po = await joinBoard(ts.baseUrl, board.boardId, linkToken(board, 'po'), 'Ada PO');
    const client = await connectSynced(ts.wsUrl, board.boardId, po.token);
    const items = listItems(client.doc);
    const last = items[items.length - 1]!;
    moveItem(client.doc, last.id, 'top');
    setItemEstimate(client.doc, items[0]!.id, '8');
    await waitFor(async () => {
      const r = await api<{ events: unknown[] }>(ts.baseUrl, `/api/boards/${board.boardId}/history?limit=5`, { token: po.token });
      return r.body.events.length >= 2;
    });
    await api(ts.baseUrl, `/api/boards/${board.boardId}/history/notes`, { token: po.token, body: { note: 'customer escalation' } });
    client.destroy();

    await dev.page.goto(boardUrl);
    const digest = dev.page.getByTestId('digest');
    await digest.waitFor({ timeout: 10_000 });
    expect(await digest.textContent()).toContain(`${last.title}: moved up ${items.length - 1}`);
    expect(await digest.textContent()).toContain(`${items[0]!.title}: moved down 1, estimate ${items[0]!.estimate ?? 'none'} → 8`);
    await dev.page.screenshot({ path: 'test-results/history-digest-1280.png' });

    await digest.getByRole('button', { name: last.title }).click();
    const history = dev.page.getByTestId('item-history');
    await history.locator('summary').click();
    const moved = history.getByTestId('history-event').filter({ hasText: 'moved' });
    await moved.waitFor({ timeout: 10_000 });
    expect(await moved.textContent()).toContain('Ada PO moved from #');
    expect(await moved.textContent()).toContain('customer escalation');
    await dev.page.screenshot({ path: 'test-results/history-item-1280.png' });
    await dev.page.setViewportSize({ width: 390, height: 844 });
    await dev.page.screenshot({ path: 'test-results/history-item-390.png' });

    await dev.page.setViewportSize({ width: 1280, height: 800 });
    await dev.page.getByTestId('close-detail').click();
    await dev.page.getByTestId('digest-dismiss').click();
    await dev.page.reload();
    await dev.page.getByTestId('activity-feed').waitFor();
    expect(await dev.page.getByTestId('digest').count()).toBe(0);
    // The board-wide feed: newest first, who did what on which item, with the move's reason.
    const feed = dev.page.getByTestId('activity-feed');
    await feed.locator('summary').click();
    const events = feed.getByTestId('history-event');
    await events.first().waitFor({ timeout: 10_000 });
    const lines = await events.allTextContents();
    expect(lines[0]).toContain(`Ada PO estimated`);
    expect(lines[0]).toContain(`→ 8 on “${items[0]!.title}”`);
    expect(lines[1]).toContain(`Ada PO moved from #${items.length} to #1 on “${last.title}”: customer escalation`);
  });

  it('[HIS-3][HIS-1][HIS-4] a reason typed into the move toast shows in the item history and on the rank; as of before the move shows the old order', async () => {
    const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Reasons' } });
    await seedBacklog(ts.server, board.boardId);
    const po = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(po.page, board.links.find((l) => l.role === 'po')!.url, 'Ada PO');
    await po.page.getByTestId('item-card').first().waitFor();
    const secondTitle = (await po.page.getByTestId('item-card').nth(1).locator('.card-title').textContent())!.trim();
    const firstTitle = (await po.page.getByTestId('item-card').first().locator('.card-title').textContent())!.trim();
    // A whole second after the seed, so a moment picked to the second falls inside the history.
    await new Promise((r) => setTimeout(r, 1100));
    const beforeMove = await po.page.evaluate(() => {
      const at = Date.now();
      return new Date(at - new Date(at).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
    });
    await new Promise((r) => setTimeout(r, 1100));

    // Keyboard move: the second card to the top. The toast offers "why?" without taking focus.
    await po.page.getByTestId('drag-handle').nth(1).focus();
    await po.page.keyboard.press('Space');
    await po.page.locator('.card.is-dragging').waitFor();
    await po.page.keyboard.press('ArrowUp');
    await po.page.getByText(/moved to position 1 of/).waitFor({ state: 'attached' });
    await po.page.keyboard.press('Space');
    await po.page.locator('.card.is-dragging').waitFor({ state: 'detached' });
    const reason = po.page.getByTestId('move-reason');
    await reason.waitFor();
    expect(await reason.evaluate((el) => el === document.activeElement)).toBe(false);
    expect(await po.page.locator('.toast').first().textContent()).toContain('to #1');
    await po.page.screenshot({ path: 'test-results/history-reason-toast-1280.png' });
    await reason.fill('customer escalation');
    await reason.press('Enter');
    await reason.waitFor({ state: 'detached' });

    expect((await po.page.getByTestId('item-card').first().locator('.card-title').textContent())?.trim()).toBe(secondTitle);
    // Hovering the rank names the mover and the reason.
    await po.page.getByTestId('card-rank').first().hover();
    const tip = po.page.getByTestId('rank-history');
    await tip.waitFor();
    expect(await tip.textContent()).toBe('moved by Ada PO just now: customer escalation');
    await po.page.screenshot({ path: 'test-results/history-rank-1280.png' });

    await po.page.getByTestId('open-details').first().click();
    const history = po.page.getByTestId('item-history');
    await history.locator('summary').click();
    const moved = history.getByTestId('history-event').filter({ hasText: 'moved' });
    await moved.waitFor({ timeout: 10_000 });
    expect(await moved.textContent()).toContain('Ada PO moved from #2 to #1');
    expect(await moved.textContent()).toContain('customer escalation');
    await po.page.setViewportSize({ width: 390, height: 844 });
    await po.page.screenshot({ path: 'test-results/history-reason-390.png' });
  
    // As of a moment before the move: the old order, read-only, with a clear banner.
    await po.page.setViewportSize({ width: 1280, height: 800 });
    await po.page.getByTestId('close-detail').click();
    await po.page.getByTestId('as-of').locator('summary').click();
    await po.page.getByTestId('as-of-time').fill(beforeMove);
    await po.page.getByTestId('as-of-show').click();
    const view = po.page.getByTestId('as-of-view');
    await view.waitFor();
    expect(await view.locator('h2').textContent()).toContain('You are looking at the board as of');
    const asOfTitles = await view.getByTestId('as-of-item').locator('.his-asof-title').allTextContents();
    expect(asOfTitles.slice(0, 2)).toEqual([firstTitle, secondTitle]);
    await po.page.screenshot({ path: 'test-results/history-as-of-1280.png' });
    await po.page.setViewportSize({ width: 390, height: 844 });
    await po.page.screenshot({ path: 'test-results/history-as-of-390.png' });
    await view.getByTestId('as-of-back').click();
    await view.waitFor({ state: 'detached' });
  });
});
