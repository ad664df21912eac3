import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { apiPaths } from '../../shared/api.ts';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { appendItems } from '../../shared/schema/board.ts';
import * as Y from 'yjs';
import { listItems } from '../../shared/schema/board.ts';
import { type HistoryPage, historyPaths } from '../../shared/history.ts';
import { IMPORT_STEP_ITEMS } from '../../server/transfer/writeImport.ts';
import { api, connectSynced, setupBoard, startTestServer, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

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

const JIRA = 'Issue key,Summary,Labels,Labels,Story Points\r\nSHOP-1,Pay by card,checkout,mobile,5\r\nSHOP-2,Ship,,,3\r\n';

describe('import', () => {
  let clients: TestClient[] = [];
  afterEach(() => {
    for (const c of clients) c.provider.destroy();
    clients = [];
  });

  it('[XFER-3][SRV-2] a PO imports a Jira CSV: both connected clients see all items arrive in one update; dry run, 403, re-import, 422, 413, 400', async () => {
    ts = await startTestServer({ config: { limits: { maxImportBytes: 4096 } } });
    const { boardId, people } = await setupBoard(ts.baseUrl, 'Import');
    const post = (body: string | Blob, query = '', token = people.po.token) =>
      fetch(`${ts!.baseUrl}${apiPaths.boardImport(boardId)}${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
        body,
      });
    const a = await connectSynced(ts.wsUrl, boardId, people.po.token);
    const b = await connectSynced(ts.wsUrl, boardId, people.dev.token);
    clients.push(a, b);
    const before = Y.encodeStateVector(a.doc);

    expect((await post(JIRA, '', people.dev.token)).status).toBe(403);
    const dry = await post(JIRA, '?dryRun=1');
    expect(dry.status).toBe(200);
    expect(await dry.json()).toMatchObject({ format: 'jira', dryRun: true, imported: 2, items: [{ title: 'Pay by card', externalKey: 'SHOP-1' }, { title: 'Ship' }] });
    const broken = await post(`${JIRA}SHOP-3,Bad,,,abc\r\n`);
    expect(broken.status).toBe(422);
    expect(await broken.json()).toMatchObject({ imported: 0, errors: [{ row: 4, column: 'Story Points' }] });
    expect(Y.encodeStateVector(a.doc)).toEqual(before);

    const updatesSeen: number[] = [];
    for (const c of [a, b]) {
      let n = 0;
      c.doc.on('update', () => updatesSeen.push(++n));
    }
    const res = await post(JIRA);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: 2, skipped: 0, errors: [] });
    for (const c of [a, b]) await waitFor(() => listItems(c.doc).length === 2);
    expect(updatesSeen).toEqual([1, 1]);
    expect(listItems(b.doc).map((i) => [i.title, i.labels, i.estimate, i.externalKey])).toEqual([
      ['Pay by card', ['checkout', 'mobile'], '5', 'SHOP-1'],
      ['Ship', [], '3', 'SHOP-2'],
    ]);

    const again = await post(JIRA);
    expect(await again.json()).toMatchObject({ imported: 0, skipped: 2 });
    expect((await post('x'.repeat(5000))).status).toBe(413);
    const junk = await post(new Blob([new Uint8Array([0, 1, 2, 3, 0, 255, 0, 7])]));
    expect(junk.status).toBe(400);
    expect(await junk.json()).toMatchObject({ code: 'unreadable_import', error: expect.stringMatching(/expected a CSV/) });
  });
});

describe('import options and round trips through the real server', () => {
  let clients: TestClient[] = [];
  afterEach(() => {
    for (const c of clients) c.provider.destroy();
    clients = [];
  });

  const postTo = (boardId: string, token: string, body: string | Blob, query = '', type = 'text/csv') =>
    fetch(`${ts!.baseUrl}${apiPaths.boardImport(boardId)}${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body });
  const exportOf = (boardId: string, token: string, format: string) =>
    fetch(`${ts!.baseUrl}${apiPaths.boardExport(boardId)}?format=${format}`, { headers: { authorization: `Bearer ${token}` } });

  it('[XFER-2][XFER-1] update=1 overwrites in one update and says so; position=top puts new rows above the backlog in file order', async () => {
    ts = await startTestServer();
    const { boardId, people } = await setupBoard(ts.baseUrl, 'Options');
    const b = await connectSynced(ts.wsUrl, boardId, people.dev.token);
    clients.push(b);
    expect((await postTo(boardId, people.po.token, JIRA)).status).toBe(200);
    await waitFor(() => listItems(b.doc).length === 2);
    let updates = 0;
    b.doc.on('update', () => updates++);
    const changed = JIRA.replace('SHOP-2,Ship,,,3', 'SHOP-2,Ship fast,urgent,,8');
    const res = await postTo(boardId, people.sm.token, `${changed}SHOP-0,First,,,1\r\n`, '?update=1&position=top');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ imported: 1, updated: 2, skipped: 0, position: 'top' });
    expect(body.items.map((i: { externalKey: string; action: string }) => [i.externalKey, i.action])).toEqual([
      ['SHOP-0', 'added'],
      ['SHOP-1', 'updated'],
      ['SHOP-2', 'updated'],
    ]);
    await waitFor(() => listItems(b.doc).length === 3);
    expect(updates).toBe(1);
    expect(listItems(b.doc).map((i) => [i.title, i.labels, i.estimate])).toEqual([
      ['First', [], '1'],
      ['Pay by card', ['checkout', 'mobile'], '5'],
      ['Ship fast', ['urgent'], '8'],
    ]);
    expect((await postTo(boardId, people.po.token, JIRA, '?position=middle')).status).toBe(400);
  });

  it('[XFER-12] export json → import into a new board (format=auto) → identical content and order', async () => {
    ts = await startTestServer();
    const src = await setupBoard(ts.baseUrl, 'Source');
    const csv = 'title,description,labels,estimate,acceptance criteria\r\nPay,"Line 1\nLine 2",checkout;mobile,5,"[x] Visa\n[ ] Amex"\r\nShip,,,3,\r\nRefund,,,,\r\n';
    expect((await postTo(src.boardId, src.people.po.token, csv)).status).toBe(200);
    const exported = await (await exportOf(src.boardId, src.people.viewer.token, 'json')).json();
    const dst = await setupBoard(ts.baseUrl, 'Copy');
    const res = await postTo(dst.boardId, dst.people.po.token, JSON.stringify(exported), '', 'application/json');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'json', imported: 3, errors: [] });
    const copy = await (await exportOf(dst.boardId, dst.people.viewer.token, 'json')).json();
    // Item ids are new on the copy (remapped); the copy's items keep the source ids as key.
    const content = (e: { items: Record<string, unknown>[] }) => e.items.map(({ createdBy: _c, id: _id, ...rest }) => rest);
    // The copy keeps the source's keys (externalKey) and everything else, in the same order.
    expect(content(copy)).toEqual(content(exported));
    expect(copy.items.map((i: { title: string }) => i.title)).toEqual(['Pay', 'Ship', 'Refund']);
  });

  it('[XFER-10] export csv → import into a new board: same titles, descriptions, labels, estimates and order', async () => {
    ts = await startTestServer();
    const src = await setupBoard(ts.baseUrl, 'Source');
    const csv = 'title,description,labels,estimate\r\n"=SUM(A1)","Line 1\nLine ""2""",checkout;mobile,5\r\nShip,,,3\r\n@home,- a list,x,\r\n';
    expect((await postTo(src.boardId, src.people.po.token, csv)).status).toBe(200);
    const exported = new Uint8Array(await (await exportOf(src.boardId, src.people.dev.token, 'csv')).arrayBuffer());
    const dst = await setupBoard(ts.baseUrl, 'Copy');
    const reader = await connectSynced(ts.wsUrl, dst.boardId, dst.people.viewer.token);
    const source = await connectSynced(ts.wsUrl, src.boardId, src.people.viewer.token);
    clients.push(reader, source);
    const res = await postTo(dst.boardId, dst.people.po.token, new Blob([exported]));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ format: 'csv', imported: 3, errors: [] });
    await waitFor(() => listItems(reader.doc).length === 3);
    const view = (doc: Y.Doc) => listItems(doc).map((i) => [i.title, i.description, i.labels, i.estimate]);
    expect(view(reader.doc)).toEqual(view(source.doc));
    expect(view(reader.doc)[0]).toEqual(['=SUM(A1)', 'Line 1\nLine "2"', ['checkout', 'mobile'], '5']);
  });

  it('[XFER-1][XFER-7][HIS-1] a file of more rows than one step holds: a connected client gets one update with every row in file order, and the history one imported event', async () => {
    ts = await startTestServer();
    const { boardId, people } = await setupBoard(ts.baseUrl, 'Steps');
    const b = await connectSynced(ts.wsUrl, boardId, people.dev.token);
    clients.push(b);
    const rows = IMPORT_STEP_ITEMS * 2 + 7;
    const csv = `title,estimate\r\n${Array.from({ length: rows }, (_, i) => `Row ${i},3`).join('\r\n')}\r\n`;
    let updates = 0;
    b.doc.on('update', () => updates++);
    const res = await postTo(boardId, people.po.token, csv);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ imported: rows, errors: [] });
    await waitFor(() => listItems(b.doc).length === rows);
    expect(updates).toBe(1);
    expect(listItems(b.doc).map((i) => i.title)).toEqual(Array.from({ length: rows }, (_, i) => `Row ${i}`));
    const page = await api<HistoryPage>(ts.baseUrl, historyPaths.events(boardId), { token: people.viewer.token });
    expect(page.body.events.filter((e) => e.kind === 'imported' || e.kind === 'added')).toEqual([expect.objectContaining({ kind: 'imported', count: rows })]);
  });

  it('[XFER-7][XFER-8] exports asked for while an import writes its steps read none of it or all of it, never a part', async () => {
    ts = await startTestServer();
    const { boardId, people } = await setupBoard(ts.baseUrl, 'Steps');
    const rows = IMPORT_STEP_ITEMS * 8;
    const csv = `title\r\n${Array.from({ length: rows }, (_, i) => `Row ${i}`).join('\r\n')}\r\n`;
    let answered = false;
    const importing = postTo(boardId, people.po.token, csv).then((r) => {
      answered = true;
      return r;
    });
    const counts: number[] = [];
    while (!answered) {
      const data = (await (await exportOf(boardId, people.viewer.token, 'json')).json()) as { items: unknown[] };
      counts.push(data.items.length);
    }
    expect((await importing).status).toBe(200);
    expect(counts.filter((n) => n !== 0 && n !== rows)).toEqual([]);
    expect(counts.length).toBeGreaterThan(1);
  });

  it('[XFER-13] a Trello board export is detected and imported in list and card order', async () => {
    ts = await startTestServer();
    const { boardId, people } = await setupBoard(ts.baseUrl, 'Trello');
    const file = readFileSync(new URL('../fixtures/trello-board.json', import.meta.url));
    const res = await postTo(boardId, people.po.token, new Blob([new Uint8Array(file)]), '', 'application/json');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ format: 'trello', imported: 4, skipped: 2 });
    expect(body.items.map((i: { title: string }) => i.title)).toEqual(['Pay by card', 'Guest checkout', 'Fix rounding in totals', 'Newsletter signup']);
  });
});
