/**
 * Mentions and "For me" in a real browser [MEN-1, MEN-3, MEN-4]: the PO mentions a
 * developer in a comment through the @ autocomplete (keyboard only); the developer sees
 * the unread count in the header and the entry in For me, opens it (count 0, the item's
 * details open, the mention highlighted), and a second device of the same person shows
 * no unread count either, because the markers are in the document.
 * Run with `npx vite build` first, then `npx vitest run --config vitest.e2e.config.ts test/e2e/mentions.test.ts`.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PolicyGate } from '../../server/policy/gate.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';
import { seedBacklog } from './helpers/screenshots.ts';

const axeSource: string = createRequire(import.meta.url)('axe-core').source;

/** Serious and critical violations axe-core finds on the page as it is now, light and dark. */
async function seriousViolations(page: Page): Promise<string[]> {
  const out: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.evaluate(axeSource);
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
      return axe.run(document, { resultTypes: ['violations'] });
    });
    for (const v of result.violations) {
      if (v.impact === 'serious' || v.impact === 'critical') out.push(`${colorScheme} ${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return out;
}

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

describe('mentions and For me in the browser', () => {
  it('[MEN-1][MEN-3][MEN-4] A mentions B via the autocomplete; B sees the count and the entry, opens it, the count goes to 0 on every device', async () => {
    const board = await createBoard(ts.baseUrl, 'Sprint 15 refinement');
    await seedBacklog(ts.server, board.boardId);
    const link = (role: string) => board.links.find((l) => l.role === role)!.url;
    const a = await newPerson(browser);
    const b = await newPerson(browser);
    await joinWithLink(b.page, link('dev'), 'Dev Dana');
    await joinWithLink(a.page, link('po'), 'Paula');
    const c = await newPerson(browser);
    await joinWithLink(c.page, link('stakeholder'), 'Sam Stake');
    const boardUrl = `${ts.baseUrl}/b/${board.boardId}`;
    const ids = await a.page.locator('li.card[data-item-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id') ?? ''));
    const item = ids[2]!;
    const title = (await a.page.locator(`li.card[data-item-id="${item}"] .card-title`).innerText()).trim();

    // B has nothing waiting yet.
    await b.page.getByTestId('inbox-button').waitFor();
    expect(await b.page.getByTestId('inbox-count').count()).toBe(0);

    // A types "@da" in the comment box: the list offers Dev Dana; Enter picks her.
    await a.page.goto(`${boardUrl}?item=${item}`);
    await a.page.getByTestId('item-detail').waitFor();
    const box = a.page.getByTestId('comment-input');
    await box.click();
    await box.pressSequentially('Could @da');
    const list = a.page.getByTestId('mention-list');
    await list.waitFor({ timeout: 10_000 });
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual([expect.stringContaining('Dev Dana')]);
    expect(await box.getAttribute('aria-activedescendant')).toBe(await list.getByRole('option').first().getAttribute('id'));
    await a.page.screenshot({ path: 'test-results/mention-autocomplete-1280.png' });
    expect(await seriousViolations(a.page)).toEqual([]);
    expect(await list.count()).toBe(1);
    await box.press('Enter');
    expect(await list.count()).toBe(0);
    expect(await box.inputValue()).toBe('Could @Dev Dana ');
    await box.pressSequentially('check the copy?');
    await a.page.getByTestId('send-comment').click();
    const comment = a.page.getByTestId('comment').filter({ hasText: 'check the copy?' });
    await comment.waitFor();
    expect(await comment.getByTestId('mention').innerText()).toBe('@Dev Dana');

    // The question box: "@" lists everyone but me by name; arrows move, Enter picks.
    const ask = a.page.getByTestId('question-input');
    await ask.click();
    await ask.pressSequentially('Is this for @');
    await expect.poll(() => list.getByRole('option').allInnerTexts()).toEqual([expect.stringContaining('Dev Dana'), expect.stringContaining('Sam Stake')]);
    const selected = () => list.locator('[aria-selected="true"]').innerText();
    expect(await selected()).toContain('Dev Dana');
    await ask.press('ArrowDown');
    expect(await selected()).toContain('Sam Stake');
    await ask.press('ArrowDown');
    expect(await selected()).toContain('Dev Dana');
    await ask.press('ArrowUp');
    await ask.press('Enter');
    expect(await ask.inputValue()).toBe('Is this for @Sam Stake ');
    await a.page.getByTestId('ask-question').click();
    const question = a.page.getByTestId('question').filter({ hasText: 'Is this for' });
    await question.waitFor();
    expect(await question.getByTestId('mention').innerText()).toBe('@Sam Stake');

    // Escape closes the list and leaves the text as typed.
    await box.pressSequentially('@Dev');
    await list.waitFor();
    await box.press('Escape');
    expect(await list.count()).toBe(0);
    expect(await box.inputValue()).toBe('@Dev');
    await box.fill('');

    // B: the unread count in the header, then the entry in For me.
    const count = b.page.getByTestId('inbox-count');
    await count.waitFor({ timeout: 10_000 });
    expect(await count.innerText()).toBe('1');
    expect(await b.page.getByTestId('inbox-button').getAttribute('aria-label')).toBe('For me, 1 unread');
    await b.page.getByTestId('inbox-button').click();
    const entry = b.page.getByTestId('inbox-entry');
    await entry.first().waitFor();
    expect(await entry.count()).toBe(1);
    expect(await entry.first().innerText()).toContain('Paula mentioned you in a comment');
    expect(await entry.first().innerText()).toContain(title);
    await b.page.screenshot({ path: 'test-results/inbox-open-1280.png' });
    expect(await seriousViolations(b.page)).toEqual([]);
    // Opening the inbox marks it read.
    await expect.poll(() => count.count()).toBe(0);

    await entry.first().click();
    await b.page.getByTestId('item-detail').waitFor();
    expect(new URL(b.page.url()).searchParams.get('item')).toBe(item);
    const seen = b.page.getByTestId('comment').filter({ hasText: 'check the copy?' });
    await seen.waitFor();
    expect(await seen.locator('.mention.is-me').innerText()).toBe('@Dev Dana');
    expect(await b.page.getByTestId('inbox-panel').count()).toBe(0);

    // The same person on another device (same personal token): no unread count there either.
    const phone = await browser.newContext({ storageState: await b.context.storageState(), viewport: { width: 390, height: 844 } });
    const phonePage = await phone.newPage();
    await phonePage.goto(boardUrl);
    await phonePage.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });
    await phonePage.getByTestId('inbox-button').waitFor();
    // Let the document sync before judging the count.
    await phonePage.locator('li.card[data-item-id]').first().waitFor();
    expect(await phonePage.getByTestId('inbox-count').count()).toBe(0);
    await phonePage.getByTestId('inbox-button').click();
    await phonePage.getByTestId('inbox-entry').first().waitFor();
    await phonePage.screenshot({ path: 'test-results/inbox-open-390.png' });

    await phonePage.keyboard.press('Escape');
    expect(await phonePage.getByTestId('inbox-panel').count()).toBe(0);

    // A new mention arrives while B looks at the backlog: counted again on both devices.
    await b.page.goto(boardUrl);
    await b.page.getByTestId('inbox-button').waitFor();
    await box.pressSequentially('@Dev');
    await list.waitFor();
    await box.press('Tab');
    await box.pressSequentially('and the German copy');
    await box.press('Control+Enter');
    await expect.poll(() => count.innerText().catch(() => ''), { timeout: 10_000 }).toBe('1');
    await expect.poll(() => phonePage.getByTestId('inbox-count').innerText().catch(() => ''), { timeout: 10_000 }).toBe('1');
    await phonePage.screenshot({ path: 'test-results/inbox-count-390.png' });
    await phone.close();
    await c.context.close();
  });
});
