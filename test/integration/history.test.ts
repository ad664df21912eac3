/**
 * History end to end (HIS-1…5): a real server and real WebsocketProvider clients. Every
 * accepted update is recorded under its token's identity (AUTH-2), whatever the client
 * claims in awareness; a move reason is kept; events survive compaction and a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DigestResponse, HistoryPage } from '../../shared/history.ts';
import { historyPaths } from '../../shared/history.ts';
import { addItem, archiveItem, getItem, listItems, moveItem, setItemEstimate, setItemStatus, setItemTitle } from '../../shared/schema/board.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { answerQuestion, askQuestion } from '../../shared/schema/questions.ts';
import { api, connectSynced, setupBoard, startTestServer, type TestBoard, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
const clients: TestClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'History');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await srv.stop();
});

async function connect(token: string, awareness?: Record<string, unknown>): Promise<TestClient> {
  const c = await connectSynced(srv.wsUrl, tb.boardId, token, awareness ? { awareness } : {});
  clients.push(c);
  return c;
}

async function history(query = '', token = tb.people.viewer.token): Promise<HistoryPage> {
  const r = await api<HistoryPage>(srv.baseUrl, `${historyPaths.events(tb.boardId)}${query}`, { token });
  expect(r.status).toBe(200);
  return r.body;
}

const titles = (c: TestClient) => listItems(c.doc).map((i) => i.title);

describe('[HIS-1] history', () => {
  it('[HIS-1][AUTH-2] two people move the same item; the history names both by their token, not their awareness claim', async () => {
    const po = await connect(tb.people.po.token);
    const dev = await connect(tb.people.dev.token, { user: { id: tb.people.po.userId, name: 'Paula PO', role: 'po' } });
    const ids = ['A', 'B', 'C', 'D'].map((title) => addItem(po.doc, { title, createdBy: tb.people.po.userId }));
    await waitFor(() => titles(dev).length === 4, { message: 'items reached the developer' });
    moveItem(dev.doc, ids[3]!, 'top');
    await waitFor(() => titles(po)[0] === 'D');
    moveItem(po.doc, ids[3]!, { index: 2 });
    await waitFor(() => titles(dev)[2] === 'D');

    const page = await waitFor(async () => {
      const p = await history(`?item=${ids[3]}`);
      return p.events.filter((e) => e.kind === 'moved').length === 2 ? p : null;
    });
    const moves = page.events.filter((e) => e.kind === 'moved');
    expect(moves.map((e) => [e.user, e.from, e.to])).toEqual([
      [{ id: tb.people.po.userId, name: tb.people.po.name, role: 'po' }, { position: 1, rank: expect.any(String) }, { position: 3, rank: expect.any(String) }],
      [{ id: tb.people.dev.userId, name: tb.people.dev.name, role: 'dev' }, { position: 4, rank: expect.any(String) }, { position: 1, rank: expect.any(String) }],
    ]);
    expect(page.events.at(-1)).toMatchObject({ kind: 'added', itemId: ids[3], user: { id: tb.people.po.userId }, title: 'D' });
    expect(Object.keys(moves[0]!).sort()).toEqual(['at', 'from', 'itemId', 'kind', 'to', 'user']);
  });

  it('[HIS-3] a move reason typed after the drop is kept with the mover’s move, and only the mover’s', async () => {
    const po = await connect(tb.people.po.token);
    const ids = ['A', 'B', 'C'].map((title) => addItem(po.doc, { title, createdBy: tb.people.po.userId }));
    moveItem(po.doc, ids[2]!, 'top');
    await waitFor(async () => (await history()).events.some((e) => e.kind === 'moved'));
    const viaDev = await api(srv.baseUrl, historyPaths.notes(tb.boardId), { token: tb.people.dev.token, body: { note: 'not mine' } });
    expect(viaDev.status).toBe(404);
    const viewer = await api(srv.baseUrl, historyPaths.notes(tb.boardId), { token: tb.people.viewer.token, body: { note: 'x' } });
    expect(viewer.status).toBe(403);
    const r = await api(srv.baseUrl, historyPaths.notes(tb.boardId), { token: tb.people.po.token, body: { note: '  customer escalation ' } });
    expect(r.status).toBe(200);
    const moved = (await history(`?item=${ids[2]}`)).events.find((e) => e.kind === 'moved');
    expect(moved).toMatchObject({ note: 'customer escalation', user: { id: tb.people.po.userId }, from: { position: 3 }, to: { position: 1 } });
  });

  it('[HIS-1][HIS-2] status, estimate and edits are recorded (edits coalesced per minute), kept across compaction and restart, paged', async () => {
    const po = await connect(tb.people.po.token);
    const id = addItem(po.doc, { title: 'Login', createdBy: tb.people.po.userId });
    for (const t of ['Login p', 'Login page', 'Login page v2']) setItemTitle(po.doc, id, t);
    setItemStatus(po.doc, id, 'refining');
    setItemEstimate(po.doc, id, '5');
    await waitFor(async () => (await history()).events.some((e) => e.kind === 'estimated'));
    po.destroy();
    clients.length = 0;
    await srv.server.rooms.get(tb.boardId)?.close({ compact: true });
    const dataDir = srv.dataDir;
    await srv.server.stop();
    srv = await startTestServer({ dataDir });
    const all = await history();
    expect(all.events.map((e) => e.kind)).toEqual(['estimated', 'status', 'edited', 'added']);
    expect(all.events[0]).toMatchObject({ from: { estimate: null }, to: { estimate: '5' } });
    expect(all.events[1]).toMatchObject({ from: { status: 'new' }, to: { status: 'refining' } });
    expect(all.events[2]).toMatchObject({ field: 'title', to: { title: 'Login page v2' } });
    const first = await history('?limit=2');
    expect(first.events.map((e) => e.kind)).toEqual(['estimated', 'status']);
    const second = await history(`?limit=2&before=${first.next}`);
    expect(second.events.map((e) => e.kind)).toEqual(['edited', 'added']);
    expect(second.next).toBeNull();
    expect((await api(srv.baseUrl, `${historyPaths.events(tb.boardId)}?limit=x`, { token: tb.people.dev.token })).status).toBe(400);
    expect((await api(srv.baseUrl, historyPaths.events(tb.boardId))).status).toBe(401);
  });

  it('[HIS-5] the digest tells a returning developer what others changed since the last visit', async () => {
    const po = await connect(tb.people.po.token);
    const ids = ['A', 'B', 'C'].map((title) => addItem(po.doc, { title, createdBy: tb.people.po.userId }));
    await waitFor(async () => (await history()).events.length === 3);
    const first = await api<DigestResponse>(srv.baseUrl, historyPaths.digest(tb.boardId), { token: tb.people.dev.token });
    expect(first.body).toMatchObject({ since: null, entries: [] });
    await new Promise((r) => setTimeout(r, 5));
    moveItem(po.doc, ids[2]!, 'top');
    setItemEstimate(po.doc, ids[0]!, '8');
    const d = addItem(po.doc, { title: 'D', createdBy: tb.people.po.userId });
    await waitFor(async () => (await history()).events.length === 6);
    const back = await api<DigestResponse>(srv.baseUrl, historyPaths.digest(tb.boardId), { token: tb.people.dev.token });
    expect(back.body.since).toBe(first.body.until);
    const byId = new Map(back.body.entries.map((e) => [e.itemId, e]));
    expect(byId.get(ids[2]!)).toMatchObject({ title: 'C', movedBy: 2, isNew: false });
    expect(byId.get(ids[0]!)).toMatchObject({ movedBy: -1, estimate: { from: null, to: '8' } });
    expect(byId.get(d)).toMatchObject({ isNew: true });
    await api(srv.baseUrl, historyPaths.digestSeen(tb.boardId), { token: tb.people.dev.token, body: { until: back.body.until } });
    const again = await api<DigestResponse>(srv.baseUrl, historyPaths.digest(tb.boardId), { token: tb.people.dev.token });
    expect(again.body.entries).toEqual([]);
    expect(getItem(po.doc, ids[0]!)?.estimate).toBe('8');
  });
  it('[HIS-5] the digest counts the comments and answers others wrote since the visit by the server’s clock, not the writer’s, and tells what was made ready or archived', async () => {
    const po = await connect(tb.people.po.token);
    const dev = await connect(tb.people.dev.token);
    const poActor = { userId: tb.people.po.userId, name: 'Paula PO', role: 'po' as const };
    const devActor = { userId: tb.people.dev.userId, name: 'Dana Dev', role: 'dev' as const };
    const [a, b, c] = ['A', 'B', 'C'].map((title) => addItem(po.doc, { title, createdBy: tb.people.po.userId }));
    await waitFor(() => getItem(dev.doc, b!) !== null);
    const asked = askQuestion(dev.doc, b!, devActor, { text: 'Which browsers?' });
    if (!asked.ok) throw new Error('ask refused');
    addComment(dev.doc, b!, devActor, 'My own note');
    await waitFor(async () => (await history()).events.length === 5);
    const first = await api<DigestResponse>(srv.baseUrl, historyPaths.digest(tb.boardId), { token: tb.people.dev.token });
    expect(first.body.since).toBeNull();
    await new Promise((r) => setTimeout(r, 5));
    // The PO's clock is an hour behind: its comment and answer carry times before the visit.
    const behind = Date.now() - 3_600_000;
    await waitFor(() => (getItem(po.doc, b!)?.questions.length ?? 0) === 1);
    expect(answerQuestion(po.doc, b!, asked.value, poActor, 'Chrome and Firefox', behind).ok).toBe(true);
    expect(addComment(po.doc, b!, poActor, 'Agreed with the customer', behind).ok).toBe(true);
    setItemStatus(po.doc, a!, 'ready');
    archiveItem(po.doc, c!);
    await waitFor(async () => (await history()).events.length === 9);
    const back = await api<DigestResponse>(srv.baseUrl, historyPaths.digest(tb.boardId), { token: tb.people.dev.token });
    const byId = new Map(back.body.entries.map((e) => [e.itemId, e]));
    expect(byId.get(b!)).toMatchObject({ newComments: 1, answeredQuestions: 1, isNew: false });
    expect(byId.get(a!)).toMatchObject({ madeReady: true, archived: false });
    expect(byId.get(c!)).toMatchObject({ archived: true, madeReady: false });
    // The PO's own digest does not count what the PO wrote.
    await api(srv.baseUrl, historyPaths.digest(tb.boardId), { token: tb.people.po.token });
    addComment(po.doc, b!, poActor, 'One more');
    await waitFor(async () => (await history()).events.length === 10);
    const own = await api<DigestResponse>(srv.baseUrl, historyPaths.digest(tb.boardId), { token: tb.people.po.token });
    expect(own.body.entries).toEqual([]);
  });
  it('[HIS-1] events survive an idle unload; after the reload the board records on, with no second copy of what it held', async () => {
    await srv.stop();
    srv = await startTestServer({ config: { idleUnloadMs: 50 } });
    tb = await setupBoard(srv.baseUrl, 'History unload');
    const po = await connect(tb.people.po.token);
    const [a, b] = ['A', 'B'].map((title) => addItem(po.doc, { title, createdBy: tb.people.po.userId }));
    moveItem(po.doc, b!, 'top');
    await waitFor(async () => (await history()).events.length === 3);
    po.destroy();
    clients.length = 0;
    await waitFor(() => !srv.server.rooms.loadedBoardIds().includes(tb.boardId), { message: 'board unloaded' });
    const kept = await history();
    expect(kept.events.map((e) => e.kind)).toEqual(['moved', 'added', 'added']);
    const again = await connect(tb.people.sm.token);
    expect(titles(again)).toEqual(['B', 'A']);
    setItemEstimate(again.doc, a!, '3');
    await waitFor(async () => (await history()).events.length === 4);
    const after = await history();
    expect(after.events.map((e) => e.kind)).toEqual(['estimated', 'moved', 'added', 'added']);
    expect(after.events[0]).toMatchObject({ itemId: a, user: { id: tb.people.sm.userId, role: 'sm' } });
    expect(after.events.slice(1)).toEqual(kept.events);
  });
});
