/**
 * The built client under the server's Content-Security-Policy [LIM-3]: home, join, the
 * live board, an item's detail panel and the share dialog's QR code work with no CSP
 * violation and no console error about one, and no request the page makes carries a
 * Referer (join tokens live in the fragment) [LIM-3].
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserId } from '../../shared/ids.ts';
import { createBoardWithItems, startTestServer, type TestServer } from '../helpers/server.ts';
import { joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';

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

/** Every CSP violation the page reports, and console lines that mention the policy. */
async function watch(page: Page) {
  const violations: string[] = [];
  const consoleLines: string[] = [];
  const referers: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __cspViolation(t: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content Security Policy|Refused to/i.test(msg.text())) consoleLines.push(msg.text());
  });
  page.on('request', (req) => {
    const referer = req.headers().referer;
    if (referer) referers.push(`${req.url()} <- ${referer}`);
  });
  return { violations, consoleLines, referers };
}

describe('the app under its Content-Security-Policy [LIM-3]', () => {
  it('[LIM-3] home, join, board, detail panel and QR code load with no CSP violation and no Referer', async () => {
    const seeded = await createBoardWithItems(ts, 'CSP board', [
      { title: 'First story', createdBy: 'seed' as UserId },
      { title: 'Second story', createdBy: 'seed' as UserId },
    ]);
    const { page } = await newPerson(browser);
    const seen = await watch(page);

    const home = await page.goto(ts.baseUrl);
    expect(home?.headers()['content-security-policy']).toContain("script-src 'self'");
    expect(home?.headers()['referrer-policy']).toBe('no-referrer');
    await page.waitForLoadState('networkidle');

    await joinWithLink(page, seeded.link('po'), 'Paula');
    await page.locator('li.card[data-item-id]').first().waitFor();
    const boardUrl = `${ts.baseUrl}/b/${seeded.boardId}`;
    await page.goto(`${boardUrl}?item=${seeded.ids[0]}`);
    await page.getByTestId('item-detail').waitFor();
    await page.locator('[data-connection="live"]').waitFor({ timeout: 15_000 });

    await page.getByRole('button', { name: 'Share / invite' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share / invite' });
    await dialog.locator('li[data-role="dev"]').getByRole('button', { name: 'QR code' }).click();
    const qr = dialog.getByRole('img', { name: 'QR code of the Developer link' });
    await qr.waitFor();
    expect((await qr.boundingBox())?.width).toBeGreaterThan(100);
    await page.waitForTimeout(300);

    expect(seen.violations).toEqual([]);
    expect(seen.consoleLines).toEqual([]);
    expect(seen.referers).toEqual([]);

    // The policy is enforced, and this watch sees it: an injected inline script does not run.
    const ran = await page.evaluate(() => {
      const el = document.createElement('script');
      el.textContent = 'window.__inlineRan = true';
      document.body.append(el);
      return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
    });
    expect(ran).toBe(false);
    await expect.poll(() => seen.violations.length).toBeGreaterThan(0);
    expect(seen.violations[0]).toMatch(/^script-src/);
  });
});
