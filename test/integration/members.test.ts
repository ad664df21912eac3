/**
 * Board members [MEM-1..MEM-3]: the server lists the people who joined, by the name and
 * role of their personal tokens, whether they are online or not, for everyone on the board.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiPaths, memberPath } from '../../shared/api.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { MembersResponse } from '../../shared/members.ts';
import { api, connectSynced, joinBoard, linkToken, rawSocket, setupBoard, startTestServer } from '../helpers/server.ts';
import { useTeardown } from '../helpers/teardown.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

describe('board members', () => {
  const { track, defer } = useTeardown();

  const members = async (baseUrl: string, boardId: string, token: string) => {
    const { status, body } = await api<MembersResponse>(baseUrl, apiPaths.members(boardId), { token });
    expect(status).toBe(200);
    return body.members;
  };

  it('[MEM-1][MEM-2] everyone who joined is listed by name with their role, to every role, with nobody online', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl, 'Members');
    for (const role of ['po', 'dev', 'viewer', 'stakeholder'] as const) {
      const list = await members(server.baseUrl, boardId, people[role].token);
      expect(list.map((m) => [m.name, m.role])).toEqual([
        ['Dana Dev', 'dev'],
        ['Paula PO', 'po'],
        ['Sam SM', 'sm'],
        ['Stella Stakeholder', 'stakeholder'],
        ['Vic Viewer', 'viewer'],
      ]);
      expect(list.find((m) => m.role === 'dev')?.id).toBe(people.dev.userId);
    }
  });

  it('[MEM-1] survives a restart, and a socket that opens moves lastSeenAt but keeps joinedAt', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'members-'));
    defer(() => rm(dataDir, { recursive: true, force: true }));
    const server = await startTestServer({ dataDir });
    const { boardId, people } = await setupBoard(server.baseUrl);
    const before = (await members(server.baseUrl, boardId, people.po.token)).find((m) => m.id === people.dev.userId)!;
    await new Promise((r) => setTimeout(r, 5));
    const dev = await connectSynced(server.wsUrl, boardId, people.dev.token);
    defer(() => dev.destroy());
    await waitFor(async () => {
      const now = (await members(server.baseUrl, boardId, people.po.token)).find((m) => m.id === people.dev.userId)!;
      return now.lastSeenAt > before.lastSeenAt && now.joinedAt === before.joinedAt;
    });
    dev.destroy();
    await server.stop();
    const again = track(await startTestServer({ dataDir }));
    const list = await members(again.baseUrl, boardId, people.po.token);
    expect(list).toHaveLength(5);
  });

  it('[MEM-2] a link token, another board\'s token and an unknown board are refused', async () => {
    const server = track(await startTestServer());
    const a = await setupBoard(server.baseUrl);
    const b = await setupBoard(server.baseUrl);
    expect((await api(server.baseUrl, apiPaths.members(a.boardId), { token: linkToken(a.board, 'po') })).status).toBe(401);
    expect((await api(server.baseUrl, apiPaths.members(a.boardId), { token: b.people.po.token })).status).toBe(403);
    expect((await api(server.baseUrl, apiPaths.members(a.boardId))).status).toBe(401);
    // Joining twice with one link makes two people (two personal tokens), both listed.
    await joinBoard(server.baseUrl, a.boardId, linkToken(a.board, 'dev'), 'Dana Dev');
    const list = await members(server.baseUrl, a.boardId, a.people.sm.token);
    expect(list.filter((m) => m.name === 'Dana Dev')).toHaveLength(2);
  });

  it('[MEM-4] the PO removes a person: their open socket closes with 4401, their token is refused on REST and on a new socket', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl, 'Removal');
    const dev = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    // Only the PO, never themself, only a member of this board.
    const path = (userId: string) => memberPath(boardId, userId);
    expect((await api(server.baseUrl, path(people.dev.userId), { method: 'DELETE', token: people.sm.token })).status).toBe(403);
    expect((await api(server.baseUrl, path(people.po.userId), { method: 'DELETE', token: people.po.token })).status).toBe(400);
    expect((await api(server.baseUrl, path('nobody-here-123'), { method: 'DELETE', token: people.po.token })).status).toBe(404);
    const removed = await api(server.baseUrl, path(people.dev.userId), { method: 'DELETE', token: people.po.token });
    expect(removed).toEqual({ status: 200, body: { removed: people.dev.userId } });
    expect(await withTimeout(dev.firstClose, 5000, 'eviction')).toBe(CloseCode.unauthorized);
    // The signed token still verifies, but the board no longer takes it.
    const rest = await api<{ code: string }>(server.baseUrl, apiPaths.members(boardId), { token: people.dev.token });
    expect(rest).toMatchObject({ status: 401, body: { code: 'member_removed' } });
    const renew = await api<{ code: string }>(server.baseUrl, apiPaths.renewToken(boardId), { method: 'POST', token: people.dev.token, body: {} });
    expect(renew.body.code).toBe('member_removed');
    const again = rawSocket(server.wsUrl, boardId, people.dev.token);
    expect((await again.closed).code).toBe(CloseCode.unauthorized);
    // Not listed any more; everyone else is untouched.
    const list = await members(server.baseUrl, boardId, people.po.token);
    expect(list.map((m) => m.name)).toEqual(['Paula PO', 'Sam SM', 'Stella Stakeholder', 'Vic Viewer']);
    expect((await api(server.baseUrl, path(people.dev.userId), { method: 'DELETE', token: people.po.token })).status).toBe(404);
  });
});
