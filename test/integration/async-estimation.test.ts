/**
 * Async planning poker (EST-12…17) against a real server with real WebsocketProvider
 * clients: a round with a deadline reveals on its own — with no socket open, and after a
 * restart — or as soon as every invited voter has voted; votes and their comments stay
 * secret until then; several rounds run at once, one per item.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { readAsyncRound, readAsyncRounds } from '../../shared/schema/asyncRound.ts';
import { addItem, getItem } from '../../shared/schema/board.ts';
import { readHistory } from '../../shared/schema/estimation.ts';
import { deadlineKey } from '../../server/estimation/asyncPoker.ts';
import { api, connectSynced, setupBoard, startTestServer, type TestBoard, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
const cleanups: (() => void)[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'Async poker');
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await srv.stop();
});

const track = <T extends { destroy(): void }>(c: T): T => {
  cleanups.push(() => c.destroy());
  return c;
};
const connect = async (token: string, server = srv) =>
  track(await connectSynced(server.wsUrl, tb.boardId, token, { awareness: { viewing: null } }));
const call = (path: string, token: string, body?: unknown, server = srv) =>
  api<Record<string, unknown>>(server.baseUrl, `/api/boards/${tb.boardId}/estimation/async${path}`, { token, body, method: body === undefined ? 'GET' : 'POST' });

async function newItem(po: TestClient, title: string): Promise<ItemId> {
  const id = addItem(po.doc, { title, createdBy: tb.people.po.userId });
  await waitFor(() => {
    const doc = srv.server.rooms.get(tb.boardId)?.doc;
    return doc !== undefined && getItem(doc, id) !== null;
  });
  return id;
}

async function open(itemId: string, deadline: number, voters?: string[]): Promise<number> {
  const res = await call('/start', tb.people.sm.token, { itemId, deadline, ...(voters && { voters }) });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.round as number;
}

/** True once the stored deadline of `round` is gone (its round was revealed). */
const deadlineGone = async (round: number, server = srv) =>
  !(await server.server.storage.dueDeadlines(Number.MAX_SAFE_INTEGER, 1000)).some((d) => d.boardId === tb.boardId && d.key === deadlineKey(round));

/** A WebsocketProvider whose socket records every byte the server sends it. */
function recordingClient(token: string) {
  const frames: Buffer[] = [];
  class RecordingSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: Buffer) => frames.push(Buffer.from(data)));
    }
  }
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(srv.wsUrl, tb.boardId, doc, {
    params: { token },
    disableBc: true,
    // biome-ignore lint/suspicious/noExplicitAny: ws stands in for the DOM WebSocket
    WebSocketPolyfill: RecordingSocket as any,
  });
  track({ destroy: () => provider.destroy() });
  return { doc, provider, bytes: () => Buffer.concat(frames) };
}

describe('async planning poker', () => {
  it('[EST-14] a round reveals at its deadline with no socket open, votes, comments and confidence included', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po, 'Export to CSV');
    const deadline = Date.now() + 1500;
    const round = await open(itemId, deadline);
    const vote = await call('/vote', tb.people.dev.token, { round, value: '8', comment: 'DB migration is the risk', confidence: 'low' });
    expect(vote.status).toBe(200);
    expect((await call('/vote', tb.people.po.token, { round, value: '5', confidence: 'high' })).status).toBe(200);
    for (const c of cleanups.splice(0)) c();
    await waitFor(() => srv.server.connectionCount === 0 && !srv.server.rooms.loadedBoardIds().includes(tb.boardId), {
      message: 'every socket closed and the board unloaded',
    });
    expect(Date.now()).toBeLessThan(deadline);

    await waitFor(() => deadlineGone(round), { timeout: 8000, message: 'the round was revealed at its deadline' });
    expect(srv.server.connectionCount).toBe(0);
    const later = await connect(tb.people.viewer.token);
    const r = readAsyncRound(later.doc, itemId)!;
    expect(r).toMatchObject({ state: 'revealed', revealReason: 'deadline' });
    expect(r.revealedAt).toBeGreaterThanOrEqual(deadline);
    expect(r.results).toEqual({ [tb.people.dev.userId]: '8', [tb.people.po.userId]: '5' });
    expect(r.notes[tb.people.dev.userId]).toEqual({ comment: 'DB migration is the risk', confidence: 'low' });
    expect(r.notes[tb.people.po.userId]).toEqual({ comment: '', confidence: 'high' });
    expect(readHistory(later.doc, itemId).at(-1)).toMatchObject({ async: true, results: r.results });
  });

  it('[EST-14] a round whose deadline passes while the server is down reveals when it starts again', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po, 'SSO login');
    const deadline = Date.now() + 1200;
    const round = await open(itemId, deadline);
    expect((await call('/vote', tb.people.dev.token, { round, value: '13', comment: 'Unknown IdP' })).status).toBe(200);
    for (const c of cleanups.splice(0)) c();
    const dataDir = srv.dataDir;
    await srv.server.stop();
    await waitFor(() => Date.now() > deadline + 50, { timeout: 5000, message: 'deadline passed while down' });
    const again = await startTestServer({ dataDir });
    try {
      await waitFor(() => deadlineGone(round, again), { message: 'revealed on start' });
      const viewer = await connect(tb.people.viewer.token, again);
      expect(readAsyncRound(viewer.doc, itemId)).toMatchObject({
        state: 'revealed',
        revealReason: 'deadline',
        results: { [tb.people.dev.userId]: '13' },
        notes: { [tb.people.dev.userId]: { comment: 'Unknown IdP', confidence: null } },
      });
      for (const c of cleanups.splice(0)) c();
    } finally {
      await again.stop();
    }
  });

  it('[EST-1] [EST-13] nobody else sees a vote or its comment before reveal: not in updates, awareness or HTTP', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po, 'Dark mode');
    const round = await open(itemId, Date.now() + 3_600_000);
    const watcher = recordingClient(tb.people.sm.token);
    await waitFor(() => readAsyncRound(watcher.doc, itemId)?.round === round, { message: 'watcher sees the round' });
    const vote = await call('/vote', tb.people.dev.token, { round, value: '21', comment: 'zebra-comment-42', confidence: 'high' });
    expect(vote.status).toBe(200);
    await waitFor(() => readAsyncRound(watcher.doc, itemId)?.voted.includes(tb.people.dev.userId) === true, {
      message: 'watcher sees who voted',
    });
    const others = await Promise.all(
      [tb.people.sm, tb.people.po, tb.people.stakeholder, tb.people.viewer].map((p) => call('/vote', p.token)),
    );
    for (const res of others) expect(res.body).toEqual({ votes: [] });
    const seen = watcher.bytes().toString('latin1') + JSON.stringify(others.map((o) => o.body));
    expect(seen).not.toContain('zebra-comment-42');
    expect(readAsyncRound(watcher.doc, itemId)?.results).toEqual({});
    expect(readAsyncRound(srv.server.rooms.get(tb.boardId)!.doc, itemId)?.results).toEqual({});
    // The voter reads their own vote back (to show and change it).
    expect((await call('/vote', tb.people.dev.token)).body).toEqual({
      votes: [{ round, itemId, value: '21', comment: 'zebra-comment-42', confidence: 'high' }],
    });
    // At reveal everyone sees it.
    expect((await call('/reveal', tb.people.po.token, { round })).status).toBe(200);
    await waitFor(() => readAsyncRound(watcher.doc, itemId)?.notes[tb.people.dev.userId]?.comment === 'zebra-comment-42');
    expect(readAsyncRound(watcher.doc, itemId)).toMatchObject({ revealReason: 'facilitator', results: { [tb.people.dev.userId]: '21' } });
  });

  it('[EST-14] a round reveals as soon as every invited voter has voted, long before its deadline', async () => {
    const po = await connect(tb.people.po.token);
    await connect(tb.people.dev.token); // present: the server knows Dana as a voter
    const itemId = await newItem(po, 'Invoices');
    const round = await open(itemId, Date.now() + 2 * 24 * 3_600_000, [tb.people.dev.userId, tb.people.po.userId]);
    expect((await call('/vote', tb.people.dev.token, { round, value: '3' })).status).toBe(200);
    expect(readAsyncRound(srv.server.rooms.get(tb.boardId)!.doc, itemId)?.state).toBe('voting');
    // Not invited: refused, and does not count.
    expect((await call('/vote', tb.people.sm.token, { round, value: '5' })).status).toBe(403);
    expect((await call('/vote', tb.people.po.token, { round, value: '5' })).status).toBe(200);
    await waitFor(() => readAsyncRound(po.doc, itemId)?.state === 'revealed', { message: 'revealed when all voted' });
    expect(readAsyncRound(po.doc, itemId)).toMatchObject({
      revealReason: 'all-voted',
      results: { [tb.people.dev.userId]: '3', [tb.people.po.userId]: '5' },
    });
    expect(await deadlineGone(round)).toBe(true);
    // A vote after reveal is refused.
    expect((await call('/vote', tb.people.dev.token, { round, value: '8' })).status).toBe(400);
  });

  it('[EST-15] several rounds run at once, one per item', async () => {
    const po = await connect(tb.people.po.token);
    const a = await newItem(po, 'A');
    const b = await newItem(po, 'B');
    const ra = await open(a, Date.now() + 3_600_000);
    const rb = await open(b, Date.now() + 7_200_000);
    expect(ra).not.toBe(rb);
    const again = await call('/start', tb.people.sm.token, { itemId: a, deadline: Date.now() + 3_600_000 });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('round_open');
    expect((await call('/vote', tb.people.dev.token, { round: rb, value: '2' })).status).toBe(200);
    await waitFor(() => readAsyncRounds(po.doc).length === 2 && readAsyncRound(po.doc, b)?.voted.length === 1);
    expect(readAsyncRound(po.doc, a)?.voted).toEqual([]);
  });

  it('[EST-12] [EST-16] [POL-19] who may open and vote, and what a vote may carry', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po, 'Rules');
    const start = (token: string, body: Record<string, unknown>) => call('/start', token, { itemId, ...body });
    expect((await start(tb.people.dev.token, { deadline: Date.now() + 60_000 })).status).toBe(403);
    expect((await start(tb.people.stakeholder.token, { deadline: Date.now() + 60_000 })).status).toBe(403);
    expect((await start(tb.people.sm.token, { deadline: Date.now() - 1 })).body.code).toBe('invalid_deadline');
    expect((await start(tb.people.sm.token, { deadline: Date.now() + LIMITS.maxAsyncRoundMs + 60_000 })).body.code).toBe('invalid_deadline');
    expect((await start(tb.people.sm.token, { deadline: Date.now() + 60_000, voters: ['u_nobody_known'] })).body.code).toBe('unknown_voter');
    const round = await open(itemId, Date.now() + 3_600_000);
    const vote = (token: string, body: Record<string, unknown>) => call('/vote', token, { round, value: '3', ...body });
    expect((await vote(tb.people.stakeholder.token, {})).status).toBe(403);
    expect((await vote(tb.people.viewer.token, {})).status).toBe(403);
    expect((await vote(tb.people.dev.token, { value: '4' })).body.code).toBe('not_on_deck');
    expect((await vote(tb.people.dev.token, { comment: 'x'.repeat(LIMITS.maxVoteCommentLength + 1) })).body.code).toBe('invalid_note');
    expect((await vote(tb.people.dev.token, { confidence: 'medium' })).body.code).toBe('invalid_note');
    expect((await vote(tb.people.dev.token, { comment: 'x'.repeat(LIMITS.maxVoteCommentLength) })).status).toBe(200);
    expect((await call('/reveal', tb.people.dev.token, { round })).status).toBe(403);
  });
});
