/**
 * The parts split out of the first chunk (issue 16, client/components/LazyPart.tsx): they
 * open as before, and one whose chunk cannot be fetched says so in place of the view, with
 * a way to reload, instead of taking the board down.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { backlogTitles, joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';
import { seedBacklog } from './helpers/screenshots.ts';

let ts: TestServer;
let browser: Browser;

beforeAll(async () => {
  ts = await startTestServer(process.env.CLIENT_DIR ? { config: { clientDir: process.env.CLIENT_DIR } } : {});
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await ts?.stop();
});

describe('lazy parts of the board (issue 16)', () => {
  it('a view whose chunk cannot be fetched is explained in place; the rest of the board keeps working', async () => {
    const board = await createBoard(ts.baseUrl, 'Lazy parts');
    await seedBacklog(ts.server, board.boardId);
    const person = await newPerson(browser);
    // The context's routes also see the service worker's requests (Chromium).
    let refused = 0;
    await person.context.route(/\/assets\/PlanningView-[\w-]+\.js$/, (route) => {
      refused += 1;
      return route.abort('internetdisconnected');
    });
    await joinWithLink(person.page, board.links.find((l) => l.role === 'po')!.url, 'Paula');
    const titles = await backlogTitles(person.page);
    expect(titles.length).toBeGreaterThan(3);

    await person.page.getByTestId('tab-planning').click();
    const alert = person.page.getByRole('alert').filter({ hasText: 'Could not load the planning view' });
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.getByRole('button', { name: 'Reload the page' }).isVisible()).toBe(true);
    expect(refused).toBeGreaterThan(0);
    // Still the board: its header and tabs answer, the backlog comes back.
    await person.page.getByTestId('tab-backlog').click();
    expect(await backlogTitles(person.page)).toEqual(titles);

    // The other parts load on demand as before: an item's panel opens.
    await person.page.getByTestId('open-details').first().dispatchEvent('click');
    await person.page.getByTestId('item-detail').waitFor({ timeout: 10_000 });
    await person.context.close();
  });
});
