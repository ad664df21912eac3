/**
 * Hardening against a modified client, beyond its writes: sockets per person, awareness
 * size and client-id ownership, personal token lifetime and renewal.
 */
import { SignJWT } from 'jose';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import type { JoinResponse } from '../../shared/api.ts';
import { apiPaths } from '../../shared/api.ts';
import type { BoardId } from '../../shared/ids.ts';
import { encodeAwareness } from '../../shared/codec.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { AwarenessState } from '../../shared/protocol.ts';
import { CloseCode, FINAL_CLOSE_CODES, MessageType } from '../../shared/protocol.ts';
import type { Room } from '../../server/rooms/room.ts';
import {
  api,
  connectSynced,
  controlMessages,
  linkToken,
  rawSocket,
  setupBoard,
  startTestServer,
  TEST_SECRET,
  type TestServer,
} from '../helpers/server.ts';
import { useTeardown } from '../helpers/teardown.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

/** An awareness frame (message type 1) carrying raw entries, JSON written as given. */
function awarenessFrame(entries: Array<{ clientId: number; clock: number; json: string }>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(inner, e.clientId);
    encoding.writeVarUint(inner, e.clock);
    encoding.writeVarString(inner, e.json);
  }
  return encodeAwareness(encoding.toUint8Array(inner));
}

const room = (server: TestServer, boardId: string): Room => {
  const r = server.server.rooms.get(boardId as BoardId);
  if (!r) throw new Error('board not loaded');
  return r;
};

const serverState = (server: TestServer, boardId: string, clientId: number) =>
  server.server.rooms.get(boardId as BoardId)?.awareness.getStates().get(clientId) as
    | (AwarenessState & Record<string, unknown>)
    | undefined;

const secret = new TextEncoder().encode(TEST_SECRET);
const nowSec = () => Math.floor(Date.now() / 1000);

/** A personal token signed with the test server's secret, with chosen times. */
function personalToken(p: JoinResponse, times: { iat?: number; exp?: number }): Promise<string> {
  let jwt = new SignJWT({ kind: 'user', board: p.boardId, role: p.role, userId: p.userId, name: p.name })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('refinement-board');
  if (times.iat !== undefined) jwt = jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt = jwt.setExpirationTime(times.exp);
  return jwt.sign(secret);
}

const claimsOf = (token: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('hardening against a modified client', () => {
  const { track, defer } = useTeardown();

  it('[SRV-13] one person holds at most maxSocketsPerUser sockets per board (4431, not final)', async () => {
    expect(LIMITS.maxSocketsPerUser).toBe(8);
    expect(FINAL_CLOSE_CODES.has(CloseCode.tooManySockets)).toBe(false);
    const server = track(await startTestServer({ config: { limits: { maxSocketsPerUser: 3 } } }));
    const { boardId, people } = await setupBoard(server.baseUrl);
    const tabs = await Promise.all([0, 1, 2].map(() => connectSynced(server.wsUrl, boardId, people.dev.token)));
    for (const t of tabs) track(t);

    const fourth = rawSocket(server.wsUrl, boardId, people.dev.token);
    defer(() => fourth.ws.terminate());
    const closed = await withTimeout(fourth.closed, 5000, 'the fourth socket is refused');
    expect(closed.code).toBe(CloseCode.tooManySockets);
    const [error] = controlMessages(fourth.messages);
    expect(error).toMatchObject({ type: 'error', code: CloseCode.tooManySockets });
    // Nothing of the board was sent before the refusal.
    expect(fourth.messages.every((m) => m[0] === MessageType.control)).toBe(true);

    // Everyone else still gets in.
    track(await connectSynced(server.wsUrl, boardId, people.sm.token));

    // Closing a tab frees a slot: the code is not final.
    tabs[0]!.destroy();
    await waitFor(() => room(server, boardId).clientCount === 3, { message: 'the closed tab is gone' });
    track(await connectSynced(server.wsUrl, boardId, people.dev.token));
  });

  it('[SRV-14] an awareness state over maxAwarenessStateBytes is dropped, never kept or relayed', async () => {
    expect(LIMITS.maxAwarenessStateBytes).toBe(4096);
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const observer = track(await connectSynced(server.wsUrl, boardId, people.viewer.token, { awareness: {} }));
    const raw = rawSocket(server.wsUrl, boardId, people.dev.token);
    defer(() => raw.ws.terminate());
    await raw.opened;

    const big = JSON.stringify({ viewing: 'x'.repeat(LIMITS.maxAwarenessStateBytes) });
    const fits = JSON.stringify({ viewing: 'y'.repeat(3000) });
    raw.ws.send(awarenessFrame([{ clientId: 5001, clock: 1, json: big }]));
    raw.ws.send(awarenessFrame([{ clientId: 5002, clock: 1, json: fits }]));
    await waitFor(() => observer.provider.awareness.getStates().has(5002), { message: 'the small state arrives' });
    expect(observer.provider.awareness.getStates().has(5001)).toBe(false);
    expect(serverState(server, boardId, 5001)).toBeUndefined();
    // The raw socket stays open and the dropped id was not spent: a small state for it passes.
    raw.ws.send(awarenessFrame([{ clientId: 5001, clock: 2, json: '{"viewing":"ok"}' }]));
    await waitFor(() => serverState(server, boardId, 5001)?.viewing === 'ok', { message: 'a small state for 5001' });
    expect(serverState(server, boardId, 5001)!.user.name).toBe('Dana Dev');
  });

  it('[AUTH-7] a departed person\'s awareness id is not taken by the peers that echo its removal', async () => {
    // y-websocket re-broadcasts every awareness change it hears, removals included: when A
    // leaves, every peer sends "A's id: null" back. That must not hand A's id to the peer.
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const a = track(await connectSynced(server.wsUrl, boardId, people.dev.token, { awareness: { viewing: 'a1' } }));
    const b = track(await connectSynced(server.wsUrl, boardId, people.sm.token, { awareness: {} }));
    const aId = a.doc.clientID;
    await waitFor(() => b.provider.awareness.getStates().has(aId), { message: 'B sees A' });

    // A's connection drops without a goodbye (network loss, a crashed tab): the server
    // removes A's state itself, and B echoes that removal. (A's provider waits to reconnect.)
    a.provider.shouldConnect = false;
    a.provider.ws?.close();
    await waitFor(() => !b.provider.awareness.getStates().has(aId), { message: 'A leaves' });
    // B's frames are handled in order: once its marker is in, its echo of A's removal was too.
    b.provider.awareness.setLocalStateField('viewing', 'marker');
    await waitFor(() => serverState(server, boardId, b.doc.clientID)?.viewing === 'marker', { message: 'B marker' });

    // A reconnects with the same awareness id (y-websocket keeps doc.clientID) and is seen again.
    a.provider.connect();
    const seen = await waitFor(() => b.provider.awareness.getStates().get(aId) as AwarenessState | undefined, {
      message: 'B sees A again after reconnect',
    });
    expect(seen.user.id).toBe(people.dev.userId);
  });

  it('[AUTH-7] awareness ids stay bound to their first user: nobody else claims or shadows them', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const a = track(await connectSynced(server.wsUrl, boardId, people.dev.token, { awareness: { viewing: 'a1' } }));
    const observer = track(await connectSynced(server.wsUrl, boardId, people.viewer.token, { awareness: {} }));
    const aId = a.doc.clientID;
    await waitFor(() => observer.provider.awareness.getStates().has(aId));

    // A socket of the same person may take its id over (a reconnect the server has not
    // noticed as a drop yet): the state is still pinned to that person.
    const again = rawSocket(server.wsUrl, boardId, people.dev.token);
    defer(() => again.ws.terminate());
    await again.opened;
    again.ws.send(awarenessFrame([{ clientId: aId, clock: 1000, json: '{"viewing":"a2"}' }]));
    await waitFor(() => serverState(server, boardId, aId)?.viewing === 'a2', { message: 'same-user takeover' });

    a.destroy();
    again.ws.close();
    await waitFor(() => !observer.provider.awareness.getStates().has(aId), { message: 'A gone' });

    // Mallory (another person) tries to claim the freed id and to write under it.
    const mallory = rawSocket(server.wsUrl, boardId, people.po.token);
    defer(() => mallory.ws.terminate());
    await mallory.opened;
    mallory.ws.send(awarenessFrame([{ clientId: aId, clock: 5000, json: '{"viewing":"shadow"}' }]));
    mallory.ws.send(awarenessFrame([{ clientId: 777001, clock: 1, json: '{"viewing":"marker"}' }]));
    await waitFor(() => serverState(server, boardId, 777001)?.viewing === 'marker', { message: 'mallory marker' });
    expect(serverState(server, boardId, aId)).toBeUndefined();
    expect(observer.provider.awareness.getStates().has(aId)).toBe(false);

    // A comes back with the same id (a raw socket speaking for A's old doc) and is seen.
    const back = rawSocket(server.wsUrl, boardId, people.dev.token);
    defer(() => back.ws.terminate());
    await back.opened;
    back.ws.send(awarenessFrame([{ clientId: aId, clock: 6000, json: '{"viewing":"back"}' }]));
    const seen = await waitFor(() => observer.provider.awareness.getStates().get(aId) as AwarenessState | undefined, {
      message: 'A seen again',
    });
    expect(seen.user.id).toBe(people.dev.userId);
    expect((seen as AwarenessState & { viewing?: string }).viewing).toBe('back');
  });

  it('[AUTH-8] personal tokens expire after personalTokenTtlSeconds; link tokens do not', async () => {
    const server = track(await startTestServer());
    const { board, boardId, people } = await setupBoard(server.baseUrl);
    const dev = people.dev as JoinResponse & { expiresAt?: number };
    const claims = claimsOf(dev.token);
    expect(claims.exp).toBe((claims.iat as number) + 30 * 24 * 3600);
    expect(dev.expiresAt).toBe((claims.exp as number) * 1000);
    expect(claimsOf(linkToken(board, 'dev')).exp).toBeUndefined();

    const short = track(await startTestServer({ config: { personalTokenTtlSeconds: 3600 } }));
    const s = await setupBoard(short.baseUrl);
    const c = claimsOf(s.people.sm.token);
    expect((c.exp as number) - (c.iat as number)).toBe(3600);

    // An expired token: 4401 on the socket, 401 token_expired on REST.
    const expired = await personalToken(dev, { iat: nowSec() - 7200, exp: nowSec() - 60 });
    const sock = rawSocket(server.wsUrl, boardId, expired);
    const closed = await sock.closed;
    expect(closed.code).toBe(CloseCode.unauthorized);
    expect(controlMessages(sock.messages)[0]).toMatchObject({ code: CloseCode.unauthorized, reason: expect.stringMatching(/expired/) });
    const rest = await api<{ code: string; error: string }>(server.baseUrl, apiPaths.board(boardId), { token: expired });
    expect(rest.status).toBe(401);
    expect(rest.body.code).toBe('token_expired');
    expect(rest.body.error).toMatch(/expired/i);
  });

  it('[AUTH-8] a token from before expiry existed counts from its iat: recent ones work, old ones are expired', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const recent = await personalToken(people.dev, { iat: nowSec() - 3600 });
    track(await connectSynced(server.wsUrl, boardId, recent));
    const renewed = await api<JoinResponse>(server.baseUrl, apiPaths.renewToken(boardId), { method: 'POST', token: recent });
    expect(renewed.status).toBe(200);
    expect(claimsOf(renewed.body.token).exp).toBeTypeOf('number');

    const old = await personalToken(people.dev, { iat: nowSec() - 31 * 24 * 3600 });
    expect((await rawSocket(server.wsUrl, boardId, old).closed).code).toBe(CloseCode.unauthorized);
    const rest = await api<{ code: string }>(server.baseUrl, apiPaths.board(boardId), { token: old });
    expect([rest.status, rest.body.code]).toEqual([401, 'token_expired']);
    const noTimes = await personalToken(people.dev, {});
    expect((await rawSocket(server.wsUrl, boardId, noTimes).closed).code).toBe(CloseCode.unauthorized);
  });

  it('[AUTH-9] POST /api/boards/:id/token renews a valid personal token: same person, later expiry', async () => {
    const server = track(await startTestServer());
    const { board, boardId, people } = await setupBoard(server.baseUrl);
    const other = await setupBoard(server.baseUrl, 'other');
    // A token issued 10 days ago, valid for 20 more.
    const aging = await personalToken(people.sm, { iat: nowSec() - 10 * 24 * 3600, exp: nowSec() + 20 * 24 * 3600 });
    const res = await api<JoinResponse & { expiresAt: number }>(server.baseUrl, apiPaths.renewToken(boardId), {
      method: 'POST',
      token: aging,
    });
    expect(res.status).toBe(200);
    const { token, expiresAt, ...who } = res.body;
    expect(who).toEqual({ boardId, userId: people.sm.userId, role: 'sm', name: 'Sam SM' });
    const fresh = claimsOf(token);
    expect(fresh).toMatchObject({ kind: 'user', board: boardId, role: 'sm', userId: people.sm.userId, name: 'Sam SM' });
    expect(fresh.exp as number).toBeGreaterThan(nowSec() + 29 * 24 * 3600);
    expect(expiresAt).toBe((fresh.exp as number) * 1000);
    const client = track(await connectSynced(server.wsUrl, boardId, token));
    await waitFor(() => client.controls.find((c) => c.type === 'welcome'));
    expect(client.controls.find((c) => c.type === 'welcome')).toMatchObject({ userId: people.sm.userId, role: 'sm' });

    const post = (t: string | undefined, id: string = boardId) =>
      api<{ code: string }>(server.baseUrl, apiPaths.renewToken(id), { method: 'POST', ...(t && { token: t }) });
    expect((await post(undefined)).status).toBe(401);
    expect((await post(linkToken(board, 'sm'))).body.code).toBe('personal_token_required');
    expect((await post(people.sm.token, other.boardId)).body.code).toBe('wrong_board');
    const expired = await personalToken(people.sm, { iat: nowSec() - 7200, exp: nowSec() - 1 });
    const late = await post(expired);
    expect([late.status, late.body.code]).toEqual([401, 'token_expired']);
    const wrongMethod = await api(server.baseUrl, apiPaths.renewToken(boardId), { token: people.sm.token });
    expect(wrongMethod.status).toBe(405);
  });
});
