/**
 * The board in a real browser: Debian's Chromium (playwright-core) against a real server
 * started in-process on a free port, serving the client built by `vite build`.
 * Run with `npm run test:e2e` (builds the client first).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserId } from '../../shared/ids.ts';
import { moveItem, rankedActiveEntries } from '../../shared/schema/board.ts';
import { createBoardWithItems, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { backlogTitles, joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';

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

/** Creates a board through the home page, as a person would, and returns its join links by role. */
async function createBoardInUi(page: Page, title: string): Promise<Record<'po' | 'sm' | 'dev' | 'viewer', string>> {
  await page.goto(ts.baseUrl);
  await page.getByLabel('Board title').fill(title);
  await page.getByRole('button', { name: 'Create board' }).click();
  await page.getByText('Board created').waitFor();
  const url = (label: string) => page.getByLabel(`${label} join link`).inputValue();
  return { po: await url('Product Owner'), sm: await url('Scrum Master'), dev: await url('Developer'), viewer: await url('Viewer') };
}

async function addItems(page: Page, titles: string[]): Promise<void> {
  const box = page.getByLabel('New backlog item');
  for (const t of titles) {
    await box.fill(t);
    await box.press('Enter');
  }
  await waitFor(async () => (await backlogTitles(page)).length >= titles.length, { timeout: 10_000, message: 'items added' });
}

async function expectOrder(page: Page, expected: string[], what: string): Promise<void> {
  await waitFor(async () => JSON.stringify(await backlogTitles(page)) === JSON.stringify(expected), {
    timeout: 10_000,
    message: `${what} sees ${expected.join(' | ')} (has ${(await backlogTitles(page)).join(' | ')})`,
  });
}

describe('board in the browser', () => {
  it('[ORD-3] two people on one board: one adds and keyboard-drags a card, the other pointer-drags one; both see the same order', async () => {
    const creator = await newPerson(browser);
    const links = await createBoardInUi(creator.page, 'E2E refinement');
    await creator.context.close();

    const po = await newPerson(browser);
    const dev = await newPerson(browser);
    await joinWithLink(po.page, links.po, 'Paula Owner');
    await joinWithLink(dev.page, links.dev, 'Dev Kumar');

    // The link token is moved out of the address bar on join.
    expect(po.page.url()).not.toContain('#t=');
    // Both see each other in the header.
    await po.page.locator('.avatars .avatar-item').nth(1).waitFor();
    expect(await po.page.locator('.avatars .avatar-item').count()).toBe(2);

    await addItems(po.page, ['Alpha story', 'Bravo story', 'Charlie story']);
    await expectOrder(dev.page, ['Alpha story', 'Bravo story', 'Charlie story'], 'developer');

    // Keyboard drag: focus the first card's handle, Space picks up, ArrowDown moves one
    // place, Space drops.
    const handle = po.page.getByTestId('drag-handle').first();
    await handle.focus();
    await po.page.keyboard.press('Space');
    await po.page.locator('.card.is-dragging').waitFor();
    await po.page.keyboard.press('ArrowDown');
    await po.page.getByText(/moved to position 2 of 3/).waitFor({ state: 'attached' });
    await po.page.keyboard.press('Space');
    await po.page.locator('.card.is-dragging').waitFor({ state: 'detached' });

    const expected = ['Bravo story', 'Alpha story', 'Charlie story'];
    await expectOrder(po.page, expected, 'product owner');
    await expectOrder(dev.page, expected, 'developer');

    // Pointer drag: the developer drags the last card above the first. While the drag is
    // in progress the product owner sees who is moving which card; one move on drop.
    const handles = dev.page.getByTestId('drag-handle');
    const from = (await handles.nth(2).boundingBox())!;
    const to = (await handles.nth(0).boundingBox())!;
    await dev.page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await dev.page.mouse.down();
    await dev.page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 4 });
    await dev.page.mouse.move(to.x + to.width / 2, to.y - 20, { steps: 12 });
    await po.page.getByText('Dev Kumar is moving this').waitFor();
    await dev.page.mouse.up();
    const afterPointer = ['Charlie story', 'Bravo story', 'Alpha story'];
    await expectOrder(dev.page, afterPointer, 'developer after pointer drag');
    await expectOrder(po.page, afterPointer, 'product owner after pointer drag');
    await po.page.getByText('Dev Kumar is moving this').waitFor({ state: 'detached' });

    // A reload goes straight back to the board with the remembered personal token.
    await dev.page.reload();
    await dev.page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    await expectOrder(dev.page, afterPointer, 'developer after reload');

    await po.page.screenshot({ path: 'test-results/board.png' });
    await po.context.close();
    await dev.context.close();
  });

  it('[ITEM-1] edits, status and archive with undo reach the other person live', async () => {
    const creator = await newPerson(browser);
    const links = await createBoardInUi(creator.page, 'E2E edits');
    await creator.context.close();
    const sm = await newPerson(browser);
    const dev = await newPerson(browser);
    await joinWithLink(sm.page, links.sm, 'Sam Master');
    await joinWithLink(dev.page, links.dev, 'Dev Kumar');
    await addItems(dev.page, ['First', 'Second']);

    // Inline title edit: the other person sees who is editing, then the new title.
    await dev.page.locator('.card-title-button', { hasText: 'Second' }).click();
    await sm.page.getByText('Dev Kumar is editing').waitFor();
    const field = dev.page.getByLabel('Item title');
    await field.fill('Second, renamed');
    await field.press('Enter');
    await expectOrder(sm.page, ['First', 'Second, renamed'], 'scrum master');

    // Escape cancels an edit.
    await dev.page.locator('.card-title-button', { hasText: 'First' }).click();
    await dev.page.getByLabel('Item title').fill('Never saved');
    await dev.page.getByLabel('Item title').press('Escape');
    await expectOrder(dev.page, ['First', 'Second, renamed'], 'developer after Escape');

    // Status.
    await dev.page.getByLabel('Status of “First”').selectOption('ready');
    await sm.page.locator('.card.status-ready', { hasText: 'First' }).waitFor();

    // Move to bottom from the card menu.
    await sm.page.getByRole('button', { name: 'More actions for “First”' }).click();
    await sm.page.getByRole('menuitem', { name: 'Move to bottom' }).click();
    await expectOrder(dev.page, ['Second, renamed', 'First'], 'developer after move to bottom');

    // Archive, seen by the other person, then undone from the toast.
    await dev.page.getByRole('button', { name: 'Archive “First”' }).click();
    await expectOrder(sm.page, ['Second, renamed'], 'scrum master after archive');
    await dev.page.locator('.toast').getByRole('button', { name: 'Undo' }).click();
    await expectOrder(sm.page, ['Second, renamed', 'First'], 'scrum master after undo');

    // Losing the network shows as offline in the header, and live again when it returns.
    await sm.context.setOffline(true);
    await sm.page.locator('[data-connection="offline"]').waitFor();
    await sm.context.setOffline(false);
    await sm.page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });

    await sm.context.close();
    await dev.context.close();
  });

  it('[AUTH-3] a viewer sees the board live with no drag handles and no inputs', async () => {
    const creator = await newPerson(browser);
    const links = await createBoardInUi(creator.page, 'E2E viewer');
    await creator.context.close();
    const po = await newPerson(browser);
    const viewer = await newPerson(browser);
    await joinWithLink(po.page, links.po, 'Paula Owner');
    await joinWithLink(viewer.page, links.viewer, 'Vera Viewer');
    await addItems(po.page, ['Visible to viewers']);
    await expectOrder(viewer.page, ['Visible to viewers'], 'viewer');

    await viewer.page.getByText('View only').waitFor();
    expect(await viewer.page.getByTestId('drag-handle').count()).toBe(0);
    // No editing controls: no add box, nothing editable on the cards (search filters are fine).
    expect(await viewer.page.getByLabel('New backlog item').count()).toBe(0);
    expect(await viewer.page.locator('ol.backlog').locator('input, textarea, select').count()).toBe(0);
    expect(await viewer.page.getByTestId('archive').count()).toBe(0);
    expect(await viewer.page.getByTestId('card-menu').count()).toBe(0);
    // Nothing to undo and no questions waiting on someone who cannot change anything.
    expect(await viewer.page.getByTestId('undo').count()).toBe(0);
    expect(await viewer.page.getByTestId('questions-for-me').count()).toBe(0);
    // Clicking the title does not open an editor.
    await viewer.page.locator('.card-title', { hasText: 'Visible to viewers' }).click();
    expect(await viewer.page.locator('textarea').count()).toBe(0);
    // The writer still has them.
    expect(await po.page.getByTestId('drag-handle').count()).toBe(1);
    expect(await po.page.getByTestId('undo').count()).toBe(1);

    // Live: a later change reaches the viewer.
    await addItems(po.page, ['Added later']);
    await expectOrder(viewer.page, ['Visible to viewers', 'Added later'], 'viewer');
    await po.context.close();
    await viewer.context.close();
  });

  it('a bad join link shows a clear error instead of the board', async () => {
    const creator = await newPerson(browser);
    const links = await createBoardInUi(creator.page, 'E2E bad link');
    // Corrupt the token's signature.
    const bad = links.dev.replace(/.{6}$/, 'AAAAAA');
    await creator.page.goto(bad);
    await creator.page.getByLabel('Your name').fill('Mallory');
    await creator.page.getByRole('button', { name: 'Join board' }).click();
    await creator.page.getByText('This link doesn’t work').waitFor();
    await creator.page.getByText(/invalid or has expired/).waitFor();

    // Without a link or a remembered token there is nothing to show but an explanation.
    const stranger = await newPerson(browser);
    const boardPath = new URL(links.dev).pathname;
    await stranger.page.goto(ts.baseUrl + boardPath);
    await stranger.page.getByText('You need a join link').waitFor();

    // A remembered token the server refuses (4401, final): say so, don't retry forever.
    const boardId = decodeURIComponent(boardPath.split('/')[2]!);
    await stranger.page.evaluate((id) => {
      localStorage.setItem(
        `refinement:board:${id}`,
        JSON.stringify({ boardId: id, userId: 'someone1', role: 'dev', name: 'Old Me', token: 'not-a-valid-token' }),
      );
    }, boardId);
    await stranger.page.reload();
    await stranger.page.getByText('Your access has expired').waitFor({ timeout: 10_000 });
    await creator.context.close();
    await stranger.context.close();
  });

  it('[SRV-6] after a server restart the page reconnects by itself and shows the same board', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-e2e-restart-'));
    let server = await startTestServer({ dataDir });
    const port = server.port;
    try {
      const page = (await newPerson(browser)).page;
      await page.goto(server.baseUrl);
      await page.getByLabel('Board title').fill('Restart me');
      await page.getByRole('button', { name: 'Create board' }).click();
      const devLink = await page.getByLabel('Developer join link').inputValue();
      await joinWithLink(page, devLink, 'Dev Kumar');
      await addItems(page, ['Survives restarts']);

      await server.stop();
      await page.locator('[data-connection="reconnecting"]').waitFor({ timeout: 10_000 });
      server = await startTestServer({ dataDir, config: { port } });
      await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
      await expectOrder(page, ['Survives restarts'], 'developer after restart');
      // Still live for writes: a new item reaches the restarted server.
      await addItems(page, ['Added after restart']);
      await waitFor(
        () =>
          server.server.withBoard(new URL(devLink).pathname.split('/')[2] as never, (b) =>
            JSON.stringify(b.doc.getMap('items').toJSON()).includes('Added after restart'),
          ),
        { timeout: 10_000, message: 'restarted server has the new item' },
      );
      await page.context().close();
    } finally {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  describe('a big board is windowed', () => {
    const N = 300;
    const title = (i: number) => `Item ${String(i).padStart(3, '0')} of the big backlog`;

    /** A board with N items, written by the server; its join links (on this server) and the ids in order. */
    const bigBoard = () =>
      createBoardWithItems(
        ts,
        'E2E big board',
        Array.from({ length: N }, (_, i) => ({ title: title(i + 1), createdBy: 'seed' as UserId, labels: i % 5 === 0 ? ['api'] : [] })),
      );

    const cardsInDom = (page: Page) => page.locator('[data-testid="item-card"]').count();
    /** (rank, title) of the mounted cards, top to bottom. */
    const mounted = (page: Page) =>
      page.locator('ol.backlog > li.card').evaluateAll((els) =>
        els.map((el) => `${el.querySelector('.card-rank')?.textContent?.trim()}. ${el.querySelector('.card-title')?.textContent?.trim()}`),
      );

    it('[ORD-3] a keyboard drag from the top past the first screen scrolls the list and lands where the keys said, for a second person too', async () => {
      const { link, ids, boardId } = await bigBoard();
      const po = await newPerson(browser);
      const dev = await newPerson(browser);
      await joinWithLink(po.page, link('po'), 'Paula Owner');
      await joinWithLink(dev.page, link('dev'), 'Dev Kumar');
      await po.page.locator('.card', { hasText: title(1) }).waitFor();

      // Only a window of the 300 cards is in the DOM, but the page is as tall as all of them.
      const before = await cardsInDom(po.page);
      expect(before).toBeGreaterThan(3);
      expect(before).toBeLessThan(60);
      expect(await po.page.evaluate(() => document.documentElement.scrollHeight)).toBeGreaterThan(N * 60);

      // Pick up the first card and move it 25 places down: far past the first screenful.
      const steps = 25;
      await po.page.getByRole('button', { name: `Move “${title(1)}”` }).focus();
      await po.page.keyboard.press('Space');
      await po.page.locator('.card.is-dragging').waitFor();
      for (let i = 1; i <= steps; i++) {
        await po.page.keyboard.press('ArrowDown');
        await po.page.getByText(`moved to position ${i + 1} of ${N}.`).waitFor({ state: 'attached' });
      }
      // The page scrolled along with the card, and the card is still on screen.
      expect(await po.page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
      const dragged = (await po.page.locator('.card.is-dragging').boundingBox())!;
      expect(dragged.y).toBeGreaterThanOrEqual(0);
      expect(dragged.y + dragged.height).toBeLessThanOrEqual(860);
      await po.page.keyboard.press('Space');
      await po.page.locator('.card.is-dragging').waitFor({ state: 'detached' });
      await po.page.getByText(`dropped at position ${steps + 1} of ${N}.`).waitFor({ state: 'attached' });

      // Focus stays on the dropped card's handle (it never unmounted under the keyboard).
      expect(await po.page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(`Move “${title(1)}”`);
      const expectedAround = [`${steps}. ${title(steps + 1)}`, `${steps + 1}. ${title(1)}`, `${steps + 2}. ${title(steps + 2)}`];
      const around = (list: string[]) => {
        const at = list.indexOf(`${steps + 1}. ${title(1)}`);
        return at < 1 ? list : list.slice(at - 1, at + 2);
      };
      await waitFor(async () => JSON.stringify(around(await mounted(po.page))) === JSON.stringify(expectedAround), {
        timeout: 10_000,
        message: `product owner sees ${expectedAround.join(' | ')}`,
      });

      // The other person scrolls down and finds it in the same place, between the same cards.
      await dev.page.locator('.card', { hasText: title(2) }).waitFor();
      await waitFor(
        async () => {
          if (JSON.stringify(around(await mounted(dev.page))) === JSON.stringify(expectedAround)) return true;
          await dev.page.mouse.wheel(0, 600);
          return false;
        },
        { timeout: 15_000, message: `developer sees ${expectedAround.join(' | ')} (has ${(await mounted(dev.page)).slice(0, 5).join(' | ')}…)` },
      );
      expect(await cardsInDom(dev.page)).toBeLessThan(60);
      // One move was written, and the server's order agrees.
      const order = await ts.server.withBoard(boardId, (b) => rankedActiveEntries(b.doc).map((e) => e.id));
      expect(order.indexOf(ids[0]!)).toBe(steps);
      expect(order.length).toBe(N);
      await po.page.screenshot({ path: 'test-results/big-board-after-drag.png' });
      await po.context.close();
      await dev.context.close();
    });

    it('a deep link to a card far down scrolls it on screen and it stays put when cards above move; search finds a card that was never mounted', async () => {
      const { link, ids, boardId } = await bigBoard();
      const dev = await newPerson(browser);
      await joinWithLink(dev.page, link('dev'), 'Dev Kumar');
      await dev.page.locator('.card', { hasText: title(1) }).waitFor();

      // ?item= of item 250: the detail panel opens and the backlog scrolls to the card.
      const url = new URL(dev.page.url());
      url.searchParams.set('item', ids[249]!);
      await dev.page.goto(url.toString());
      await dev.page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
      await dev.page.getByTestId('item-detail').waitFor();
      const card = dev.page.locator('.card', { hasText: title(250) });
      await card.waitFor();
      await waitFor(
        async () => {
          const box = await card.boundingBox();
          return box !== null && box.y >= 56 && box.y + box.height <= 860;
        },
        { timeout: 10_000, message: `the linked card is on screen (at ${JSON.stringify(await card.boundingBox())}, scrollY ${await dev.page.evaluate(() => window.scrollY)})` },
      );
      expect(await cardsInDom(dev.page)).toBeLessThan(60);

      // Someone else moves the top card to the bottom: what I am reading stays where it is.
      const y0 = (await card.boundingBox())!.y;
      await ts.server.withBoard(boardId, (b) => b.change((doc) => void moveItem(doc, ids[0]!, 'bottom')));
      await waitFor(async () => (await card.locator('.card-rank').textContent()) === '249', { message: 'the card moved up one place' });
      await dev.page.waitForTimeout(100);
      expect(Math.abs((await card.boundingBox())!.y - y0)).toBeLessThan(3);

      // Search narrows the list to cards far below the first screen.
      await dev.page.goto(link('dev').replace(/#.*$/, ''));
      await dev.page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
      await dev.page.getByLabel('Search the backlog').fill('Item 297');
      await expectOrder(dev.page, [title(297)], 'developer searching');
      await dev.context.close();
    });
  });
});
