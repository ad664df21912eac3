/**
 * The Definition of Ready in Chromium [DOR-1, DOR-3, DOR-4, DOR-6]: an old board's
 * checklist is today's rule; the PO requires an estimate and a team check; a developer
 * cannot mark an unestimated item ready and sees why; the PO marks it ready anyway.
 * Saves screenshots (1280x800, 390x844) to test-results/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardId } from '../../shared/ids.ts';
import { getItem, readMeta } from '../../shared/schema/board.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';
import { seedBacklog } from './helpers/screenshots.ts';

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

describe('Definition of Ready checklist', () => {
  it('[DOR-2] [DOR-3] an old board’s item panel shows the no-open-questions check passing', async () => {
    const board = await createBoard(ts.baseUrl, 'Sprint 14 refinement');
    await seedBacklog(ts.server, board.boardId);
    const po = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(po.page, board.links.find((l) => l.role === 'po')!.url, 'Paula');
    const id = await po.page.locator('li.card[data-item-id]').first().getAttribute('data-item-id');
    await po.page.goto(`${ts.baseUrl}/b/${board.boardId}?item=${id}`);
    const list = po.page.getByTestId('ready-checklist');
    await list.waitFor();
    await expect.poll(() => list.textContent()).toContain('No open questions');
    expect(await list.locator('li').getAttribute('data-passed')).toBe('true');
    await po.page.screenshot({ path: 'test-results/ready-checklist-1280.png' });
    await po.context.close();
  });

  it('[DOR-1] [DOR-4] [DOR-6] the PO requires an estimate; a developer cannot mark an unestimated item ready and sees why', async () => {
    const board = await createBoard(ts.baseUrl, 'Sprint 15 refinement');
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const po = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(po.page, link('po'), 'Paula');
    // The PO's setting, from the header's own menu.
    await po.page.locator('.me-menu summary').click();
    await po.page.screenshot({ path: 'test-results/dor-menu-1280.png' });
    await po.page.getByTestId('dor-open').click();
    await po.page.getByTestId('dor-require-estimate').check();
    await po.page.getByTestId('dor-custom-new').fill('UX reviewed');
    await po.page.getByTestId('dor-custom-add').click();
    await po.page.screenshot({ path: 'test-results/dor-dialog-1280.png' });
    await po.page.getByTestId('dor-save').click();
    const doc = () => ts.server.rooms.get(board.boardId as BoardId)!.doc;
    await expect.poll(() => readMeta(doc()).definitionOfReady.required).toEqual(['noOpenQuestions', 'estimate']);

    // The developer, on an item without an estimate.
    const dev = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(dev.page, link('dev'), 'Dev');
    await dev.page.locator('.me-menu summary').click();
    expect(await dev.page.getByTestId('dor-open').count()).toBe(0); // the PO's setting only
    await dev.page.locator('.me-menu summary').click();
    const ids = await dev.page.locator('li.card[data-item-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')!));
    const id = ids.find((i) => getItem(doc(), i)?.estimate === null && getItem(doc(), i)?.status !== 'ready')!;
    await dev.page.goto(`${ts.baseUrl}/b/${board.boardId}?item=${id}`);
    const list = dev.page.getByTestId('ready-checklist');
    await list.waitFor();
    await expect.poll(() => list.locator('[data-check="estimate"]').getAttribute('data-passed')).toBe('false');
    await dev.page.getByTestId('detail-status').selectOption('ready');
    const why = dev.page.getByTestId('ready-blocked');
    await why.waitFor({ timeout: 3000 });
    const text = (await why.textContent()) ?? '';
    expect(text).toContain('An agreed estimate');
    expect(text).toContain('UX reviewed');
    expect(text).toContain('only the Product Owner can override');
    expect(await dev.page.getByTestId('ready-override').count()).toBe(0);
    await dev.page.screenshot({ path: 'test-results/dor-refused-1280.png' });
    expect(getItem(doc(), id)?.status).not.toBe('ready');
    // Ticking the team's check reaches the server; the explanation follows: the estimate still blocks.
    await dev.page.getByTestId('ready-tick').check();
    await expect.poll(() => getItem(doc(), id)?.readyChecks.length).toBe(1);
    await expect.poll(() => why.textContent()).not.toContain('UX reviewed');
    expect(await why.textContent()).toContain('An agreed estimate');

    // The same item on a phone, for the layout.
    const phone = await newPerson(browser, { width: 390, height: 844 });
    await joinWithLink(phone.page, link('dev'), 'Dana');
    await phone.page.goto(`${ts.baseUrl}/b/${board.boardId}?item=${id}`);
    await phone.page.getByTestId('ready-checklist').waitFor();
    await phone.page.getByTestId('detail-status').selectOption('ready');
    await phone.page.getByTestId('ready-blocked').waitFor({ timeout: 3000 });
    await phone.page.getByTestId('ready-blocked').scrollIntoViewIfNeeded();
    await phone.page.screenshot({ path: 'test-results/dor-refused-390.png' });

    // The PO marks it ready anyway; everyone sees the override.
    await po.page.goto(`${ts.baseUrl}/b/${board.boardId}?item=${id}`);
    // The checklist's "Edit…" opens the PO's setting right there.
    await po.page.getByTestId('dor-edit').click();
    await po.page.getByTestId('dor-save').waitFor();
    await po.page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await po.page.getByTestId('detail-status').selectOption('ready');
    await po.page.getByTestId('ready-override').click();
    await expect.poll(() => getItem(doc(), id)?.status).toBe('ready');
    await dev.page.getByTestId('ready-override-note').waitFor();
    expect(await dev.page.getByTestId('ready-override-note').textContent()).toContain('Marked ready anyway by Paula');
    expect(await dev.page.getByTestId('dor-edit').count()).toBe(0);
    // The developer's explanation went away once the item was ready.
    await dev.page.getByTestId('ready-blocked').waitFor({ state: 'detached' });
    await dev.page.screenshot({ path: 'test-results/dor-override-1280.png' });
    const phonePo = await newPerson(browser, { width: 390, height: 844 });
    await joinWithLink(phonePo.page, link('po'), 'Paula');
    await phonePo.page.locator('.me-menu summary').click();
    await phonePo.page.getByTestId('dor-open').click();
    await phonePo.page.screenshot({ path: 'test-results/dor-dialog-390.png' });
    for (const p of [po, dev, phone, phonePo]) await p.context.close();
  });
});
