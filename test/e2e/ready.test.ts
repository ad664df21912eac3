/**
 * The Definition of Ready checklist in the item panel, in Chromium [DOR-3]: an old board's
 * checklist is today's rule, and it flips when a question is asked. Saves a 1280x800
 * screenshot of the panel to test-results/.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
