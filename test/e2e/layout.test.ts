/**
 * The board screen puts the backlog first (issue 14): with a poker round and a dot round
 * open, the first backlog card is on the first screen at 1280×800 and at 390×844; on a
 * phone with an item open, the running round still shows as a bar. And axe-core finds
 * no serious or critical accessibility violation on the board, the detail panel and the
 * poker view (voting and revealed).
 */
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateBoardResponse } from '../../shared/api.ts';
import { api, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';
import { seedBacklog } from './helpers/screenshots.ts';

const axeSource: string = createRequire(import.meta.url)('axe-core').source;

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

async function sessionInProgress() {
  const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Team Phoenix — sprint 42 refinement' } });
  await seedBacklog(ts.server, board.boardId);
  const link = (role: string) => board.links.find((l) => l.role === role)!.url;
  const po = await newPerson(browser, { width: 1280, height: 800 });
  const phone = await newPerson(browser, { width: 390, height: 844 });
  await joinWithLink(po.page, link('po'), 'Priya Owner');
  await joinWithLink(phone.page, link('dev'), 'Dev Kumar');
  await po.page.getByTestId('poker-start-button').click();
  await po.page.getByTestId('dot-open').click();
  await phone.page.getByTestId('poker').waitFor({ state: 'attached' });
  await phone.page.getByTestId('dot-voting').waitFor({ state: 'attached' });
  const close = async () => {
    await po.context.close();
    await phone.context.close();
  };
  return { po: po.page, phone: phone.page, close };
}

/** Top of the first backlog card relative to the viewport, in CSS pixels. */
const firstCardTop = (page: Page): Promise<number> =>
  page.locator('ol.backlog > li.card').first().evaluate((el) => Math.round(el.getBoundingClientRect().top));

async function cardInView(page: Page): Promise<{ top: number; bottom: number; height: number }> {
  const card = page.locator('ol.backlog > li.card').first();
  const box = (await card.boundingBox())!;
  return { top: await firstCardTop(page), bottom: Math.round(box.y + Math.min(box.height, 40)), height: page.viewportSize()!.height };
}

/** Serious and critical violations axe-core finds on the page as it is now. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('the backlog first', () => {
  it('[UX-7] with a poker and a dot round open, the first backlog card is on the first screen at 1280×800 and 390×844', async () => {
    const { po, phone, close } = await sessionInProgress();
    for (const page of [po, phone]) {
      const { top, bottom, height } = await cardInView(page);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(bottom).toBeLessThanOrEqual(height);
      // "Backlog" is said once on screen, by the tab: the list's own heading is there for
      // screen readers and the skip link, not as a second visible title.
      const shownBacklogHeadings = await page.evaluate(
        () =>
          [...document.querySelectorAll('h1, h2, h3')].filter((h) => h.textContent?.trim() === 'Backlog' && h.getBoundingClientRect().height > 2).length,
      );
      expect(shownBacklogHeadings).toBe(0);
      expect(await page.getByRole('heading', { name: 'Backlog', exact: true }).count()).toBe(1);
    }
    // The agreed estimate shows on the card on a phone too, inside the card.
    const chip = phone.locator('ol.backlog > li.card').first().locator('.estimate');
    expect(await chip.isVisible()).toBe(true);
    expect((await chip.innerText()).trim()).toMatch(/5$/);
    const chipBox = (await chip.boundingBox())!;
    expect(chipBox.x + chipBox.width).toBeLessThanOrEqual(390);
    // The skip link lands on the backlog.
    await po.locator('a.skip-link').focus();
    await po.keyboard.press('Enter');
    await waitFor(async () => (await po.evaluate(() => document.activeElement?.id)) === 'backlog-heading', { timeout: 5000, message: 'skip link focused the backlog' });
    // Anyone can expand the one-line summary on a phone and vote there.
    const summary = phone.getByTestId('estimation-summary');
    expect(await summary.textContent()).toMatch(/Round 1 · Checkout: pay with saved card in one tap · 0\/2 voted/);
    await summary.click();
    await phone.getByTestId('poker-card-5').click();
    await waitFor(async () => /1\/2 voted/.test((await summary.textContent()) ?? ''), { message: 'the summary counts the vote' });
    // A phone with an item open: the running round is still a bar on screen.
    await phone.getByTestId('open-details').nth(1).dispatchEvent('click');
    await phone.getByTestId('item-detail').waitFor();
    const bar = (await summary.boundingBox())!;
    expect(bar.y).toBeGreaterThanOrEqual(0);
    expect(bar.y + bar.height).toBeLessThanOrEqual(844);
    expect(await summary.getAttribute('aria-expanded')).toBe('false');
    await close();
  });

  it('[UX-8] axe-core: no serious or critical violations on the board, the detail panel and the poker view, light and dark', async () => {
    const { po, phone, close } = await sessionInProgress();
    expect(await seriousViolations(po)).toEqual([]);
    expect(await seriousViolations(phone)).toEqual([]);
    await po.getByTestId('poker-card-8').click();
    await po.getByTestId('poker-reveal').click();
    await po.getByTestId('poker-results').waitFor();
    expect(await seriousViolations(po)).toEqual([]);
    await po.getByTestId('open-details').nth(1).dispatchEvent('click');
    await po.getByTestId('item-detail').waitFor();
    expect(await seriousViolations(po)).toEqual([]);
    // The dark theme (prefers-color-scheme) keeps the contrast too.
    for (const page of [po, phone]) {
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(page)).toEqual([]);
    }
    await close();
  });
  it('[UX-7] [UX-4] revealed results fit the dock and are dismissed from one person’s view only; the add box stays below the sticky top while typing', async () => {
    const { po, phone, close } = await sessionInProgress();
    await phone.getByTestId('estimation-summary').click();
    await phone.getByTestId('poker-card-2').click();
    await po.getByTestId('poker-card-13').click();
    await waitFor(async () => /2\/2 voted/.test((await po.getByTestId('estimation-summary').textContent()) ?? ''), { message: 'both voted' });
    await po.getByTestId('poker-reveal').click();
    await po.getByTestId('poker-results').waitFor();
    // Outliers (2 and 13) are marked; in the dark theme they stay readable too.
    await po.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(po)).toEqual([]);
    await po.emulateMedia({ colorScheme: 'light' });
    // The results fit the dock: nothing runs off its right edge (the votes list used to).
    const overflow = await po.evaluate(() => {
      const dock = document.querySelector('[data-testid="estimation-panel"]')!.getBoundingClientRect();
      const parts = [...document.querySelectorAll('[data-testid="poker-results"] *')].map((el) => el.getBoundingClientRect());
      return Math.max(...parts.filter((r) => r.width > 0).map((r) => r.right)) - dock.right;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.getByTestId('poker-results').waitFor();
    await phone.getByTestId('poker-dismiss').click();
    await phone.getByTestId('poker-results').waitFor({ state: 'detached' });
    expect(await po.getByTestId('poker-results').isVisible()).toBe(true);

    const box = po.getByTestId('add-item-input');
    await box.focus();
    await po.keyboard.type('Guest checkout without an account');
    await po.mouse.move(300, 650); // over the list, not the dock (it scrolls on its own)
    await po.mouse.wheel(0, 900);
    await waitFor(async () => (await po.evaluate(() => window.scrollY)) > 300, { message: 'scrolled down' });
    const top = await po.locator('.board-top').evaluate((el) => el.getBoundingClientRect().bottom);
    const input = (await box.boundingBox())!;
    expect(input.y).toBeGreaterThanOrEqual(top - 1);
    expect(input.y).toBeLessThan(top + 80);
    expect(await box.inputValue()).toBe('Guest checkout without an account');
    await close();
  });

  it('[UX-8] every status chip on the board keeps its text at 5.5:1 or more (4.5 with a margin), light and dark', async () => {
    const { po, close } = await sessionInProgress();
    for (const scheme of ['light', 'dark'] as const) {
      await po.emulateMedia({ colorScheme: scheme });
      const ratios = await po.evaluate(() => {
        const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const lum = (css: string) => {
          const [r, g, b] = rgb(css).map((v) => {
            const c = v / 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
        };
        const out: Record<string, number> = {};
        for (const el of document.querySelectorAll<HTMLElement>('ol.backlog .status-select')) {
          const status = [...el.classList].find((c) => c.startsWith('status-') && c !== 'status-select');
          if (!status) continue;
          const style = getComputedStyle(el);
          const [hi, lo] = [lum(style.color), lum(style.backgroundColor)].sort((a, b) => b - a);
          out[status] = Math.round(((hi! + 0.05) / (lo! + 0.05)) * 100) / 100;
        }
        return out;
      });
      expect(Object.keys(ratios), scheme).toEqual(expect.arrayContaining(['status-new', 'status-refining', 'status-ready']));
      for (const [status, ratio] of Object.entries(ratios)) expect(ratio, `${scheme} ${status}`).toBeGreaterThanOrEqual(5.5);
    }
    await close();
  });

  it('[UX-8] axe-core: no serious or critical violations in the planning view and the import dialog', async () => {
    const { po, close } = await sessionInProgress();
    await po.getByTestId('tab-planning').click();
    await po.waitForSelector('#panel-planning');
    expect(await seriousViolations(po)).toEqual([]);
    await po.getByTestId('tab-backlog').click();
    await po.getByTestId('open-import').click();
    await po.getByTestId('import-dialog').waitFor();
    expect(await seriousViolations(po)).toEqual([]);
    await close();
  });
});
