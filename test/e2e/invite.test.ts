/**
 * Sharing a board [INV-1..INV-4] in Chromium: the PO opens "Share / invite", copies a
 * link, shows its QR code, makes a new Developer link; the old one then explains itself
 * on the join screen, and the join screen names the board.
 */
import { mkdir } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserId } from '../../shared/ids.ts';
import { createBoardWithItems, startTestServer, type TestServer } from '../helpers/server.ts';
import { joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';

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

describe('share / invite', () => {
  it('[INV-1] [INV-3] [INV-4] the PO copies a link, shows its QR code, regenerates it; the old link says why it fails', async () => {
    const seeded = await createBoardWithItems(ts, 'Checkout refinement', [{ title: 'Guest checkout', createdBy: 'seed' as UserId }]);
    const po = await newPerson(browser, { width: 1280, height: 800 });
    await po.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: ts.baseUrl });
    await po.page.goto(seeded.link('po'));
    await po.page.getByRole('heading', { name: 'Join “Checkout refinement”' }).waitFor();
    await joinWithLink(po.page, seeded.link('po'), 'Priya');

    await po.page.getByRole('button', { name: 'Share / invite' }).click();
    const dialog = po.page.getByRole('dialog', { name: 'Share / invite' });
    const devUrl = dialog.getByLabel('Developer link', { exact: true });
    await devUrl.waitFor();
    const oldDevLink = (await devUrl.inputValue()).replace(/^https?:\/\/[^/]+/, ts.baseUrl);
    await dialog.getByRole('button', { name: 'Copy Developer link' }).click();
    await dialog.getByText('Copied ✓').waitFor();
    expect(await po.page.evaluate(() => navigator.clipboard.readText())).toBe(await devUrl.inputValue());

    await dialog.locator('li[data-role="dev"]').getByRole('button', { name: 'QR code' }).click();
    const qr = dialog.getByRole('img', { name: 'QR code of the Developer link' });
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThan(150);
    await po.page.screenshot({ path: 'test-results/invite-share-1280.png' });

    await dialog.getByRole('button', { name: 'New Developer link' }).click();
    await po.page.waitForFunction((old) => {
      const input = document.querySelector<HTMLInputElement>('#share-url-dev');
      return input !== null && !old.endsWith(input.value.split('#')[1] ?? '');
    }, oldDevLink);

    const phone = await newPerson(browser, { width: 390, height: 844 });
    await phone.page.goto(oldDevLink);
    await phone.page.getByRole('heading', { name: 'This link doesn’t work' }).waitFor();
    await phone.page.getByText('replaced or revoked by the board’s Product Owner').waitFor();

    // The PO on a phone sees the same dialog, usable at 390 px.
    const poPhone = await newPerson(browser, { width: 390, height: 844 });
    await joinWithLink(poPhone.page, seeded.link('po'), 'Priya on the phone');
    const pageWidth = await poPhone.page.evaluate(() => document.documentElement.scrollWidth);
    const over = await poPhone.page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        // Inside a sideways-scrolling row (the filter chips, the phone header's actions) an
        // element may sit past the edge; the page itself must not scroll sideways.
        .filter((e) => e.getBoundingClientRect().right > 391 && !e.closest('.ref-filters, .header-actions'))
        .map((e) => `${e.tagName}.${e.className}`)
        .slice(0, 8),
    );
    expect({ pageWidth, over }).toEqual({ pageWidth: 390, over: [] });
    await poPhone.page.getByRole('button', { name: 'Share / invite' }).click();
    const phoneDialog = poPhone.page.getByRole('dialog', { name: 'Share / invite' });
    await phoneDialog.getByLabel('Viewer link', { exact: true }).waitFor();
    await phoneDialog.locator('li[data-role="viewer"]').getByRole('button', { name: 'QR code' }).click();
    await phoneDialog.getByRole('img', { name: 'QR code of the Viewer link' }).scrollIntoViewIfNeeded();
    await poPhone.page.screenshot({ path: 'test-results/invite-share-390.png' });
    const wide = await poPhone.page.evaluate(() =>
      [...document.querySelectorAll('dialog *')].filter((e) => e.getBoundingClientRect().right > 391).map((e) => `${e.tagName}.${e.className}`),
    );
    expect(wide).toEqual([]);

    for (const p of [po, phone, poPhone]) await p.context.close();
  }, 60_000);

  it('[MEM-2] [MEM-4] the PO sees who joined and removes a developer; the developer is told at once', async () => {
    const seeded = await createBoardWithItems(ts, 'Removal', [{ title: 'Guest checkout', createdBy: 'seed' as UserId }]);
    const po = await newPerson(browser, { width: 1280, height: 800 });
    await joinWithLink(po.page, seeded.link('po'), 'Priya');
    const dev = await newPerson(browser, { width: 390, height: 844 });
    await joinWithLink(dev.page, seeded.link('dev'), 'Dana');
    await dev.page.getByTestId('item-card').first().waitFor();

    await po.page.getByRole('button', { name: 'Share / invite' }).click();
    const people = po.page.getByRole('region', { name: /People on this board/ });
    await people.getByText('Dana').waitFor();
    expect(await people.getByRole('heading').textContent()).toBe('People on this board (2)');
    // Nobody removes themself; removing asks first.
    expect(await people.getByRole('button', { name: 'Remove Priya from the board' }).count()).toBe(0);
    await people.getByRole('button', { name: 'Remove Dana from the board' }).click();
    await people.getByRole('button', { name: 'Remove Dana', exact: true }).click();
    await po.page.waitForFunction(() => !document.querySelector('.share-people')?.textContent?.includes('Dana'));

    await dev.page.getByText('You were removed from this board').waitFor();
    await dev.page.screenshot({ path: 'test-results/member-removed-390.png' });
  });
});
