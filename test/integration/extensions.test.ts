/**
 * The extension points other features build on (server/extensions.ts): the update gate,
 * server-side changes through a BoardHandle, extra REST routes; plus background compaction.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { UpdateGate } from '../../server/extensions.ts';
import type { Route } from '../../server/http/router.ts';
import { api, connectSynced, setupBoard, startTestServer } from '../helpers/server.ts';
import { addTitled, hasItem, itemTitles } from '../helpers/board.ts';
import { waitFor } from '../helpers/wait.ts';
import { useTeardown } from '../helpers/teardown.ts';

/** Refuses any update that writes to the `estimation` root map. */
const estimationIsServerOnly: UpdateGate = {
  check({ doc, update }) {
    const probe = new Y.Doc();
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc));
    let touched = false;
    probe.getMap('estimation').observeDeep(() => {
      touched = true;
    });
    Y.applyUpdate(probe, update);
    probe.destroy();
    return touched ? { ok: false, rule: 'TEST-1', reason: 'estimation is written by the server' } : { ok: true };
  },
};

describe('server extension points', () => {
  const { track } = useTeardown();

  it('[SRV-8] a rejected update is not applied or relayed; its sender is told why and closed with 4422', async () => {
    const server = track(await startTestServer({ options: { updateGate: estimationIsServerOnly } }));
    const { boardId, people } = await setupBoard(server.baseUrl);
    const cheat = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    const other = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    cheat.doc.getMap('estimation').set('state', 'revealed');
    expect(await cheat.firstClose).toBe(CloseCode.policyViolation);
    expect(cheat.controls).toContainEqual({
      type: 'update-rejected',
      rule: 'TEST-1',
      reason: 'estimation is written by the server',
    });
    addTitled(other.doc, people.po.userId, 'fine');
    const fresh = track(await connectSynced(server.wsUrl, boardId, people.sm.token));
    await waitFor(() => hasItem(fresh.doc, 'fine'));
    expect(fresh.doc.getMap('estimation').get('state')).toBe('voting');
    expect(other.doc.getMap('estimation').get('state')).toBe('voting');
  });

  it('BoardHandle.change persists and relays a server-side change', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const client = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    await server.server.withBoard(boardId as BoardId, (board) =>
      board.change((doc) => doc.getMap('estimation').set('state', 'revealed')),
    );
    await waitFor(() => client.doc.getMap('estimation').get('state') === 'revealed');
    const stored = (await server.server.storage.loadBoard(boardId as BoardId))!;
    const rebuilt = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(rebuilt, stored.snapshot);
    for (const u of stored.updates) Y.applyUpdate(rebuilt, u.data);
    expect(rebuilt.getMap('estimation').get('state')).toBe('revealed');
  });

  it('extra routes get the verified user and a loaded board', async () => {
    const whoami: Route = {
      method: 'GET',
      path: '/api/boards/:id/whoami',
      async handler({ params, user, services }) {
        const me = await user(params.id);
        const title = await services.withBoard(me.boardId, (b) => b.doc.getMap('meta').get('title'));
        return { status: 200, body: { name: me.name, role: me.role, title } };
      },
    };
    const server = track(await startTestServer({ options: { routes: [whoami] } }));
    const { boardId, people } = await setupBoard(server.baseUrl, 'Hooks');
    const res = await api(server.baseUrl, `/api/boards/${boardId}/whoami`, { token: people.sm.token });
    expect(res).toEqual({ status: 200, body: { name: 'Sam SM', role: 'sm', title: 'Hooks' } });
  });

  it('[SRV-5] the update log is compacted in the background once it passes the threshold', async () => {
    const server = track(await startTestServer({ config: { compactionThreshold: 10 } }));
    const { boardId, people } = await setupBoard(server.baseUrl);
    const a = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    const b = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    for (let i = 0; i < 40; i++) {
      addTitled(a.doc, people.dev.userId, `k${i}`);
      await waitFor(() => hasItem(b.doc, `k${i}`));
    }
    await waitFor(async () => (await server.server.storage.pendingUpdateCount(boardId as BoardId)) < 10, {
      message: 'log compacted',
    });
    const stored = (await server.server.storage.loadBoard(boardId as BoardId))!;
    expect(stored.snapshot).not.toBeNull();
    const late = track(await connectSynced(server.wsUrl, boardId, people.sm.token));
    expect(itemTitles(late.doc)).toHaveLength(40);
  });
});
