/**
 * Sprint planning in a real browser, the parts planning.test.ts does not cover: a drag by
 * touch (a hasTouch context and CDP touch input, which Chromium turns into touch and pointer
 * events as on a phone; dnd-kit's PointerSensor takes the pointer events first, so a finger
 * on the handle (touch-action: none) drags at once and the TouchSensor's 200 ms hold is not
 * what starts it), the active sprint's burndown and burn-up (SVG
 * with a table whose numbers match the document), deleting a planned sprint (SPR-11)
 * through its confirm dialog, and who the capacity dialog lists (the members who joined,
 * online or not). Screenshots in test-results/.
 * Run: npx vite build && npx vitest run --config vitest.e2e.config.ts test/e2e/planning-more.test.ts
 */
import { mkdir } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { BoardId, ItemId, SprintId, UserId } from '../../shared/ids.ts';
import { appendItems, boardRoots, setItemEstimate, setItemStatus } from '../../shared/schema/board.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { createSprint, moveItemToSprint, readSprintById, setAvailability, startSprint } from '../../shared/schema/sprints.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
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

const DAY = 86_400_000;
const seedActor: Actor = { userId: 'seedPo0001' as UserId, name: 'Seed', role: 'po' };

/** A board with a backlog of estimated stories; `plan` may create sprints on the server side. */
async function board(titles: readonly [string, string][], plan?: (doc: Y.Doc, ids: ItemId[]) => void) {
  const b = await createBoard(ts.baseUrl, 'Team Touch');
  await ts.server.withBoard(b.boardId as BoardId, (h) =>
    h.change((doc) => {
      const ids = appendItems(doc, titles.map(([title]) => ({ title, createdBy: 'seed' as UserId }))) as ItemId[];
      titles.forEach(([, estimate], i) => {
        setItemEstimate(doc, ids[i]!, estimate);
        setItemStatus(doc, ids[i]!, 'ready');
      });
      plan?.(doc, ids);
    }),
  );
  return { ...b, link: (role: string) => b.links.find((l) => l.role === role)!.url };
}

const sprintCard = (page: Page, name: string) => page.locator(`[data-testid="sprint"][data-name="${name}"]`);
const planned = async (page: Page, name: string) => Number(await sprintCard(page, name).getByTestId('capacity-bar').getAttribute('data-planned'));
const backlogRow = (page: Page, title: string) => page.getByTestId('backlog-lane').getByTestId('plan-row').filter({ hasText: title });

async function openPlanning(page: Page) {
  await page.getByTestId('tab-planning').click();
  await page.getByTestId('planning-view').waitFor();
}

/** A finger drag through CDP touch input: press, hold a moment as a person does, move in steps, lift. */
async function touchDrag(page: Page, from: ReturnType<Page['locator']>, to: ReturnType<Page['locator']>) {
  const a = (await from.boundingBox())!;
  const b = (await to.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = (x: number, y: number) => [{ x: Math.round(x), y: Math.round(y), radiusX: 4, radiusY: 4, force: 1, id: 1 }];
  const start = { x: a.x + a.width / 2, y: a.y + a.height / 2 };
  const end = { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(start.x, start.y) });
  await page.waitForTimeout(350);
  const steps = 15;
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', {
      type: 'touchMove',
      touchPoints: at(start.x + ((end.x - start.x) * i) / steps, start.y + ((end.y - start.y) * i) / steps),
    });
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(end.x, end.y + 2) });
  await page.waitForTimeout(50);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

describe('planning by touch, the burn chart, deleting a sprint', () => {
  it('[SPR-UI] a PO on a tablet drags a story into the sprint by touch; the SM sees it in the capacity bar', async () => {
    const b = await board([
      ['Checkout: pay with a saved card in one tap', '5'],
      ['Show the delivery window before payment', '3'],
      ['Order history: filter by status and date', '8'],
    ]);
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, hasTouch: true, isMobile: false, deviceScaleFactor: 1, reducedMotion: 'reduce' });
    const po = await context.newPage();
    po.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    const sm = await newPerson(browser);
    await joinWithLink(po, b.link('po'), 'Paula Owner');
    await joinWithLink(sm.page, b.link('sm'), 'Sam Master');
    await openPlanning(po);
    await openPlanning(sm.page);
    await po.getByTestId('new-sprint').click();
    await po.getByTestId('sprint-dialog').getByTestId('sprint-save').click();
    await sprintCard(sm.page, 'Sprint 1').waitFor({ timeout: 10_000 });
    expect(await po.evaluate(() => navigator.maxTouchPoints > 0 && 'ontouchstart' in window)).toBe(true);

    const lane = sprintCard(po, 'Sprint 1').getByTestId('sprint-lane');
    await touchDrag(po, backlogRow(po, 'Show the delivery window').getByTestId('plan-handle'), lane);
    await waitFor(async () => (await planned(sm.page, 'Sprint 1')) === 3, { timeout: 10_000, message: 'the SM sees the touch drop' });
    expect(await planned(po, 'Sprint 1')).toBe(3);
    await lane.getByText('Show the delivery window').waitFor();
    // A tap on a handle (no movement) is not a drag: nothing moves.
    const a = (await backlogRow(po, 'Order history').getByTestId('plan-handle').boundingBox())!;
    await po.touchscreen.tap(a.x + a.width / 2, a.y + a.height / 2);
    await po.waitForTimeout(300);
    expect(await planned(sm.page, 'Sprint 1')).toBe(3);
    await po.screenshot({ path: 'test-results/planning-touch.png' });
    await context.close();
    await sm.context.close();
  });

  it('[SPR-10] the active sprint shows a burndown and a burn-up as SVG, with a table whose numbers are the document’s', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const start = today - 3 * DAY;
    let sprintId: SprintId | null = null;
    const b = await board(
      [
        ['Checkout: pay with a saved card in one tap', '5'],
        ['Show the delivery window before payment', '3'],
        ['Order history: filter by status and date', '8'],
        ['Not in the sprint', '13'],
      ],
      (doc, ids) => {
        const r = createSprint(doc, seedActor, { name: 'Sprint 7', goal: 'Pay in one tap', startsAt: start, endsAt: start + 13 * DAY });
        if (!r.ok) throw new Error(r.message);
        sprintId = r.value;
        for (const id of ids.slice(0, 3)) moveItemToSprint(doc, seedActor, id, r.value);
        if (!startSprint(doc, seedActor, r.value, start).ok) throw new Error('start');
        setItemStatus(doc, ids[1]!, 'done'); // 3 points done today
      },
    );
    expect(sprintId).not.toBeNull();
    const sm = await newPerson(browser);
    await joinWithLink(sm.page, b.link('sm'), 'Sam Master');
    await openPlanning(sm.page);
    const chart = sm.page.getByTestId('burn-chart');
    await chart.waitFor({ timeout: 10_000 });
    const svg = chart.locator('svg[role="img"]');
    expect(await svg.count()).toBe(1);
    expect(await svg.locator('desc').textContent()).toContain('13 of 16 points left');
    // One point per day from the start to today: four days, 16 in scope, 3 done today.
    expect(await svg.locator('circle.plan-actual-dot').count()).toBe(4);
    await chart.getByTestId('burn-table').locator('summary').click();
    const rows = await chart.getByTestId('burn-table').locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => Number(td.textContent))),
    );
    expect(rows).toEqual([
      [16, 0, 16],
      [16, 0, 16],
      [16, 0, 16],
      [16, 3, 13],
    ]);
    // The chart's own line ends where the table does: the last dot sits at 13 of the y scale, lower than the first at 16.
    const ys = await svg.locator('circle.plan-actual-dot').evaluateAll((cs) => cs.map((c) => Number(c.getAttribute('cy'))));
    expect(ys[3]!).toBeGreaterThan(ys[0]!);
    await chart.getByText('Burn-up', { exact: true }).click();
    await waitFor(async () => ((await svg.locator('desc').textContent()) ?? '').includes('3 of 16 points done'), { timeout: 5000, message: 'burn-up' });
    expect(await svg.locator('polyline.plan-scope').count()).toBe(1);
    await sm.page.screenshot({ path: 'test-results/planning-burn.png', fullPage: true });
    // On a phone the chart is drawn at its own width, so its labels keep their size (not scaled down).
    await sm.page.setViewportSize({ width: 390, height: 844 });
    await waitFor(
      async () =>
        svg.evaluate((el) => Math.abs(Number(el.getAttribute('viewBox')!.split(' ')[2]) - el.getBoundingClientRect().width) <= 2),
      { timeout: 5000, message: 'chart drawn at its width' },
    );
    const labelPx = await svg.locator('.plan-grid text').first().evaluate((t) => (t as SVGTextElement).getBoundingClientRect().height);
    expect(labelPx).toBeGreaterThanOrEqual(10);
    await sm.page.screenshot({ path: 'test-results/planning-burn-phone.png', fullPage: true });
    await sm.context.close();
  });

  it('[SPR-11] the SM deletes a planned sprint after a confirm; its items go back to the backlog on both screens', async () => {
    const b = await board([
      ['Checkout: pay with a saved card in one tap', '5'],
      ['Show the delivery window before payment', '3'],
      ['Order history: filter by status and date', '8'],
    ]);
    const po = await newPerson(browser);
    const sm = await newPerson(browser);
    await joinWithLink(po.page, b.link('po'), 'Paula Owner');
    await joinWithLink(sm.page, b.link('sm'), 'Sam Master');
    await openPlanning(po.page);
    await openPlanning(sm.page);
    await sm.page.getByTestId('new-sprint').click();
    await sm.page.getByTestId('sprint-dialog').getByTestId('sprint-save').click();
    for (const title of ['Checkout: pay', 'Order history']) {
      await backlogRow(sm.page, title).getByTestId('card-menu').click();
      await sm.page.getByRole('menuitem', { name: 'Plan into Sprint 1' }).click();
    }
    await waitFor(async () => (await planned(po.page, 'Sprint 1')) === 13, { timeout: 10_000, message: 'planned on the PO screen' });
    // A move from the menu is announced to screen readers, and focus stays on the moved row.
    expect(await sm.page.getByTestId('plan-announcement').textContent()).toBe('“Order history: filter by status and date” moved to Sprint 1.');
    await waitFor(
      async () => sm.page.evaluate(() => document.activeElement?.closest('[data-testid="sprint-lane"] [data-testid="plan-row"]')?.textContent?.includes('Order history') ?? false),
      { timeout: 5000, message: 'focus on the moved row' },
    );

    // Undo groups one person's changes less than 500 ms apart; a person pauses before deleting.
    await sm.page.waitForTimeout(600);
    await sprintCard(sm.page, 'Sprint 1').getByTestId('delete-sprint').click();
    const dialog = sm.page.getByTestId('delete-sprint-dialog');
    await dialog.getByTestId('delete-sprint-summary').filter({ hasText: 'Its 2 items go back to the backlog' }).waitFor();
    await sm.page.keyboard.press('Escape'); // cancel keeps it
    await dialog.waitFor({ state: 'detached' });
    expect(await sprintCard(po.page, 'Sprint 1').count()).toBe(1);
    await sprintCard(sm.page, 'Sprint 1').getByTestId('delete-sprint').click();
    await dialog.getByTestId('confirm').click();
    for (const p of [po.page, sm.page]) {
      await sprintCard(p, 'Sprint 1').waitFor({ state: 'detached', timeout: 10_000 });
      await waitFor(async () => (await p.getByTestId('backlog-lane').getByTestId('plan-row').allInnerTexts()).length === 3, { timeout: 10_000, message: 'all three back' });
      const titles = await p.getByTestId('backlog-lane').getByTestId('plan-row-title').allInnerTexts();
      expect(titles).toEqual(['Checkout: pay with a saved card in one tap', 'Show the delivery window before payment', 'Order history: filter by status and date']);
    }
    expect(await ts.server.withBoard(b.boardId as BoardId, (h) => boardRoots(h.doc).sprints.size)).toBe(0);
    // Undo brings the sprint back with its items, on both screens (the gate admits it: a planned sprint).
    await sm.page.getByTestId('undo').click();
    for (const p of [po.page, sm.page]) {
      await waitFor(async () => (await sprintCard(p, 'Sprint 1').count()) === 1 && (await planned(p, 'Sprint 1')) === 13, { timeout: 10_000, message: 'undone' });
    }
    await sprintCard(sm.page, 'Sprint 1').getByTestId('delete-sprint').click();
    await dialog.getByTestId('confirm').click();
    await sprintCard(po.page, 'Sprint 1').waitFor({ state: 'detached', timeout: 10_000 });
    // An active sprint has no Delete button.
    await sm.page.getByTestId('new-sprint').click();
    await sm.page.getByTestId('sprint-dialog').getByTestId('sprint-save').click();
    await sprintCard(sm.page, 'Sprint 1').getByTestId('start-sprint').click();
    await sprintCard(sm.page, 'Sprint 1').locator('.plan-state.is-active').waitFor({ timeout: 10_000 });
    expect(await sprintCard(sm.page, 'Sprint 1').getByTestId('delete-sprint').count()).toBe(0);
    await po.context.close();
    await sm.context.close();
  });

  it('[SPR-3] capacity lists the PO, SM and developers who joined, by name, online or not; not the viewer; someone who left can be removed; the rate entered is shown again; copy takes the last entered', async () => {
    const b = await board([['Checkout: pay with a saved card in one tap', '5']]);
    const sm = await newPerson(browser);
    await joinWithLink(sm.page, b.link('sm'), 'Sam Master');
    for (const [role, name] of [['dev', 'Dev Dana'], ['viewer', 'Vera Viewer'], ['po', 'Paula Owner']] as const) {
      const p = await newPerson(browser);
      await joinWithLink(p.page, b.link(role), name);
      await p.context.close(); // joined, then left: still a member
    }
    await openPlanning(sm.page);
    for (const name of ['Sprint 1', 'Sprint 2']) {
      await sm.page.getByTestId('new-sprint').click();
      const dialog = sm.page.getByTestId('sprint-dialog');
      expect(await dialog.getByTestId('sprint-name').inputValue()).toBe(name); // proposed from the last one
      await dialog.getByTestId('sprint-save').click();
      await sprintCard(sm.page, name).waitFor({ timeout: 10_000 });
    }
    // Someone with availability stored in Sprint 1 who is not a member (left, or from an import).
    await ts.server.withBoard(b.boardId as BoardId, (h) =>
      h.change((doc) => {
        const [id] = [...boardRoots(doc).sprints.keys()].filter((k) => readSprintById(doc, k)?.name === 'Sprint 1');
        if (!setAvailability(doc, seedActor, id as SprintId, 'goneUser01' as UserId, { name: 'Gus Gone', daysOff: 1, workingDays: null }).ok) throw new Error('seed');
      }),
    );
    await sprintCard(sm.page, 'Sprint 1').getByTestId('edit-capacity').click();
    const cap = sm.page.getByTestId('capacity-dialog');
    await cap.waitFor();
    const names = async () => cap.locator('tbody th label').allInnerTexts();
    await waitFor(async () => (await names()).length === 4, { timeout: 10_000, message: 'three team members and one who left' });
    expect(await names()).toEqual(['Dev Dana', 'Gus Gone', 'Paula Owner', 'Sam Master']);
    await cap.locator('tbody tr').filter({ hasText: 'Gus Gone' }).getByText('no longer a member').waitFor();
    await cap.getByTestId('remove-member').click();
    expect(await names()).toEqual(['Dev Dana', 'Paula Owner', 'Sam Master']);
    await cap.getByTestId('days-off').nth(0).fill('2');
    await cap.getByTestId('points-per-day').fill('1.5');
    await cap.getByTestId('focus-factor').fill('75');
    await cap.getByTestId('capacity-save').click();
    await cap.waitFor({ state: 'detached' });
    const capacityOf = (name: string) => sprintCard(sm.page, name).getByTestId('capacity-bar').getAttribute('data-capacity');
    const expected = String(Math.round((3 * 10 - 2) * 0.75 * 1.5 * 10) / 10);
    await waitFor(async () => (await capacityOf('Sprint 1')) === expected, { timeout: 10_000, message: 'capacity saved' });
    const stored = await ts.server.withBoard(b.boardId as BoardId, (h) => {
      const id = [...boardRoots(h.doc).sprints.keys()].find((k) => readSprintById(h.doc, k)?.name === 'Sprint 1')!;
      return [...readSprintById(h.doc, id)!.availability.values()].map((a) => a.name).sort();
    });
    expect(stored).toEqual(['Dev Dana', 'Paula Owner', 'Sam Master']);
    // Opened again, the form shows what was entered (not the defaults), so saving again keeps it.
    await sprintCard(sm.page, 'Sprint 1').getByTestId('edit-capacity').click();
    expect(await cap.getByTestId('points-per-day').inputValue()).toBe('1.5');
    expect(await cap.getByTestId('focus-factor').inputValue()).toBe('75');
    expect(await cap.getByTestId('days-off').nth(0).inputValue()).toBe('2');
    await sm.page.keyboard.press('Escape');
    await cap.waitFor({ state: 'detached' });
    // Copy last sprint's capacity, one click.
    await sprintCard(sm.page, 'Sprint 2').getByTestId('edit-capacity').click();
    await cap.getByTestId('copy-capacity').filter({ hasText: `Copy Sprint 1’s capacity` }).click();
    await waitFor(async () => (await capacityOf('Sprint 2')) === expected, { timeout: 10_000, message: 'copied' });
    await sm.context.close();
  });
});
