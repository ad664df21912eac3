/**
 * Planning poker against a real server with real WebsocketProvider clients: secrecy of
 * votes on the wire (document, awareness, HTTP), the REST contract's errors, changing a
 * vote, auto-reveal, re-vote history, the agreed estimate, non-voters, and votes that
 * survive a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { addItem, getItem } from '../../shared/schema/board.ts';
import { readHistory, readPoker } from '../../shared/schema/estimation.ts';
import {
  api,
  connectSynced,
  joinBoard,
  linkToken,
  setupBoard,
  startTestServer,
  type TestBoard,
  type TestClient,
  type TestServer,
} from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
const cleanups: (() => void)[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'Poker');
});
afterEach(async () => {
  for (const c of cleanups.splice(0)) c();
  await srv.stop();
});

const track = <T extends { destroy(): void }>(c: T): T => {
  cleanups.push(() => c.destroy());
  return c;
};
// An awareness state is how the server knows who is here (auto-reveal); the app sets one.
const connect = async (token: string) =>
  track(await connectSynced(srv.wsUrl, tb.boardId, token, { awareness: { viewing: null } }));
const post = (path: string, token: string, body: unknown, method = 'POST') =>
  api<Record<string, unknown>>(srv.baseUrl, `/api/boards/${tb.boardId}${path}`, { token, body, method });

/** The PO adds an item through their own client (a normal document edit). */
async function newItem(po: TestClient, title = 'Login page'): Promise<ItemId> {
  const id = addItem(po.doc, { title, createdBy: tb.people.po.userId });
  // Accepted by the server (REST reads its doc), not only sent: a new clientID's first
  // update waits for its binding to be stored [AUTH-6].
  await waitFor(() => {
    const doc = srv.server.rooms.get(tb.boardId)?.doc;
    return doc !== undefined && getItem(doc, id) !== null;
  });
  return id;
}

async function startRound(itemId: string, deck?: unknown): Promise<number> {
  const res = await post('/estimation/start', tb.people.sm.token, { itemId, ...(deck !== undefined && { deck }) });
  expect(res.status).toBe(200);
  return res.body.round as number;
}

/** A WebsocketProvider whose socket records every byte the server sends it. */
function recordingClient(token: string) {
  const frames: Buffer[] = [];
  let recording = false;
  class RecordingSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.on('message', (data: Buffer) => {
        if (recording) frames.push(Buffer.from(data));
      });
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
  return {
    doc,
    provider,
    start: () => {
      recording = true;
    },
    bytes: () => Buffer.concat(frames),
  };
}

describe('planning poker', () => {
  it('[EST-1] a vote never reaches anyone else before reveal: not in updates, awareness or HTTP', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const deck = await post('/deck', tb.people.po.token, { cards: ['1', '2', '3', 'zebra-42', '?'] }, 'PUT');
    expect(deck.status).toBe(200);
    const round = await startRound(itemId);

    const watcher = recordingClient(tb.people.sm.token);
    await waitFor(() => readPoker(watcher.doc).round === round && readPoker(watcher.doc).deck.includes('zebra-42'), {
      message: 'watcher sees the round',
    });
    const dev = await connect(tb.people.dev.token);
    watcher.start();

    const vote = await post('/estimation/vote', tb.people.dev.token, { round, value: 'zebra-42' });
    expect(vote.status).toBe(200);
    dev.provider.awareness.setLocalStateField('viewing', itemId);
    await waitFor(() => readPoker(watcher.doc).voted.includes(tb.people.dev.userId), { message: 'watcher sees who voted' });
    await waitFor(
      () => [...watcher.provider.awareness.getStates().values()].some((s) => (s as { viewing?: string }).viewing === itemId),
      { message: 'watcher sees the voter’s awareness' },
    );
    // Other people's HTTP view of the round: their own vote only.
    const smView = await api<Record<string, unknown>>(srv.baseUrl, `/api/boards/${tb.boardId}/estimation/vote`, {
      token: tb.people.sm.token,
    });
    expect(smView.status).toBe(200);
    const boardView = await api(srv.baseUrl, `/api/boards/${tb.boardId}`, { token: tb.people.viewer.token });
    for (const res of [smView, boardView]) expect(JSON.stringify(res.body)).not.toContain('zebra-42');

    expect(watcher.bytes().length).toBeGreaterThan(0);
    expect(watcher.bytes().includes('zebra-42')).toBe(false);
    expect(readPoker(watcher.doc).results).toEqual({});

    const reveal = await post('/estimation/reveal', tb.people.po.token, { round });
    expect(reveal.status).toBe(200);
    await waitFor(() => readPoker(watcher.doc).state === 'revealed', { message: 'watcher sees the reveal' });
    expect(watcher.bytes().includes('zebra-42')).toBe(true);
    expect(readPoker(watcher.doc).results[tb.people.dev.userId]).toBe('zebra-42');
  });

  it('[EST-2] wrong role is 403, unknown round or off-deck value is 400, all with JSON errors', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const checks: [Promise<{ status: number; body: Record<string, unknown> }>, number][] = [
      [post('/estimation/start', tb.people.dev.token, { itemId }), 403],
      [post('/estimation/start', tb.people.viewer.token, { itemId }), 403],
      [post('/estimation/start', tb.people.sm.token, { itemId: 'nope-nope' }), 400],
      [post('/estimation/start', tb.people.sm.token, { itemId, deck: 'tarot' }), 400],
      [post('/deck', tb.people.dev.token, { cards: ['1'] }, 'PUT'), 403],
      [post('/deck', tb.people.po.token, { cards: [] }, 'PUT'), 400],
    ];
    for (const [res, status] of checks) {
      const r = await res;
      expect(r.status).toBe(status);
      expect(typeof r.body.error).toBe('string');
      expect(typeof r.body.code).toBe('string');
    }
    const round = await startRound(itemId, 'tshirt');
    const more: [Promise<{ status: number; body: Record<string, unknown> }>, number][] = [
      [post('/estimation/vote', tb.people.viewer.token, { round, value: 'M' }), 403],
      [post('/estimation/vote', tb.people.dev.token, { round: round + 1, value: 'M' }), 400],
      [post('/estimation/vote', tb.people.dev.token, { round, value: '5' }), 400],
      [post('/estimation/reveal', tb.people.dev.token, { round }), 403],
      [post('/estimation/reveal', tb.people.sm.token, { round: 99 }), 400],
      [post('/estimation/agree', tb.people.dev.token, { itemId, value: 'M' }), 403],
      [post('/estimation/vote', tb.people.dev.token, { round, value: 'M' }), 200],
    ];
    for (const [res, status] of more) {
      const r = await res;
      expect(r.status, JSON.stringify(r.body)).toBe(status);
      if (status !== 200) expect(typeof r.body.code).toBe('string');
    }
    // Another board's token is refused too.
    const other = await setupBoard(srv.baseUrl, 'Other');
    expect((await post('/estimation/vote', other.people.dev.token, { round, value: 'M' })).status).toBe(403);
  });

  it('[EST-3] a voter changes their vote until reveal; the last one counts', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const round = await startRound(itemId);
    expect((await post('/estimation/vote', tb.people.dev.token, { round, value: '3' })).status).toBe(200);
    expect((await post('/estimation/vote', tb.people.dev.token, { round, value: '5' })).status).toBe(200);
    const mine = await api<{ value: string }>(srv.baseUrl, `/api/boards/${tb.boardId}/estimation/vote`, {
      token: tb.people.dev.token,
    });
    expect(mine.body.value).toBe('5');
    const reveal = await post('/estimation/reveal', tb.people.po.token, { round });
    expect(reveal.body.results).toEqual({ [tb.people.dev.userId]: '5' });
    expect((await post('/estimation/vote', tb.people.dev.token, { round, value: '8' })).status).toBe(400);
    await waitFor(() => readPoker(po.doc).results[tb.people.dev.userId] === '5');
  });

  it('[EST-3] votes racing a reveal are either in the results or refused, never silently lost', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const round = await startRound(itemId);
    const devs = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i) => joinBoard(srv.baseUrl, tb.boardId, linkToken(tb.board, 'dev'), `Dev ${i}`)),
    );
    await post('/estimation/vote', devs[0]!.token, { round, value: '1' });
    const votes = devs.map((d, i) => post('/estimation/vote', d.token, { round, value: String([1, 2, 3, 5, 8, 13][i]) }));
    const reveal = post('/estimation/reveal', tb.people.sm.token, { round });
    const [answers, revealed] = await Promise.all([Promise.all(votes), reveal]);
    expect(revealed.status).toBe(200);
    const doc = srv.server.rooms.get(tb.boardId)!.doc;
    const { results, voted } = readPoker(doc);
    expect(Object.keys(results).sort()).toEqual([...voted].sort());
    answers.forEach((a, i) => {
      if (a.status === 200) expect(results[devs[i]!.userId]).toBe(a.body.value);
      else expect(a.status).toBe(400);
    });
  });

  it('[EST-4] auto-reveal fires when every connected voter has voted; non-voters and viewers do not count', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const sm = await connect(tb.people.sm.token);
    const dev = await connect(tb.people.dev.token);
    await connect(tb.people.viewer.token);
    // Everyone's awareness must have reached the server for it to know who is here.
    await waitFor(() => (srv.server.rooms.get(tb.boardId)?.awareness.getStates().size ?? 0) >= 4, { message: 'presence' });
    expect((await post('/estimation/options', tb.people.sm.token, { autoReveal: true }, 'PUT')).status).toBe(200);
    expect((await post('/estimation/participation', tb.people.po.token, { voting: false })).status).toBe(200);
    const round = await startRound(itemId);
    expect((await post('/estimation/vote', tb.people.sm.token, { round, value: '5' })).status).toBe(200);
    // The vote's response comes after any auto-reveal it triggered: still voting on the server.
    expect(readPoker(srv.server.rooms.get(tb.boardId)!.doc).state).toBe('voting');
    expect(readPoker(sm.doc).state).toBe('voting');
    expect((await post('/estimation/vote', tb.people.dev.token, { round, value: '8' })).status).toBe(200);
    await waitFor(() => readPoker(dev.doc).state === 'revealed', { message: 'auto-reveal' });
    expect(readPoker(dev.doc).results).toEqual({ [tb.people.sm.userId]: '5', [tb.people.dev.userId]: '8' });
  });

  it('[EST-4] auto-reveal also fires when the last voter who had not voted leaves', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    await connect(tb.people.sm.token);
    const dev = await connect(tb.people.dev.token);
    await waitFor(() => (srv.server.rooms.get(tb.boardId)?.awareness.getStates().size ?? 0) >= 3, { message: 'presence' });
    expect((await post('/estimation/options', tb.people.sm.token, { autoReveal: true }, 'PUT')).status).toBe(200);
    expect((await post('/estimation/participation', tb.people.po.token, { voting: false })).status).toBe(200);
    const round = await startRound(itemId);
    expect((await post('/estimation/vote', tb.people.sm.token, { round, value: '5' })).status).toBe(200);
    // Dana has not voted, so the round waits for her...
    expect(readPoker(srv.server.rooms.get(tb.boardId)!.doc).state).toBe('voting');
    // ...until she closes the board: everyone still here has voted.
    dev.destroy();
    await waitFor(() => readPoker(po.doc).state === 'revealed', { message: 'auto-reveal after the non-voter left' });
    expect(readPoker(po.doc).results).toEqual({ [tb.people.sm.userId]: '5' });
  });

  it('[EST-5] a re-vote starts a new round and keeps the earlier ones in the item history', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const r1 = await startRound(itemId);
    await post('/estimation/vote', tb.people.dev.token, { round: r1, value: '3' });
    await post('/estimation/reveal', tb.people.sm.token, { round: r1 });
    const r2 = await startRound(itemId);
    expect(r2).toBe(r1 + 1);
    await waitFor(() => readPoker(po.doc).round === r2 && Object.keys(readPoker(po.doc).results).length === 0);
    await post('/estimation/vote', tb.people.dev.token, { round: r2, value: '5' });
    await post('/estimation/reveal', tb.people.sm.token, { round: r2 });
    await waitFor(() => readHistory(po.doc, itemId).length === 2, { message: 'two rounds in history' });
    expect(readHistory(po.doc, itemId).map((r) => r.results[tb.people.dev.userId])).toEqual(['3', '5']);
    expect(readHistory(po.doc, itemId)[0]!.names[tb.people.dev.userId]).toBe('Dana Dev');
  });

  it('[EST-1] a round replaced before reveal never reveals its votes, and the server forgets them', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const r1 = await startRound(itemId);
    await post('/estimation/vote', tb.people.dev.token, { round: r1, value: '21' });
    expect(await srv.server.storage.getPrivate(tb.boardId, `poker:vote:${r1}:${tb.people.dev.userId}`)).not.toBeNull();
    const r2 = await startRound(itemId);
    await post('/estimation/reveal', tb.people.sm.token, { round: r2 });
    expect(await srv.server.storage.getPrivate(tb.boardId, `poker:vote:${r1}:${tb.people.dev.userId}`)).toBeNull();
    await waitFor(() => readPoker(po.doc).state === 'revealed');
    expect(readPoker(po.doc).results).toEqual({});
    expect(readHistory(po.doc, itemId).map((r) => r.results)).toEqual([{}]);
  });

  it('[UX-4] cancelling a round reveals nothing, stores no result and forgets the votes; only a facilitator may', async () => {
    const po = await connect(tb.people.po.token);
    const dev = await connect(tb.people.dev.token);
    const itemId = await newItem(po);
    const r1 = await startRound(itemId, 'tshirt');
    await post('/estimation/vote', tb.people.dev.token, { round: r1, value: 'M' });
    await waitFor(() => readPoker(dev.doc).voted.length === 1);
    expect((await post('/estimation/cancel', tb.people.dev.token, { round: r1 })).status).toBe(403);
    expect((await post('/estimation/cancel', tb.people.sm.token, { round: r1 + 1 })).status).toBe(400);
    const res = await post('/estimation/cancel', tb.people.sm.token, { round: r1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ round: r1, cancelled: true });
    await waitFor(() => readPoker(dev.doc).itemId === null, { message: 'the cancel reaches the developer' });
    const after = readPoker(dev.doc);
    expect(after.voted).toEqual([]);
    expect(after.results).toEqual({});
    expect(readHistory(dev.doc, itemId)).toEqual([]);
    expect(await srv.server.storage.getPrivate(tb.boardId, `poker:vote:${r1}:${tb.people.dev.userId}`)).toBeNull();
    // A cancelled round takes no votes, cannot be revealed and cannot be cancelled twice.
    expect((await post('/estimation/vote', tb.people.dev.token, { round: r1, value: 'L' })).status).toBe(400);
    expect((await post('/estimation/reveal', tb.people.sm.token, { round: r1 })).status).toBe(400);
    expect((await post('/estimation/cancel', tb.people.po.token, { round: r1 })).status).toBe(400);
    // Re-vote with the cancelled round's cards: a new round number, same deck.
    const r2 = await startRound(itemId, ['XS', 'S', 'M', 'L', 'XL', '?', '☕']);
    expect(r2).toBe(r1 + 1);
    await waitFor(() => readPoker(dev.doc).round === r2);
    expect(readPoker(dev.doc).deck).toContain('XL');
  });

  it('[EST-6] the PO or SM sets the agreed estimate, any value, on the item', async () => {
    const po = await connect(tb.people.po.token);
    const dev = await connect(tb.people.dev.token);
    const itemId = await newItem(po);
    await startRound(itemId);
    expect((await post('/estimation/agree', tb.people.po.token, { value: '8' })).status).toBe(200);
    await waitFor(() => getItem(dev.doc, itemId)?.estimate === '8', { message: 'estimate reaches the developer' });
    expect((await post('/estimation/agree', tb.people.sm.token, { itemId, value: 'two days' })).status).toBe(200);
    await waitFor(() => getItem(dev.doc, itemId)?.estimate === 'two days');
    expect((await post('/estimation/agree', tb.people.dev.token, { itemId, value: '1' })).status).toBe(403);
  });

  it('[EST-8] someone who marked themselves non-voting cannot vote until they opt back in', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const round = await startRound(itemId);
    expect((await post('/estimation/participation', tb.people.dev.token, { voting: false })).status).toBe(200);
    await waitFor(() => readPoker(po.doc).nonVoters.includes(tb.people.dev.userId));
    const refused = await post('/estimation/vote', tb.people.dev.token, { round, value: '3' });
    expect(refused.status).toBe(403);
    expect((await post('/estimation/participation', tb.people.dev.token, { voting: true })).status).toBe(200);
    expect((await post('/estimation/vote', tb.people.dev.token, { round, value: '3' })).status).toBe(200);
  });

  it('[EST-9] votes cast before a restart are revealed after it', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = await newItem(po);
    const round = await startRound(itemId);
    const bob = await joinBoard(srv.baseUrl, tb.boardId, linkToken(tb.board, 'dev'), 'Bob');
    await post('/estimation/vote', tb.people.dev.token, { round, value: '13' });
    await post('/estimation/vote', bob.token, { round, value: '2' });
    for (const c of cleanups.splice(0)) c();
    const dataDir = srv.dataDir;
    await srv.server.stop();
    const again = await startTestServer({ dataDir });
    try {
      const res = await api<{ results: Record<string, string> }>(again.baseUrl, `/api/boards/${tb.boardId}/estimation/reveal`, {
        token: tb.people.po.token,
        body: { round },
      });
      expect(res.status).toBe(200);
      expect(res.body.results).toEqual({ [tb.people.dev.userId]: '13', [bob.userId]: '2' });
    } finally {
      await again.stop();
    }
  });
});
