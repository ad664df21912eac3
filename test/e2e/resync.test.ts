/**
 * [POL-R] A change the server refuses is dropped on the client too: the board reloads from
 * the server's state, the person is told why, and the client does not resend it forever.
 * Realistic path: a developer places a dot while offline, the facilitator closes the dot
 * round meanwhile, and the dot arrives after the round is closed.
 */
import type { Page } from 'playwright-core';
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
});

afterAll(async () => {
  await browser?.close();
  await ts?.stop();
});

const dotStatus = async (page: Page) => (await page.getByTestId('dot-status').textContent()) ?? '';
const firstCard = (page: Page) => page.locator('ol.backlog > li.card').nth(0);

describe('resync after a refused change', () => {
  it('[POL-R] a dot placed offline after the round closed is refused, dropped locally, and the board stays live', async () => {
    const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Resync' } });
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const sm = await newPerson(browser);
    const dev = await newPerson(browser);
    await joinWithLink(sm.page, link('sm'), 'Sam Master');
    await joinWithLink(dev.page, link('dev'), 'Dev Kumar');

    await sm.page.getByLabel('Dots each').fill('2');
    await sm.page.getByTestId('dot-open').click();
    await waitFor(async () => (await dotStatus(dev.page)).includes('0 of 2'), { message: 'developer sees the round' });

    // Offline, the round is still open as far as the developer can tell.
    await dev.context.setOffline(true);
    await dev.page.locator('[data-connection="offline"]').waitFor();
    await firstCard(dev.page).getByRole('button', { name: /^Place a dot/ }).click();
    await waitFor(async () => (await dotStatus(dev.page)).includes('1 of 2'), { message: 'dot placed locally' });

    await sm.page.getByRole('button', { name: 'Close dot voting' }).click();
    await dev.context.setOffline(false);

    // The server refuses the late dot; the client reloads the board from the server.
    await dev.page.locator('.toast', { hasText: 'Your last change was refused' }).waitFor({ timeout: 20_000 });
    await dev.page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    await waitFor(async () => (await firstCard(dev.page).getByTestId('dot-badge').count()) === 0
      || !((await firstCard(dev.page).getByTestId('dot-badge').textContent()) ?? '').match(/[1-9]/), {
      message: 'the refused dot is gone on the developer’s screen',
    });

    // Still connected and in sync: a later change by someone else arrives...
    await sm.page.getByPlaceholder(/Add an item/).fill('After the resync');
    await sm.page.keyboard.press('Enter');
    await dev.page.locator('ol.backlog > li.card', { hasText: 'After the resync' }).waitFor({ timeout: 15_000 });
    // ...and the refusal did not repeat (a resend loop would reload and toast again).
    expect(await dev.page.locator('.toast', { hasText: 'Your last change was refused' }).count()).toBe(1);
    await dev.page.locator('[data-connection="live"]').waitFor();

    await sm.context.close();
    await dev.context.close();
  });
});
