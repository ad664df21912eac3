/**
 * No silent failures (issue 14), in Chromium: the add box says why it refuses (empty, too
 * long) instead of cutting text, a pasted list becomes one item per line in one go, a
 * title cleared in the details is put back visibly, and the board's keys: "?" lists the
 * shortcuts, Ctrl+F goes to the board's search; the comment box counts and refuses over
 * its limit, and undo names what it undid and scrolls to it.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../shared/limits.ts';
import { createBoard, createBoardWithItems, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { backlogTitles, joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';

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

describe('input feedback', () => {
  it('the add box explains empty and over-long titles, and adds a pasted list as one item per line in order', async () => {
    const board = await createBoard(ts.baseUrl, 'Feedback');
    const { page, context } = await newPerson(browser);
    await joinWithLink(page, board.links.find((l) => l.role === 'po')!.url, 'Paula');
    const box = page.getByTestId('add-item-input');

    await box.fill('   ');
    await box.press('Enter');
    await page.getByText('An item needs a title').waitFor();

    await box.fill('x'.repeat(LIMITS.maxTitleLength + 3));
    expect(await box.inputValue()).toHaveLength(LIMITS.maxTitleLength + 3); // not cut
    await page.getByText(`Too long: ${LIMITS.maxTitleLength + 3} of ${LIMITS.maxTitleLength} characters`).waitFor();
    expect(await page.getByRole('button', { name: 'Add', exact: true }).isDisabled()).toBe(true);
    await box.fill('');

    const lines = Array.from({ length: 50 }, (_, i) => `Story ${i + 1}`);
    await box.focus();
    await page.evaluate((text) => {
      const el = document.querySelector('[data-testid="add-item-input"]')!;
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, lines.join('\n'));
    await page.getByTestId('paste-add-all').click();
    await waitFor(async () => (await page.locator('ol.backlog > li.card').first().getAttribute('aria-setsize')) === '50', { message: '50 items' });
    // The last one added is brought on screen; the list starts with the first line.
    await page.evaluate(() => window.scrollTo(0, 0));
    await waitFor(async () => (await backlogTitles(page))[0] === 'Story 1', { message: 'scrolled back to the top' });
    expect((await backlogTitles(page)).slice(0, 3)).toEqual(['Story 1', 'Story 2', 'Story 3']);
    // One transaction: one undo takes the whole list away again.
    await page.locator('body').click({ position: { x: 5, y: 400 } });
    await page.keyboard.press('Control+z');
    await waitFor(async () => (await page.locator('ol.backlog > li.card').count()) === 0, { message: 'undone at once' });
    // Undo says what it undid (a creation undoes to an archive, ITEM-1).
    await page.getByText('Undid: archive of 50 items').waitFor();
    await context.close();
  });

  it('a title cleared in the details is put back visibly; "?" lists the shortcuts; Ctrl+F goes to the board’s search', async () => {
    const board = await createBoard(ts.baseUrl, 'Keys');
    const { page, context } = await newPerson(browser);
    await joinWithLink(page, board.links.find((l) => l.role === 'po')!.url, 'Paula');
    await page.getByTestId('add-item-input').fill('Guest checkout');
    await page.getByTestId('add-item-input').press('Enter');
    await page.getByTestId('open-details').first().dispatchEvent('click');
    const title = page.getByTestId('detail-title');
    await title.fill('');
    await title.blur();
    await page.getByTestId('title-restored').waitFor();
    expect(await title.inputValue()).toBe('Guest checkout');

    await page.locator('body').click({ position: { x: 5, y: 500 } });
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'hidden' });
    await page.keyboard.press('Control+f');
    await waitFor(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'search'), { message: 'search focused' });
    await context.close();
  });
  it('the title in the details shows a count near the limit and says when pasted text was cut', async () => {
    const board = await createBoard(ts.baseUrl, 'Long titles');
    const { page, context } = await newPerson(browser);
    await joinWithLink(page, board.links.find((l) => l.role === 'po')!.url, 'Paula');
    await page.getByTestId('add-item-input').fill('Guest checkout');
    await page.getByTestId('add-item-input').press('Enter');
    await page.getByTestId('open-details').first().dispatchEvent('click');
    const title = page.getByTestId('detail-title');
    const max = LIMITS.maxTitleLength;
    await title.fill('y'.repeat(max - 5));
    await page.getByTestId('title-length-hint').getByText(`${max - 5} / ${max}`).waitFor();
    await title.fill('y'.repeat(max + 7));
    await page.getByText(`Titles are at most ${max} characters: the last 7 characters were not added.`).waitFor();
    expect(await title.inputValue()).toHaveLength(max);
    await title.press('Backspace');
    await page.getByTestId('title-length-hint').getByText(`${max - 1} / ${max}`).waitFor();
    await context.close();
  });

  it('the comment box counts near the limit and refuses over it without cutting; undo names the move and scrolls to it', async () => {
    const items = Array.from({ length: 40 }, (_, i) => ({ title: `Story ${i + 1}`, createdBy: 'seed0000001' as never }));
    const seeded = await createBoardWithItems(ts, 'Comments and undo', items);
    const { page, context } = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(page, seeded.link('po'), 'Paula');

    await page.getByTestId('open-details').first().dispatchEvent('click');
    const comment = page.getByTestId('comment-input');
    const max = LIMITS.maxCommentLength;
    await comment.fill('c'.repeat(max - 10));
    await page.getByTestId('length-hint').getByText(`${max - 10} / ${max}`).waitFor();
    expect(await page.getByTestId('send-comment').isDisabled()).toBe(false);
    await comment.fill('c'.repeat(max + 4));
    await page.getByText(`Too long: ${max + 4} of ${max} characters. Shorten it by 4.`).waitFor();
    expect(await comment.inputValue()).toHaveLength(max + 4); // kept, not cut
    expect(await page.getByTestId('send-comment').isDisabled()).toBe(true);
    await comment.fill('');
    await page.getByTestId('close-detail').click();

    // Move the last story to the top, from the bottom of the list.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const last = page.locator('ol.backlog > li.card', { hasText: 'Story 40' });
    await last.getByRole('button', { name: 'More actions for “Story 40”' }).click();
    await page.getByRole('menuitem', { name: 'Move to top' }).click();
    await waitFor(async () => (await page.locator('ol.backlog > li.card').first().textContent())?.includes('Story 40') ?? false, { message: 'moved to the top' });
    // At the top of the page, undo puts it back at the bottom, says so and scrolls there.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('body').click({ position: { x: 5, y: 600 } });
    await page.keyboard.press('Control+z');
    await page.getByText('Undid: move of “Story 40”').waitFor();
    await waitFor(
      async () => {
        const card = page.locator('ol.backlog > li.card', { hasText: 'Story 40' });
        if ((await card.count()) === 0) return false;
        const box = await card.boundingBox();
        return box !== null && box.y >= 0 && box.y + 20 <= 800;
      },
      { message: 'the undone card is on screen' },
    );
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(500);
    await context.close();
  });
});
