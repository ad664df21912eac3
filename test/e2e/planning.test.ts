/**
 * Sprint planning in a real browser (Debian Chromium via playwright-core): the PO and the
 * SM plan a sprint together, one dragging with the pointer and one with the keyboard, and
 * each sees the other's drop in the sprint's capacity bar. Prints how long a drop on one
 * screen takes to reach the other screen's capacity bar. Screenshots in test-results/
 * (with UPDATE_DOCS_SCREENSHOTS=1, planning.png is copied to docs/screenshots/ for the README).
 * Run: npx vite build && npx vitest run --config vitest.e2e.config.ts test/e2e/planning.test.ts
 */
import { copyFile, mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyGate } from '../../server/policy/gate.ts';
import type { BoardId, ItemId, UserId } from '../../shared/ids.ts';
import { appendItems, boardRoots, setItemEstimate, setItemStatus } from '../../shared/schema/board.ts';
import { readSprints } from '../../shared/schema/sprints.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';

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

const BACKLOG: { title: string; estimate?: string; status?: 'new' | 'refining' | 'ready' }[] = [
  { title: 'Checkout: pay with a saved card in one tap', estimate: '5', status: 'ready' },
  { title: 'Show the delivery window before payment', estimate: '3', status: 'ready' },
  { title: 'Order history: filter by status and date', estimate: '8', status: 'ready' },
  { title: 'Email receipt with itemised VAT', status: 'refining' },
  { title: 'Retry failed card payments without losing the basket', estimate: '5', status: 'ready' },
  { title: 'Accessibility fixes for the product page', estimate: '3', status: 'ready' },
  { title: 'Gift cards: redeem at checkout', estimate: '13', status: 'refining' },
  { title: 'Spike: address autocomplete providers', estimate: '2', status: 'new' },
  { title: 'Wishlist: share a list by link', estimate: '5', status: 'new' },
  { title: 'Saved addresses on the account page', estimate: '3', status: 'new' },
];

async function setup() {
  const board = await createBoard(ts.baseUrl, 'Team Phoenix');
  await ts.server.withBoard(board.boardId as BoardId, (b) =>
    b.change((doc) => {
      const ids = appendItems(doc, BACKLOG.map((x) => ({ title: x.title, createdBy: 'seed' as UserId })));
      BACKLOG.forEach((x, i) => {
        if (x.estimate) setItemEstimate(doc, ids[i] as ItemId, x.estimate);
        if (x.status) setItemStatus(doc, ids[i] as ItemId, x.status);
      });
    }),
  );
  const link = (role: string) => board.links.find((l) => l.role === role)!.url;
  const po = await newPerson(browser);
  const sm = await newPerson(browser);
  await joinWithLink(po.page, link('po'), 'Paula Owner');
  await joinWithLink(sm.page, link('sm'), 'Sam Master');
  for (const p of [po.page, sm.page]) {
    await p.getByTestId('tab-planning').click();
    await p.getByTestId('planning-view').waitFor();
  }
  return { board, po, sm, link };
}

const sprintCard = (page: Page, name: string) => page.locator(`[data-testid="sprint"][data-name="${name}"]`);
const bar = (page: Page, name: string) => sprintCard(page, name).getByTestId('capacity-bar');
const planned = async (page: Page, name: string) => Number(await bar(page, name).getAttribute('data-planned'));
const backlogRow = (page: Page, title: string) => page.getByTestId('backlog-lane').getByTestId('plan-row').filter({ hasText: title });

/** A pointer drag with intermediate moves, as a person does it (dnd-kit needs 6 px to start). */
async function pointerDrag(page: Page, from: ReturnType<Page['locator']>, to: ReturnType<Page['locator']>) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(a.x + a.width / 2 + 10, a.y + a.height / 2, { steps: 3 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2 + 2, { steps: 2 });
}

/**
 * Releases a pointer drag. dnd-kit swallows every click for 50 ms after a pointer drag ends
 * (a capture listener it removes on a timer), so a click straight after a drop would be
 * lost; a page timer set after that one fires after it.
 */
async function pointerDrop(page: Page) {
  await page.mouse.up();
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 60)));
}

/** Waits until dnd-kit announced the keyboard pick-up, so the next arrow key moves the item. */
async function pickedUp(page: Page) {
  const live = page.locator('[id^="DndLiveRegion"]');
  // The pick-up is announced, then at once where the item is (dnd-kit's first drag-over).
  await waitFor(async () => /Picked up| is in /.test((await live.textContent()) ?? ''), { timeout: 5000, message: 'picked up' });
}

describe('sprint planning in the browser', () => {
  it('[SPR-UI] the PO and the SM plan a sprint together by pointer and keyboard; both capacity bars follow', async () => {
    const { board, po, sm } = await setup();

    // Bad input is explained in the dialog and nothing is written.
    await po.page.getByTestId('new-sprint').click();
    const dialog = po.page.getByTestId('sprint-dialog');
    await dialog.waitFor();
    expect(await dialog.getByTestId('sprint-name').inputValue()).toBe('Sprint 1'); // proposed
    await dialog.getByTestId('sprint-name').fill('x'.repeat(10_240));
    await dialog.getByTestId('sprint-start').fill('2026-12-14');
    await dialog.getByTestId('sprint-end').fill('2026-12-07');
    await dialog.getByTestId('sprint-save').click();
    await dialog.getByTestId('sprint-name-error').filter({ hasText: 'too long' }).waitFor();
    await dialog.getByTestId('sprint-end-error').filter({ hasText: 'ends before it starts' }).waitFor();
    expect(await ts.server.withBoard(board.boardId as BoardId, (b) => boardRoots(b.doc).sprints.size)).toBe(0);

    await dialog.getByTestId('sprint-name').fill('Sprint 14');
    await dialog.getByTestId('sprint-goal').fill('Customers pay in one tap and see when it arrives');
    await dialog.getByTestId('sprint-start').fill('2026-12-07');
    await dialog.getByTestId('sprint-end').fill('2026-12-18');
    await dialog.getByTestId('sprint-save').click();
    await sprintCard(sm.page, 'Sprint 14').waitFor({ timeout: 10_000 });
    await sm.page.getByText('Customers pay in one tap').waitFor();

    // The SM enters capacity: two people here, 10 working days; Sam has 2 days off.
    await sprintCard(sm.page, 'Sprint 14').getByTestId('edit-capacity').click();
    const cap = sm.page.getByTestId('capacity-dialog');
    await cap.getByTestId('days-off').nth(1).fill('10000');
    await cap.getByText('At most 10').waitFor();
    await cap.getByTestId('points-per-day').fill('-1');
    await cap.getByText('Points per day can’t be negative.').waitFor();
    await cap.getByTestId('capacity-save').click(); // refused in the dialog: nothing is written
    await cap.waitFor();
    const capacityStored = await ts.server.withBoard(board.boardId as BoardId, (b) =>
      readSprints(b.doc).some((x) => x.pointsPerDay !== null || x.availability.size > 0),
    );
    expect(capacityStored).toBe(false);
    await cap.getByTestId('days-off').nth(1).fill('2');
    await cap.getByTestId('points-per-day').fill('1');
    await cap.getByTestId('focus-factor').fill('75');
    await cap.getByTestId('computed-capacity').filter({ hasText: '13.5 points' }).waitFor();
    await cap.getByTestId('capacity-save').click();
    await waitFor(async () => (await bar(po.page, 'Sprint 14').getAttribute('data-capacity')) === '13.5', { timeout: 10_000, message: 'PO sees capacity' });

    // PO drags the top item by pointer into the sprint; time until the SM's bar shows it.
    const lane = (p: Page) => sprintCard(p, 'Sprint 14').getByTestId('sprint-lane');
    await pointerDrag(po.page, backlogRow(po.page, 'Checkout: pay').getByTestId('plan-handle'), lane(po.page));
    await po.page.waitForTimeout(50);
    const t0 = Date.now();
    await po.page.mouse.up();
    await waitFor(async () => (await planned(sm.page, 'Sprint 14')) === 5, { timeout: 10_000, interval: 5, message: 'SM sees the PO’s drop' });
    const pointerMs = Date.now() - t0;
    expect(await planned(po.page, 'Sprint 14')).toBe(5);

    // SM plans the next item with the keyboard: Space, arrow right into the sprint, Space.
    const handle = backlogRow(sm.page, 'Show the delivery window').getByTestId('plan-handle');
    await handle.focus();
    await sm.page.keyboard.press('Space');
    await pickedUp(sm.page);
    await sm.page.keyboard.press('ArrowRight');
    await sm.page.waitForTimeout(100);
    const t1 = Date.now();
    await sm.page.keyboard.press('Space');
    await waitFor(async () => (await planned(po.page, 'Sprint 14')) === 8, { timeout: 10_000, interval: 5, message: 'PO sees the SM’s keyboard drop' });
    const keyboardMs = Date.now() - t1;
    console.log(`drop → other screen's capacity bar: pointer ${pointerMs} ms, keyboard ${keyboardMs} ms`);

    // Over capacity: the third item (8) takes the sprint to 16 of 13.5, with a text warning.
    await pointerDrag(po.page, backlogRow(po.page, 'Order history').getByTestId('plan-handle'), lane(po.page));
    await pointerDrop(po.page);
    await sm.page.getByTestId('over-capacity').filter({ hasText: 'Over capacity by 2.5 pts' }).waitFor({ timeout: 10_000 });

    // The document holds what the screens show: three items in the sprint, in backlog order.
    const inSprint = await ts.server.withBoard(board.boardId as BoardId, (b) => {
      const out: string[] = [];
      boardRoots(b.doc).items.forEach((m) => {
        if (m.get('sprintId')) out.push(String(m.get('title')));
      });
      return out.sort();
    });
    expect(inSprint).toEqual(['Checkout: pay with a saved card in one tap', 'Order history: filter by status and date', 'Show the delivery window before payment']);

    // The README's picture at 1280x800 (what shows without scrolling), and the whole page.
    await po.page.setViewportSize({ width: 1280, height: 800 });
    await po.page.screenshot({ path: 'test-results/planning.png' });
    await po.page.screenshot({ path: 'test-results/planning-full.png', fullPage: true });
    await po.page.setViewportSize({ width: 1280, height: 860 });
    // An item opens beside the sprints, without leaving the planning view.
    await po.page.getByTestId('plan-row-title').filter({ hasText: 'Email receipt' }).click();
    await po.page.getByTestId('item-detail').waitFor();
    await po.page.getByTestId('planning-view').waitFor();
    await po.page.screenshot({ path: 'test-results/planning-detail.png' });
    await sm.page.setViewportSize({ width: 390, height: 844 });
    await sm.page.screenshot({ path: 'test-results/planning-mobile.png' });
    await sm.page.screenshot({ path: 'test-results/planning-mobile-full.png', fullPage: true });
    const overflow = await sm.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // One column on a phone: a button takes you past the backlog to the sprints (and focuses their heading).
    await sm.page.getByTestId('jump-to-sprints').click();
    await waitFor(async () => (await sm.page.evaluate(() => document.activeElement?.id)) === 'plan-sprints-heading', { timeout: 5000, message: 'jumped' });
    expect(await sm.page.locator('#plan-sprints-heading').evaluate((h) => h.getBoundingClientRect().top < window.innerHeight)).toBe(true);
    // The README's picture: refreshed only when asked, so test runs leave docs/ alone.
    if (process.env.UPDATE_DOCS_SCREENSHOTS) await copyFile('test-results/planning.png', 'docs/screenshots/planning.png');

    // A planned item's details show its sprint and the sprint goal.
    await sm.page.setViewportSize({ width: 1280, height: 860 });
    await lane(po.page).getByTestId('plan-row-title').filter({ hasText: 'Checkout: pay' }).click();
    await po.page.getByTestId('item-sprint').filter({ hasText: 'Sprint 14' }).waitFor({ timeout: 5000 });
    await po.page.getByTestId('item-sprint-goal').filter({ hasText: 'Customers pay in one tap' }).waitFor();
    await po.page.getByTestId('close-detail').click();
    // Both plan at the same moment (PO by pointer, SM by the row menu): both screens converge on the same sum.
    await pointerDrag(po.page, backlogRow(po.page, 'Retry failed').getByTestId('plan-handle'), lane(po.page));
    await backlogRow(sm.page, 'Accessibility fixes').getByTestId('card-menu').click();
    await Promise.all([pointerDrop(po.page), sm.page.getByRole('menuitem', { name: 'Plan into Sprint 14' }).click()]);
    for (const p of [po.page, sm.page]) {
      await waitFor(async () => (await planned(p, 'Sprint 14')) === 24, { timeout: 10_000, message: 'both drops on both screens' });
    }

    // The PO writes the product goal; the SM reads it. The PO flags an item blocked; it is on the SM's impediments list.
    await po.page.getByTestId('edit-product-goal').click();
    await po.page.getByTestId('product-goal-input').fill('Checkout anyone can finish in a minute');
    await po.page.getByTestId('save-product-goal').click();
    await sm.page.getByTestId('product-goal-text').filter({ hasText: 'Checkout anyone can finish' }).waitFor({ timeout: 10_000 });
    await backlogRow(po.page, 'Wishlist').getByTestId('card-menu').click();
    await po.page.getByRole('menuitem', { name: 'Flag as blocked…' }).click();
    await po.page.getByTestId('block-reason').fill('Waiting for the sharing API from the platform team');
    await po.page.getByTestId('block-save').click();
    await sm.page.getByTestId('impediment').filter({ hasText: 'Wishlist' }).filter({ hasText: 'flagged by Paula Owner' }).waitFor({ timeout: 10_000 });
    // Planning the blocked item asks first; keeping it where it was changes nothing.
    await backlogRow(sm.page, 'Wishlist').getByTestId('card-menu').click();
    await sm.page.getByRole('menuitem', { name: 'Plan into Sprint 14' }).click();
    await sm.page.getByTestId('blocked-confirm').getByText('Keep it where it was').click();
    await backlogRow(sm.page, 'Wishlist').waitFor();
    expect(await planned(sm.page, 'Sprint 14')).toBe(24);

    // The SM starts the sprint; both screens show it active, with Close instead of Start.
    await sprintCard(sm.page, 'Sprint 14').getByTestId('start-sprint').click();
    for (const p of [po.page, sm.page]) await sprintCard(p, 'Sprint 14').locator('.plan-state.is-active').waitFor({ timeout: 10_000 });
    await sprintCard(po.page, 'Sprint 14').getByTestId('close-sprint').waitFor();
    // One item gets done during the sprint; the rest is carried over to the top of the backlog at close.
    await ts.server.withBoard(board.boardId as BoardId, (b) =>
      b.change((doc) => {
        boardRoots(doc).items.forEach((m, id) => {
          if (String(m.get('title')).startsWith('Checkout')) setItemStatus(doc, id as ItemId, 'done');
        });
      }),
    );
    await sprintCard(sm.page, 'Sprint 14').getByTestId('close-sprint').click();
    const closing = sm.page.getByTestId('close-sprint-dialog');
    await closing.getByText('1 done item stays').waitFor({ timeout: 10_000 });
    await closing.getByTestId('carry-all-backlog').check();
    await closing.getByTestId('close-sprint-confirm').click();
    for (const p of [po.page, sm.page]) {
      // The closed sprint is read-only, the carried-over items lead the backlog, the velocity chart and its table show it.
      await p.locator('[data-testid="velocity-sprint"][data-name="Sprint 14"][data-completed="5"]').waitFor({ state: 'attached', timeout: 10_000 });
      await p.getByTestId('velocity-table').locator('summary').click();
      await p.getByTestId('velocity-table').getByRole('row', { name: /Sprint 14\s*24\s*5/ }).waitFor({ timeout: 5000 });
      await p.getByTestId('velocity-average').filter({ hasText: '5' }).waitFor();
      // [SPR-7] The forecast at that velocity: sprint boundaries drawn in the backlog.
      await p.getByTestId('forecast-boundary').filter({ hasText: /Forecast: sprint \+\d starts here/ }).first().waitFor({ timeout: 10_000 });
      await waitFor(async () => ((await p.getByTestId('backlog-lane').getByTestId('plan-row').first().textContent()) ?? '').includes('Order history'), {
        timeout: 10_000,
        message: 'carried over to the top of the backlog',
      });
    }
    expect(await sm.page.locator('[data-testid="sprint"][data-name="Sprint 14"] [data-testid="start-sprint"], [data-testid="sprint"][data-name="Sprint 14"] [data-testid="close-sprint"]').count()).toBe(0);
    await po.page.screenshot({ path: 'test-results/planning-closed.png', fullPage: true });
    // [SPR-8] The product goal is at the top of the board on the backlog view too.
    await sm.page.getByTestId('tab-backlog').click();
    await sm.page.getByTestId('board-product-goal').filter({ hasText: 'Checkout anyone can finish in a minute' }).waitFor({ timeout: 5000 });
    await sm.page.screenshot({ path: 'test-results/backlog-product-goal.png' });

    // [SPR-1] [SPR-3] The next sprint is proposed from the last one; its capacity is copied in one click.
    await po.page.getByTestId('new-sprint').click();
    const next = po.page.getByTestId('sprint-dialog');
    expect(await next.getByTestId('sprint-name').inputValue()).toBe('Sprint 15');
    expect(await next.getByTestId('sprint-start').inputValue()).toBe('2026-12-21');
    expect(await next.getByTestId('sprint-end').inputValue()).toBe('2027-01-01');
    await next.getByTestId('sprint-save').click();
    await sprintCard(po.page, 'Sprint 15').getByTestId('edit-capacity').click();
    await po.page.getByTestId('capacity-dialog').getByTestId('copy-capacity').filter({ hasText: 'Copy Sprint 14’s capacity (13.5 pts)' }).click();
    await sm.page.getByTestId('tab-planning').click();
    await waitFor(async () => (await bar(sm.page, 'Sprint 15').getAttribute('data-capacity')) === '13.5', { timeout: 10_000, message: 'copied capacity on the SM’s screen' });

    await po.context.close();
    await sm.context.close();
  });
});

describe('who may plan', () => {
  it('[SPR-UI] a developer reorders the backlog but the sprint handles are greyed; a viewer gets none; Escape restores a drag', async () => {
    const { po, sm, link } = await setup();
    await po.page.getByTestId('new-sprint').click();
    await po.page.getByTestId('sprint-dialog').getByTestId('sprint-save').click(); // the proposed sprint
    await sprintCard(sm.page, 'Sprint 1').waitFor({ timeout: 10_000 });
    const lane = (p: Page) => sprintCard(p, 'Sprint 1').getByTestId('sprint-lane');
    await pointerDrag(po.page, backlogRow(po.page, 'Checkout: pay').getByTestId('plan-handle'), lane(po.page));
    await pointerDrop(po.page);
    await lane(sm.page).getByText('Checkout: pay').waitFor({ timeout: 10_000 });

    // Without dragging: the row's menu plans it (the single-pointer alternative).
    await backlogRow(po.page, 'Spike: address').getByTestId('card-menu').click();
    await po.page.getByRole('menuitem', { name: 'Plan into Sprint 1' }).click();
    await lane(sm.page).getByText('Spike: address').waitFor({ timeout: 10_000 });
    await lane(po.page).getByTestId('plan-row').filter({ hasText: 'Spike: address' }).getByTestId('card-menu').click();
    await po.page.getByRole('menuitem', { name: 'Back to the backlog' }).click();
    await waitFor(async () => (await lane(sm.page).getByText('Spike: address').count()) === 0, { timeout: 10_000, message: 'back in the backlog' });

    // Escape during a keyboard drag: the preview goes back, nothing is written.
    const handle = backlogRow(sm.page, 'Order history').getByTestId('plan-handle');
    await handle.focus();
    await sm.page.keyboard.press('Space');
    await pickedUp(sm.page);
    await sm.page.keyboard.press('ArrowRight');
    await waitFor(async () => (await lane(sm.page).getByText('Order history').count()) === 1, { timeout: 5000, message: 'previewed in the sprint' });
    // Screen readers hear where the item is (dnd-kit's live region, our announcements).
    const live = sm.page.locator('[id^="DndLiveRegion"]');
    await waitFor(async () => /“Order history: filter by status and date” is in Sprint 1/.test((await live.textContent()) ?? ''), { timeout: 5000, message: 'announced' });
    expect(await planned(sm.page, 'Sprint 1')).toBe(13); // the bar shows the preview
    await sm.page.keyboard.press('Escape');
    await waitFor(async () => (await planned(sm.page, 'Sprint 1')) === 5, { timeout: 5000, message: 'restored' });
    await waitFor(async () => /cancelled\. It stays in the backlog/.test((await live.textContent()) ?? ''), { timeout: 5000, message: 'cancel announced' });
    await po.page.waitForTimeout(300);
    expect(await planned(po.page, 'Sprint 1')).toBe(5);

    const dev = await newPerson(browser);
    await joinWithLink(dev.page, link('dev'), 'Dev Dana');
    await dev.page.getByTestId('tab-planning').click();
    const devSprintHandle = lane(dev.page).getByTestId('plan-handle').first();
    await devSprintHandle.waitFor();
    expect(await devSprintHandle.isDisabled()).toBe(true);
    expect(await devSprintHandle.getAttribute('title')).toMatch(/Product Owner or the Scrum Master/);
    expect(await backlogRow(dev.page, 'Email receipt').getByTestId('plan-handle').isDisabled()).toBe(false);
    // A developer's row menu offers no sprint moves, but may flag the item blocked.
    await backlogRow(dev.page, 'Email receipt').getByTestId('card-menu').click();
    await dev.page.getByRole('menuitem', { name: 'Flag as blocked…' }).waitFor();
    expect(await dev.page.getByRole('menuitem', { name: /Plan into/ }).count()).toBe(0);
    await dev.page.keyboard.press('Escape');
    await dev.page.screenshot({ path: 'test-results/planning-developer.png', fullPage: true });
    // [SPR-4] The facilitator lets developers plan: the same handle works at once, as the gate then admits it.
    await sm.page.getByTestId('developers-may-plan').check();
    await waitFor(async () => !(await devSprintHandle.isDisabled()), { timeout: 10_000, message: 'developer may plan' });
    await sm.page.getByTestId('developers-may-plan').uncheck();
    await waitFor(async () => devSprintHandle.isDisabled(), { timeout: 10_000, message: 'developer may not plan again' });

    const viewer = await newPerson(browser);
    await joinWithLink(viewer.page, link('viewer'), 'Vera Viewer');
    await viewer.page.getByTestId('tab-planning').click();
    await viewer.page.getByTestId('planning-view').getByTestId('plan-row').first().waitFor();
    expect(await viewer.page.getByTestId('plan-handle').count()).toBe(0);
    expect(await viewer.page.getByTestId('new-sprint').count()).toBe(0);

    // The backlog view shows the sprint on the card, with its goal as the hint.
    await viewer.page.getByTestId('tab-backlog').click();
    await viewer.page.getByTestId('sprint-badge').filter({ hasText: 'Sprint 1' }).waitFor({ timeout: 10_000 });
    for (const p of [po, sm, dev, viewer]) await p.context.close();
  });
});
