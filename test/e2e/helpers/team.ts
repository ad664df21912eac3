/**
 * The two people most browser tests start with: a Product Owner and a developer, each in a
 * browser context of their own, joined through the board's links to a board seeded with
 * the screenshot backlog.
 */
import type { Browser } from 'playwright-core';
import type { ItemId } from '../../../shared/ids.ts';
import { createBoard, type TestServer } from '../../helpers/server.ts';
import { joinWithLink, newPerson } from './browser.ts';
import { seedBacklog } from './screenshots.ts';

type Size = { width: number; height: number };

export async function poAndDevOnSeededBoard(ts: TestServer, browser: Browser, opts: { po?: Size; dev?: Size } = {}) {
  const board = await createBoard(ts.baseUrl, 'Sprint 14 refinement');
  await seedBacklog(ts.server, board.boardId);
  const link = (role: string) => board.links.find((l) => l.role === role)!.url;
  const po = await newPerson(browser, opts.po);
  const dev = await newPerson(browser, opts.dev);
  await joinWithLink(po.page, link('po'), 'Paula');
  await joinWithLink(dev.page, link('dev'), 'Dev Dana');
  const ids = (await po.page.locator('li.card[data-item-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id') ?? ''))) as ItemId[];
  const boardUrl = `${ts.baseUrl}/b/${board.boardId}`;
  const close = async () => {
    await po.context.close();
    await dev.context.close();
  };
  return { board, po, dev, link, ids, boardUrl, close };
}
