/**
 * [FLT-3] What a person sees when the server cannot store their edit (a read-only data
 * directory, injected into the server's SQLite connection, server/storage/sqlite.ts):
 * the header says "Not saved" with the server's reason, the edit stays on screen, and
 * once storage works again the client's own reconnect stores it and the header is Live.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CreateBoardResponse } from '../../shared/api.ts';
import type { BoardId } from '../../shared/ids.ts';
import { listItems } from '../../shared/schema/board.ts';
import { applyStored } from '../../server/storage/fold.mjs';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite.ts';
import { api, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';
import { backlogTitles, joinWithLink, launchBrowser, newPerson } from './helpers/browser.ts';
import { seedBacklog } from './helpers/screenshots.ts';

let ts: TestServer;
let storage: SqliteStorage;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-e2e-fault-'));
  storage = openSqliteStorage(path.join(dataDir, 'boards.sqlite'));
  ts = await startTestServer({ dataDir, config: { idleUnloadMs: 60_000 }, options: { storage } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await ts?.stop();
  await storage?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const storedTitles = async (boardId: string) => {
  const stored = await storage.loadBoard(boardId as BoardId);
  const doc = new Y.Doc();
  applyStored(doc, stored!.snapshot, stored!.updates.map((u) => u.data));
  return listItems(doc).map((i) => i.title);
};

describe('storage fault in the browser', () => {
  it('[FLT-3] "Not saved" while storage refuses the edit, Live once it is stored', async () => {
    const { body: board } = await api<CreateBoardResponse>(ts.baseUrl, '/api/boards', { body: { title: 'Release planning' } });
    await seedBacklog(ts.server, board.boardId);
    const link = board.links.find((l) => l.role === 'dev')!.url;
    const shots = process.env.SCREENSHOT_DIR;
    for (const [width, height] of [
      [1280, 800],
      [390, 844],
    ] as const) {
      const { context, page } = await newPerson(browser, { width, height });
      await joinWithLink(page, link, 'Dev Kumar');
      await storage.injectFault('read-only');
      const title = `Written while storage is read-only (${width})`;
      const box = page.getByLabel('New backlog item');
      await box.fill(title);
      await box.press('Enter');

      const badge = page.locator('[data-connection="not-saved"]');
      await badge.waitFor({ timeout: 10_000 });
      expect(await badge.getAttribute('title')).toMatch(/could not save your latest changes \(storage read-only/);
      expect(await backlogTitles(page)).toContain(title);
      await page.getByTestId('offline-notice').filter({ hasText: 'Not saved.' }).waitFor();
      expect(await page.getByTestId('offline-notice').textContent()).toMatch(/could not store your latest changes \(storage read-only\)/);
      await page.evaluate(() => window.scrollTo(0, 0));
      if (shots) await page.screenshot({ path: path.join(shots, `not-saved-${width}.png`) });
      expect(await storedTitles(board.boardId)).not.toContain(title);

      await storage.injectFault(null);
      await page.locator('[data-connection="live"]').waitFor({ timeout: 20_000 });
      await waitFor(async () => (await storedTitles(board.boardId)).includes(title), { message: 'edit stored after the fault' });
      await context.close();
    }
  }, 90_000);
});
