/**
 * The stakeholder in a real browser [POL-19]: joined from the fifth link, they see no
 * controls the server would refuse (no add box, no drag handles, read-only fields), comment
 * and ask on an item, and get +/− dot buttons only once the facilitator lets stakeholders
 * vote. Saves test-results/stakeholder-*.png at 1280×800 and 390×844.
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

describe('stakeholder in the browser', () => {
  it('[POL-19] greyed where the server refuses: comments and asks; dots only when allowed', async () => {
    const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Stakeholder review' } });
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const sm = await newPerson(browser);
    const st = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(sm.page, link('sm'), 'Sam Master');
    await joinWithLink(st.page, link('stakeholder'), 'Stella Sponsor');
    const page = st.page;

    expect(await page.getByText('Comment and ask').count()).toBe(1);
    expect(await page.getByPlaceholder(/Add an item/).count()).toBe(0);
    expect(await page.getByTestId('drag-handle').count()).toBe(0);
    expect(await page.getByTestId('archive').count()).toBe(0);

    await page.getByTestId('item-card').first().getByTestId('open-details').click();
    // The item's own fields are read-only and there is no estimate control (POL-4, POL-5).
    expect(await page.getByTestId('detail-title').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('detail-description').getAttribute('readonly')).not.toBeNull();
    expect(await page.getByTestId('detail-estimate').count()).toBe(0);
    await page.getByTestId('comment-input').fill('Our biggest customer asked for this twice.');
    await page.getByTestId('send-comment').click();
    await sm.page.getByTestId('item-card').first().getByTestId('open-details').click();
    await sm.page.getByTestId('comment').filter({ hasText: 'biggest customer' }).waitFor({ timeout: 10_000 });
    await page.getByTestId('question-input').fill('Will this ship before the trade fair?');
    await page.getByTestId('ask-question').click();
    await sm.page.getByTestId('question').filter({ hasText: 'trade fair' }).waitFor({ timeout: 10_000 });
    await page.screenshot({ path: 'test-results/stakeholder-1280.png' });

    // A dot round: no buttons for the stakeholder until the facilitator allows it.
    await expandEstimation(sm.page);
    await sm.page.getByTestId('dot-open').click();
    await page.getByTestId('dot-badge').first().waitFor({ timeout: 10_000 });
    expect(await page.getByRole('button', { name: /^Place a dot/ }).count()).toBe(0);
    await sm.page.getByTestId('stakeholder-dots').check();
    const first = page.locator('ol.backlog > li.card').first();
    await first.getByRole('button', { name: /^Place a dot/ }).click({ timeout: 10_000 });
    await waitFor(async () => ((await sm.page.locator('ol.backlog > li.card').first().getByTestId('dot-badge').textContent()) ?? '').includes('1'), {
      message: 'facilitator sees the stakeholder’s dot',
    });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: 'test-results/stakeholder-390.png' });
    // Nothing was refused on the way (a refusal reloads the board with a warning).
    expect(await page.getByText('Your last change was refused').count()).toBe(0);
    for (const p of [sm, st]) await p.context.close();
  });
});

/** The estimation dock collapses on phones and beside an open item: open it to act in it. */
async function expandEstimation(page: import('playwright-core').Page): Promise<void> {
  const summary = page.getByTestId('estimation-summary');
  if ((await summary.getAttribute('aria-expanded')) === 'false') await summary.click();
}
