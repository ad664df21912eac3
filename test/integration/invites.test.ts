/**
 * Invite links [INV-1..INV-5]: PO and SM see them again, the PO regenerates and revokes
 * them, and a client holding an old, revoked or expired link is refused on REST and on the
 * socket, while people who joined with it stay on the board.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { apiPaths, inviteLinkPath } from '../../shared/api.ts';
import type { InviteLink, InviteLinksResponse } from '../../shared/invites.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { ROLES } from '../../shared/roles.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import { api, connectSynced, linkToken, rawSocket, setupBoard, startTestServer } from '../helpers/server.ts';
import { useTeardown } from '../helpers/teardown.ts';
import { waitFor } from '../helpers/wait.ts';

describe('invite links', () => {
  const { track, defer } = useTeardown();
  afterEach(() => vi.restoreAllMocks());

  const join = (baseUrl: string, boardId: string, token: string, name = 'Newcomer') =>
    api<{ code?: string; token?: string }>(baseUrl, apiPaths.join(boardId), { token, body: { name } });

  it('[INV-1] PO and SM list one working link per role; developers and viewers may not', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl, 'Checkout refinement');
    for (const role of ['po', 'sm'] as const) {
      const { status, body } = await api<InviteLinksResponse>(server.baseUrl, apiPaths.links(boardId), { token: people[role].token });
      expect(status).toBe(200);
      expect(body.links.map((l) => l.role)).toEqual([...ROLES]);
      for (const link of body.links) {
        expect(link).toMatchObject({ state: 'active', generation: 0, expiresAt: null });
        expect(link.url).toContain(`/b/${boardId}#t=${link.token}`);
      }
      // A listed link joins with its role.
      const dev = body.links.find((l) => l.role === 'dev')!;
      const joined = await join(server.baseUrl, boardId, dev.token!);
      expect(joined.status).toBe(200);
    }
    for (const role of ['dev', 'viewer'] as const) {
      const { status, body } = await api<{ code: string }>(server.baseUrl, apiPaths.links(boardId), { token: people[role].token });
      expect(status).toBe(403);
      expect(body.code).toBe('forbidden_role');
    }
    // A link token is not a person.
    const { board } = await setupBoard(server.baseUrl);
    expect((await api(server.baseUrl, apiPaths.links(board.boardId), { token: linkToken(board, 'po') })).status).toBe(401);
  });

  it('[INV-2] only the PO regenerates or revokes a link', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    for (const role of ['sm', 'dev', 'viewer'] as const) {
      const post = await api<{ code: string }>(server.baseUrl, inviteLinkPath(boardId, 'dev'), { method: 'POST', token: people[role].token, body: {} });
      expect(post.status).toBe(403);
      const del = await api<{ code: string }>(server.baseUrl, inviteLinkPath(boardId, 'dev'), { method: 'DELETE', token: people[role].token });
      expect(del.status).toBe(403);
    }
    expect((await api(server.baseUrl, inviteLinkPath(boardId, 'dev'), { method: 'POST', token: people.po.token, body: { expiresInSeconds: 5 } })).status).toBe(400);
    expect((await api(server.baseUrl, `/api/boards/${boardId}/links/admin`, { method: 'POST', token: people.po.token, body: {} })).status).toBe(404);
  });

  it('[INV-3] [INV-4] a regenerated link replaces the old one: old link 401 on join, 4401 on the socket; members stay', async () => {
    const server = track(await startTestServer());
    const { board, boardId, people } = await setupBoard(server.baseUrl, 'Sprint 15');
    const oldDev = linkToken(board, 'dev');
    const dana = track(await connectSynced(server.wsUrl, boardId, people.dev.token));

    const { status, body: fresh } = await api<InviteLink>(server.baseUrl, inviteLinkPath(boardId, 'dev'), { method: 'POST', token: people.po.token, body: {} });
    expect(status).toBe(200);
    expect(fresh).toMatchObject({ role: 'dev', state: 'active', generation: 1, expiresAt: null });

    // A modified client that kept the old link: refused on every entry, with a reason.
    const refused = await join(server.baseUrl, boardId, oldDev);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('link_revoked');
    expect((await api<{ code: string }>(server.baseUrl, apiPaths.board(boardId), { token: oldDev })).body.code).toBe('link_revoked');
    expect((await rawSocket(server.wsUrl, boardId, oldDev).closed).code).toBe(CloseCode.unauthorized);
    // Other roles' links are untouched; the new one works.
    expect((await join(server.baseUrl, boardId, linkToken(board, 'sm'))).status).toBe(200);
    const newcomer = await join(server.baseUrl, boardId, fresh.token!);
    expect(newcomer.status).toBe(200);

    // Dana joined with the old link and keeps working, even on a new socket.
    addTitled(dana.doc, people.dev.userId, 'Still here');
    const again = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    await waitFor(() => hasItem(again.doc, 'Still here'));
  });

  it('[INV-3] [INV-4] a revoked link joins nobody until the PO makes a new one, across a restart', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-invites-'));
    defer(() => rm(dataDir, { recursive: true, force: true }));
    const first = track(await startTestServer({ dataDir }));
    const { board, boardId, people } = await setupBoard(first.baseUrl);
    const del = await api<InviteLink>(first.baseUrl, inviteLinkPath(boardId, 'viewer'), { method: 'DELETE', token: people.po.token });
    expect(del.body).toMatchObject({ role: 'viewer', state: 'revoked', token: null, url: null });
    await first.stop();

    const server = track(await startTestServer({ dataDir }));
    const refused = await join(server.baseUrl, boardId, linkToken(board, 'viewer'));
    expect(refused).toMatchObject({ status: 401, body: { code: 'link_revoked' } });
    const listed = await api<InviteLinksResponse>(server.baseUrl, apiPaths.links(boardId), { token: people.sm.token });
    expect(listed.body.links.find((l) => l.role === 'viewer')).toMatchObject({ state: 'revoked', generation: 1, token: null });

    const again = await api<InviteLink>(server.baseUrl, inviteLinkPath(boardId, 'viewer'), { method: 'POST', token: people.po.token, body: {} });
    expect(again.body.generation).toBe(2);
    expect((await join(server.baseUrl, boardId, again.body.token!)).status).toBe(200);
  });

  it('[INV-5] an expired link is refused (401 link_expired, 4401) once its time is up', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const t0 = Date.now();
    const { body: link } = await api<InviteLink>(server.baseUrl, inviteLinkPath(boardId, 'dev'), {
      method: 'POST',
      token: people.po.token,
      body: { expiresInSeconds: 3600 },
    });
    expect(link.expiresAt).toBeGreaterThanOrEqual(t0 + 3600_000);
    expect((await join(server.baseUrl, boardId, link.token!, 'Early')).status).toBe(200);

    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 3601_000);
    const late = await join(server.baseUrl, boardId, link.token!, 'Late');
    expect(late).toMatchObject({ status: 401, body: { code: 'link_expired' } });
    expect((await rawSocket(server.wsUrl, boardId, link.token!).closed).code).toBe(CloseCode.unauthorized);
    const listed = await api<InviteLinksResponse>(server.baseUrl, apiPaths.links(boardId), { token: people.po.token });
    expect(listed.body.links.find((l) => l.role === 'dev')).toMatchObject({ state: 'expired', token: null });
  });

  it('[INV-4] a link token with a forged generation is refused', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const future = await server.server.tokens.signLink(boardId, 'po', 7);
    expect((await join(server.baseUrl, boardId, future)).body.code).toBe('link_revoked');
    expect(people.po.role).toBe('po');
  });
});
