/**
 * Real server on port 0, real WebsocketProvider clients: syncing, concurrent moves,
 * persistence across a restart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ItemId, UserId } from '../../shared/ids.ts';
import { addItem, listItems, moveItem, setItemTitle } from '../../shared/schema/board.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { TestClient } from '../helpers/server.ts';
import { connectSynced, setupBoard, startTestServer, waitForConvergence } from '../helpers/server.ts';
import { addTitled, itemTitles } from '../helpers/board.ts';
import { waitFor } from '../helpers/wait.ts';
import { useTeardown } from '../helpers/teardown.ts';

const titles = (client: TestClient) => listItems(client.doc).map((i) => i.title);

describe('sync through the server', () => {
  const { track, defer } = useTeardown();

  it('[SRV-3] a new board arrives with its server-written default content and a welcome', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl, 'Sprint 14 refinement');
    const client = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    expect(client.doc.getMap('meta').get('title')).toBe('Sprint 14 refinement');
    expect(client.doc.getMap('meta').get('formatVersion')).toBe(1);
    const welcome = client.controls.find((c) => c.type === 'welcome');
    expect(welcome).toMatchObject({ type: 'welcome', boardId, userId: people.dev.userId, role: 'dev', name: 'Dana Dev' });
    expect(welcome && 'serverTime' in welcome ? Math.abs(welcome.serverTime - Date.now()) : Infinity).toBeLessThan(5000);
  });

  it('[ORD-3] two people moving the same item at once leave exactly one copy, in one order everywhere', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const a = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    const b = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    const ids: ItemId[] = [];
    for (const title of ['A', 'B', 'C', 'D', 'E']) {
      ids.push(addItem(a.doc, { title, createdBy: people.po.userId as UserId }));
    }
    await waitFor(() => listItems(b.doc).length === 5, { message: 'b sees 5 items' });

    // Both move item C while neither has seen the other's move.
    a.provider.disconnect();
    b.provider.disconnect();
    moveItem(a.doc, ids[2]!, 'top');
    moveItem(b.doc, ids[2]!, 'bottom');
    setItemTitle(b.doc, ids[2]!, 'C (renamed)');
    a.provider.connect();
    b.provider.connect();
    await waitForConvergence([a, b]);

    const orderA = titles(a);
    expect(orderA).toEqual(titles(b));
    expect(orderA).toHaveLength(5);
    expect(orderA.filter((t) => t === 'C (renamed)')).toHaveLength(1);
    expect([orderA[0], orderA[4]]).toContain('C (renamed)');

    // A third client loading from the server sees the same single copy.
    const c = track(await connectSynced(server.wsUrl, boardId, people.sm.token));
    expect(titles(c)).toEqual(orderA);
  });

  it('[SRV-1] stop and restart the server: every change is still there', async () => {
    const first = await startTestServer();
    const dataDir = first.dataDir;
    const { boardId, people } = await setupBoard(first.baseUrl);
    const a = await connectSynced(first.wsUrl, boardId, people.po.token);
    for (let i = 0; i < 30; i++) addItem(a.doc, { title: `item ${i}`, createdBy: people.po.userId as UserId });
    const expected = titles(a);
    // Wait until the server has relayed everything to a second client (so it has stored it).
    const b = await connectSynced(first.wsUrl, boardId, people.dev.token);
    await waitFor(() => titles(b).length === 30);
    a.destroy();
    b.destroy();
    await first.server.stop();

    const second = track(await startTestServer({ dataDir }));
    defer(() => import('node:fs/promises').then((fs) => fs.rm(dataDir, { recursive: true, force: true })));
    // The same personal token still works: the secret lives with the data.
    const c = track(await connectSynced(second.wsUrl, boardId, people.sm.token));
    expect(titles(c)).toEqual(expected);
  });

  it('[SRV-9] a reconnecting client resends what it has: ignored, not refused, not stored twice', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const dev = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    const id = addItem(dev.doc, { title: 'Login page', createdBy: people.dev.userId as UserId });
    setItemTitle(dev.doc, id, 'Login and signup pages'); // a deletion: every step 2 carries it
    const viewer = track(await connectSynced(server.wsUrl, boardId, people.viewer.token));
    await waitFor(() => titles(viewer).includes('Login and signup pages'));
    const storedBefore = await server.server.storage.pendingUpdateCount(boardId);
    for (const client of [viewer, dev]) {
      client.provider.disconnect();
      const resynced = new Promise<void>((resolve) =>
        client.provider.once('sync', (s: boolean) => (s ? resolve() : undefined)),
      );
      client.provider.connect();
      await resynced;
    }
    addTitled(dev.doc, people.dev.userId, 'after reconnect');
    await waitFor(() => titles(viewer).includes('after reconnect'));
    // Only our own disconnects (code 0), never a server close.
    expect(viewer.closeCodes.every((code) => code === 0)).toBe(true);
    expect(viewer.controls.filter((c) => c.type === 'update-rejected')).toEqual([]);
    expect(await server.server.storage.pendingUpdateCount(boardId)).toBe(storedBefore + 1);
  });

  it('[SRV-2] edits sent just before their author closes the tab are kept, even behind a slow disk', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'board-slow-'));
    const disk = openSqliteStorage(path.join(dir, 'boards.sqlite'));
    defer(() => rm(dir, { recursive: true, force: true }));
    defer(() => disk.close());
    // Each append takes 100 ms, so later frames queue up behind it while the socket closes.
    const slow: typeof disk = {
      ...disk,
      appendUpdates: async (id, updates) => {
        await new Promise((resolve) => setTimeout(resolve, 100));
        return disk.appendUpdates(id, updates);
      },
    };
    const server = track(await startTestServer({ options: { storage: slow } }));
    const { boardId, people } = await setupBoard(server.baseUrl);
    const watcher = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    const author = await connectSynced(server.wsUrl, boardId, people.dev.token);
    for (let i = 0; i < 5; i++) addTitled(author.doc, people.dev.userId, `last words ${i}`);
    author.destroy(); // the update frames are sent, then the socket closes at once
    await waitFor(() => titles(watcher).length === 5, { message: 'watcher sees all 5 edits' });
  });

  it('[SRV-2] a client that joins late gets every accepted update, including concurrent ones', async () => {
    const server = track(await startTestServer());
    const { boardId, people } = await setupBoard(server.baseUrl);
    const writers = await Promise.all(
      (['po', 'sm', 'dev'] as const).map(async (role) =>
        track(await connectSynced(server.wsUrl, boardId, people[role].token)),
      ),
    );
    const roles = ['po', 'sm', 'dev'] as const;
    writers.forEach((w, n) => {
      for (let i = 0; i < 20; i++) addTitled(w.doc, people[roles[n]!].userId, `${n}-${i}`);
    });
    await waitForConvergence(writers);
    const late = track(await connectSynced(server.wsUrl, boardId, people.viewer.token));
    await waitFor(() => itemTitles(late.doc).length === 60, { message: 'late client has 60 items' });
    expect(await server.server.storage.pendingUpdateCount(boardId)).toBeGreaterThan(0);
  });
});
