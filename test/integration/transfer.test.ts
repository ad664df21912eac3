import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../shared/api.ts';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { appendItems } from '../../shared/schema/board.ts';
import { setupBoard, startTestServer, type TestServer } from '../helpers/server.ts';

let ts: TestServer | null = null;
afterEach(async () => {
  await ts?.stop();
  ts = null;
});

describe('export', () => {
  it('[XFER-8][XFER-9] a viewer downloads the board as JSON (backlog order) and the summary as Markdown', async () => {
    ts = await startTestServer();
    const { boardId, people } = await setupBoard(ts.baseUrl, 'Shop Q4');
    await ts.server.withBoard(boardId as BoardId, (b) =>
      b.change((doc) => {
        appendItems(doc, [
          { title: 'Pay by card', createdBy: 'u1' as UserId, labels: ['checkout'] },
          { title: 'Ship', createdBy: 'u1' as UserId },
        ]);
      }),
    );
    const get = (format: string) =>
      fetch(`${ts!.baseUrl}${apiPaths.boardExport(boardId)}?format=${format}`, { headers: { authorization: `Bearer ${people.viewer.token}` } });
    const json = await get('json');
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="Shop-Q4-\d{4}-\d{2}-\d{2}\.json"$/);
    const data = (await json.json()) as { items: { title: string; labels: string[] }[] };
    expect(data.items.map((i) => [i.title, i.labels])).toEqual([
      ['Pay by card', ['checkout']],
      ['Ship', []],
    ]);
    const md = await get('md');
    expect(md.headers.get('content-disposition')).toMatch(/filename="Shop-Q4-.*\.md"/);
    expect(await md.text()).toContain('| 1 | Pay by card | New | — | checkout |');
    expect((await get('xls')).status).toBe(400);
    const anonymous = await fetch(`${ts.baseUrl}${apiPaths.boardExport(boardId)}?format=json`);
    expect(anonymous.status).toBe(401);
  });
});
