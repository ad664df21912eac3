/**
 * Async planning poker in real browsers [EST-12…17]: the PO opens a round with a deadline
 * for one item and invites a developer; the developer comes back later (a new tab, same
 * browser profile), finds it under "Waiting for your estimate" with its count badge, votes
 * with a comment and a confidence, and the round reveals for everyone. Saves
 * test-results/async-poker-*.png at 1280×800 and 390×844.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateBoardResponse } from '../../shared/api.ts';
import { api, startTestServer, type TestServer } from '../helpers/server.ts';
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

describe('async planning poker in the browser', () => {
  it('[EST-13] [EST-14] a round opened by the PO is voted on later from a second browser and reveals', async () => {
    const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Async refinement' } });
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;

    const po = await newPerson(browser, { width: 1280, height: 800 });
    const dev = await newPerson(browser, { width: 390, height: 844 });
    await joinWithLink(po.page, link('po'), 'Paula Owner');
    await joinWithLink(dev.page, link('dev'), 'Dev Kumar');
    const boardUrl = dev.page.url();

    // The PO opens a 2-day round on one item, inviting Dev.
    await po.page.getByTestId('async-start').locator('summary').click();
    const picker = po.page.getByTestId('async-item-picker');
    await picker.click();
    await picker.fill('saved card');
    await picker.press('Enter');
    await po.page.getByTestId('async-amount').fill('2');
    await po.page.getByTestId('async-unit').selectOption('days');
    await po.page.getByTestId('async-start').getByLabel('Dev Kumar').check();
    await po.page.getByTestId('async-open-round').click();
    const openRow = po.page.getByTestId('async-open');
    await openRow.waitFor({ timeout: 10_000 });
    expect(await openRow.textContent()).toContain('0 of 1 voted · reveals in 2 d');

    // Dev had left; later they come back in a new tab of the same browser.
    await dev.page.close();
    const later = await dev.context.newPage();
    await later.goto(boardUrl);
    await later.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    await waitFor(async () => ((await later.getByTestId('async-waiting-count').textContent()) ?? '').startsWith('1'), {
      message: 'badge counts one round waiting',
    });
    const waiting = later.getByTestId('async-waiting');
    expect(await waiting.textContent()).toContain('Checkout: pay with saved card in one tap');
    await later.screenshot({ path: 'test-results/async-poker-waiting-390.png' });
    await expandEstimation(later);
    await waiting.getByTestId('async-card-8').click();
    await waiting.getByTestId('async-comment').fill('Card vault API is new to us');
    await waiting.getByTestId('async-confidence-low').check();
    // Before the vote the PO sees no value anywhere.
    expect(await po.page.getByTestId('async-result').count()).toBe(0);
    await waiting.getByTestId('async-send').click();

    // Every invited voter has voted: the server reveals, on both screens.
    for (const page of [po.page, later]) {
      const result = page.getByTestId('async-result');
      await result.first().waitFor({ timeout: 10_000 });
      const text = (await result.first().textContent()) ?? '';
      expect(text).toContain('8');
      expect(text).toContain('Dev Kumar');
      expect(text).toContain('low confidence');
      expect(text).toContain('Card vault API is new to us');
    }
    expect(await po.page.getByTestId('async-revealed').textContent()).toContain('Revealed when everyone had voted');
    await waitFor(async () => ((await later.getByTestId('async-waiting-count').textContent()) ?? '').startsWith('0'));
    await po.page.getByTestId('async-rounds').screenshot({ path: 'test-results/async-poker-revealed-1280.png' });
    await po.page.screenshot({ path: 'test-results/async-poker-1280.png' });
    await later.screenshot({ path: 'test-results/async-poker-390.png', fullPage: true });
    for (const p of [po, dev]) await p.context.close();
  });
});

/** The estimation dock collapses on phones and beside an open item: open it to act in it. */
async function expandEstimation(page: import('playwright-core').Page): Promise<void> {
  const summary = page.getByTestId('estimation-summary');
  if ((await summary.getAttribute('aria-expanded')) === 'false') await summary.click();
}
