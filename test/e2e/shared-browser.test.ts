/**
 * One browser, two people on one board [AUTH-6]: the offline cache is kept per board and
 * person, so what one person edited offline is never sent under the other's token (which
 * the server would refuse, or bind to the wrong person), and goes out when its owner comes
 * back. A cache from before it was keyed by person has no known owner and is deleted unread.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../../shared/ids.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import { createBoard, joinBoard, linkToken, startTestServer, type TestServer } from '../helpers/server.ts';
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

async function addItem(page: Page, title: string): Promise<void> {
  await page.getByLabel('New backlog item').fill(title);
  await page.getByLabel('New backlog item').press('Enter');
  await waitFor(async () => (await backlogTitles(page)).includes(title), { message: `"${title}" shown locally` });
}

/** Whether the server's copy of the board has an item titled `title`. */
const onServer = (boardId: string, title: string): boolean => {
  const doc = ts.server.rooms.get(boardId as never)?.doc;
  return doc !== undefined && hasItem(doc, title);
};

/** The IndexedDB database names of the page's origin. */
const databases = (page: Page): Promise<string[]> =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));

describe('a browser shared by two people on one board', () => {
  it('[AUTH-6] the second person never sends the first one’s offline edits; the first, back, does', async () => {
    const board = await createBoard(ts.baseUrl, 'Shared laptop');
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const sam = await newPerson(browser);
    await joinWithLink(sam.page, link('sm'), 'Sam');
    const shared = await newPerson(browser);

    // Dana (developer) works online, then offline, and closes the tab before the network is back.
    const dana = shared.page;
    await joinWithLink(dana, link('dev'), 'Dana');
    await addItem(dana, 'Dana, online');
    await waitFor(async () => (await backlogTitles(sam.page)).includes('Dana, online'), { timeout: 10_000 });
    // Offline emulation leaves an open socket open: reload offline (app shell from the
    // service worker, board from the cache) so nothing can reach the server.
    await dana.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await waitFor(() => dana.evaluate(() => navigator.serviceWorker.controller !== null), {
      timeout: 10_000,
      message: 'service worker in control',
    });
    await shared.context.setOffline(true);
    await dana.reload();
    await dana.getByTestId('offline-notice').waitFor({ timeout: 10_000 });
    await waitFor(async () => (await backlogTitles(dana)).includes('Dana, online'), { timeout: 10_000 });
    await addItem(dana, 'Dana, unsent draft');
    await dana.getByTestId('offline-notice').filter({ hasText: '(1 so far)' }).waitFor({ timeout: 5000 });
    await dana.close();
    await shared.context.setOffline(false);

    // Paula (PO) opens the same board in the same browser, with her own link.
    const paula = await shared.context.newPage();
    await joinWithLink(paula, link('po'), 'Paula');
    await addItem(paula, 'Paula, fence');
    // Her session sends whatever its document holds on connect, before this later edit.
    await waitFor(() => onServer(board.boardId, 'Paula, fence'), { timeout: 10_000, message: 'Paula’s edit stored' });
    expect(onServer(board.boardId, 'Dana, unsent draft')).toBe(false);
    expect(await backlogTitles(paula)).not.toContain('Dana, unsent draft');
    expect(await paula.getByText('Your last change was refused').count()).toBe(0);
    await paula.close();

    // Dana comes back to her link, continues as herself, and her draft goes out.
    const back = await shared.context.newPage();
    await back.goto(link('dev'));
    await back.getByRole('button', { name: 'Continue as Dana (Developer) instead' }).click();
    await back.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    await waitFor(async () => (await backlogTitles(sam.page)).includes('Dana, unsent draft'), {
      timeout: 10_000,
      message: 'Dana’s draft reaches the others',
    });
    expect(onServer(board.boardId, 'Dana, unsent draft')).toBe(true);
    expect(await back.getByText('Your last change was refused').count()).toBe(0);
    await shared.context.close();
    await sam.context.close();
  });

  it('[AUTH-6] a cache from before it was kept per person is deleted, not sent', async () => {
    const board = await createBoard(ts.baseUrl, 'Old cache');
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const person = await newPerson(browser);
    await joinWithLink(person.page, link('dev'), 'Dana');
    await waitFor(async () => (await backlogTitles(person.page)).length > 0);

    // What an earlier version left: one database per board, holding somebody's unsent item.
    const someone = await joinBoard(ts.baseUrl, board.boardId, linkToken(board, 'dev'), 'Someone');
    const doc = new Y.Doc();
    await ts.server.withBoard(board.boardId, (b) => Y.applyUpdate(doc, Y.encodeStateAsUpdate(b.doc)));
    const before = Y.encodeStateVector(doc);
    addTitled(doc, someone.userId as UserId, 'From an old cache');
    const unsent = Array.from(Y.encodeStateAsUpdate(doc, before));
    const legacy = `refinement-board:${board.boardId}`;
    await person.page.close();
    const page = await person.context.newPage();
    await page.goto(`${ts.baseUrl}/`);
    await page.evaluate(
      ({ name, bytes }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open(name);
          open.onupgradeneeded = () => {
            open.result.createObjectStore('updates', { autoIncrement: true });
            open.result.createObjectStore('custom');
          };
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction('updates', 'readwrite');
            tx.objectStore('updates').add(new Uint8Array(bytes));
            tx.oncomplete = () => {
              db.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { name: legacy, bytes: unsent },
    );
    expect(await databases(page)).toContain(legacy);

    await page.goto(`${ts.baseUrl}/b/${board.boardId}`);
    await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    await addItem(page, 'Dana, after the upgrade');
    await waitFor(() => onServer(board.boardId, 'Dana, after the upgrade'), { timeout: 10_000 });
    await waitFor(async () => !(await databases(page)).includes(legacy), { message: 'old cache deleted' });
    expect(onServer(board.boardId, 'From an old cache')).toBe(false);
    expect(await backlogTitles(page)).not.toContain('From an old cache');
    await person.context.close();
  });
});
