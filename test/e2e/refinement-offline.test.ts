/**
 * Offline in a real browser [REF-16]: a person who has opened a board loses the network,
 * reloads, still sees the board (app shell from the service worker, board from IndexedDB),
 * is told they are offline, edits, and their edits reach others once the network is back.
 * Also per-user undo in the browser [REF-15]: Ctrl+Z reverts my move, not someone else's.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyGate } from '../../server/policy/gate.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { backlogTitles, joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';
import { seedBacklog } from './helpers/screenshots.ts';

let ts: TestServer;
let browser: Browser;

beforeAll(async () => {
  ts = await startTestServer({
    options: { updateGate: new PolicyGate() },
    ...(process.env.CLIENT_DIR ? { config: { clientDir: process.env.CLIENT_DIR } } : {}),
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await ts?.stop();
});

describe('offline and undo in the browser', () => {
  it('[REF-16] reload while offline shows the cached board; offline edits merge on reconnect', async () => {
    const board = await createBoard(ts.baseUrl, 'Offline board');
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const dana = await newPerson(browser);
    const paula = await newPerson(browser);
    await joinWithLink(dana.page, link('dev'), 'Dana');
    await joinWithLink(paula.page, link('po'), 'Paula');
    const before = await backlogTitles(dana.page);
    expect(before.length).toBeGreaterThan(3);
    // the app shell is cached once the service worker controls the page
    await dana.page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await waitFor(() => dana.page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 10_000, message: 'service worker in control' });
    // …with the chunks the first screen leaves out (issue 16), which only the scripts name
    const shellChunks = () =>
      dana.page.evaluate(async () => {
        const names = await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => new URL(r.url).pathname)));
        return names.flat();
      });
    await waitFor(async () => (await shellChunks()).some((p) => /^\/assets\/PlanningView-.*\.js$/.test(p)), { timeout: 10_000, message: 'lazy chunks in the shell cache' });
    expect((await shellChunks()).some((p) => /^\/assets\/ItemDetailPanel-.*\.js$/.test(p))).toBe(true);

    await dana.context.setOffline(true);
    await dana.page.reload();
    await dana.page.getByTestId('offline-notice').waitFor({ timeout: 10_000 });
    await waitFor(async () => JSON.stringify(await backlogTitles(dana.page)) === JSON.stringify(before), {
      timeout: 10_000,
      message: 'cached backlog shown offline',
    });
    // views split out of the first chunk still open with no network
    await dana.page.getByTestId('tab-planning').click();
    await dana.page.getByTestId('planning-view').waitFor({ timeout: 10_000 });
    await dana.page.getByTestId('tab-backlog').click();
    await dana.page.getByTestId('open-details').first().dispatchEvent('click');
    await dana.page.getByTestId('item-detail').waitFor({ timeout: 10_000 });
    await dana.page.keyboard.press('Escape');
    await dana.page.getByTestId('item-detail').waitFor({ state: 'detached', timeout: 10_000 });

    // edit while offline: a new item at the top
    await dana.page.getByLabel('New backlog item').fill('Written on the train');
    await dana.page.getByLabel('New backlog item').press('Enter');
    await waitFor(async () => (await backlogTitles(dana.page)).includes('Written on the train'), { message: 'offline item shown locally' });
    await dana.page.getByTestId('offline-notice').filter({ hasText: '(1 so far)' }).waitFor({ timeout: 5000 });
    // meanwhile Paula archives nothing but renames nothing: she adds her own item
    await paula.page.getByLabel('New backlog item').fill('Added by Paula while Dana was away');
    await paula.page.getByLabel('New backlog item').press('Enter');
    await waitFor(async () => (await backlogTitles(paula.page)).includes('Added by Paula while Dana was away'));
    expect(await backlogTitles(paula.page)).not.toContain('Written on the train');

    await dana.context.setOffline(false);
    await waitFor(
      async () => {
        const [d, p] = await Promise.all([backlogTitles(dana.page), backlogTitles(paula.page)]);
        return JSON.stringify(d) === JSON.stringify(p) && d.includes('Written on the train') && d.includes('Added by Paula while Dana was away');
      },
      { timeout: 20_000, message: 'both edits everywhere after reconnect' },
    );
    await dana.page.getByTestId('offline-notice').waitFor({ state: 'detached', timeout: 10_000 });
    await dana.context.close();
    await paula.context.close();
  });

  it('a comment written offline says "not sent yet" until the server has stored it (issue 14)', async () => {
    const board = await createBoard(ts.baseUrl, 'Unsent comments');
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const dana = await newPerson(browser);
    const paula = await newPerson(browser);
    await joinWithLink(dana.page, link('dev'), 'Dana');
    await joinWithLink(paula.page, link('po'), 'Paula');
    await dana.page.getByTestId('open-details').first().dispatchEvent('click');
    await paula.page.getByTestId('open-details').first().dispatchEvent('click');

    // Online: sent at once, never marked.
    await dana.page.getByTestId('comment-input').fill('Said while online');
    await dana.page.getByTestId('send-comment').click();
    await paula.page.getByText('Said while online').waitFor();
    expect(await dana.page.getByTestId('comment-unsent').count()).toBe(0);
    // Still unmarked past the 3 s an unacknowledged comment would wait before saying so:
    // the server's acknowledgement came (its answer can need one re-probe, 1.5 s).
    await dana.page.waitForTimeout(3_500);
    expect(await dana.page.getByTestId('comment-unsent').count()).toBe(0);

    await dana.context.setOffline(true);
    await dana.page.getByTestId('offline-notice').waitFor({ timeout: 10_000 });
    await dana.page.getByTestId('comment-input').fill('Written in the tunnel');
    await dana.page.getByTestId('send-comment').click();
    const mine = dana.page.getByTestId('comment').filter({ hasText: 'Written in the tunnel' });
    await mine.getByTestId('comment-unsent').waitFor();
    expect(await dana.page.getByTestId('comment-unsent').count()).toBe(1);
    expect(await paula.page.getByText('Written in the tunnel').count()).toBe(0);

    await dana.context.setOffline(false);
    await paula.page.getByText('Written in the tunnel').waitFor({ timeout: 20_000 });
    await mine.getByTestId('comment-unsent').waitFor({ state: 'detached', timeout: 10_000 });
    await dana.context.close();
    await paula.context.close();
  });

  it('[REF-15] Ctrl+Z undoes my move in the browser, not the other person’s', async () => {
    const board = await createBoard(ts.baseUrl, 'Undo board');
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const dana = await newPerson(browser);
    const paula = await newPerson(browser);
    await joinWithLink(dana.page, link('dev'), 'Dana');
    await joinWithLink(paula.page, link('po'), 'Paula');
    const start = await backlogTitles(dana.page);

    // Dana moves the last card to the top with its menu
    const last = dana.page.locator('ol.backlog > li.card').last();
    await last.getByRole('button', { name: /^More actions/ }).click();
    await dana.page.getByRole('menuitem', { name: 'Move to top' }).click();
    const moved = [start.at(-1)!, ...start.slice(0, -1)];
    await waitFor(async () => JSON.stringify(await backlogTitles(paula.page)) === JSON.stringify(moved), { timeout: 10_000, message: 'Paula sees the move' });

    // Paula moves another card to the bottom
    const second = paula.page.locator('ol.backlog > li.card').nth(1);
    await second.getByRole('button', { name: /^More actions/ }).click();
    await paula.page.getByRole('menuitem', { name: 'Move to bottom' }).click();
    const afterPaula = [moved[0]!, ...moved.slice(2), moved[1]!];
    await waitFor(async () => JSON.stringify(await backlogTitles(dana.page)) === JSON.stringify(afterPaula), { timeout: 10_000, message: 'Dana sees Paula’s move' });

    // Dana presses Ctrl+Z (focus on the page, not in a field): only her move is undone
    await dana.page.locator('body').click({ position: { x: 5, y: 400 } });
    await dana.page.keyboard.press('Control+z');
    // Dana's card goes back to the end (its old rank); Paula's move stays: her card is
    // still after all the others (both sit past the old last card, in rank order).
    await waitFor(
      async () => {
        const t = await backlogTitles(paula.page);
        return (
          JSON.stringify(t.slice(0, -2)) === JSON.stringify(start.slice(1, -1)) &&
          new Set(t.slice(-2)).size === 2 &&
          t.slice(-2).includes(start.at(-1)!) &&
          t.slice(-2).includes(start[0]!)
        );
      },
      { timeout: 10_000, message: 'Dana’s move undone, Paula’s kept' },
    );
    await dana.context.close();
    await paula.context.close();
  });
});
