/**
 * Idle boards leave memory flushed and compacted [SRV-5], and a socket that arrives
 * while its board is being unloaded is served by a fresh load, losing nothing.
 */
import { describe, expect, it } from 'vitest';
import type { BoardId } from '../../shared/ids.ts';
import { connectSynced, setupBoard, startTestServer } from '../helpers/server.ts';
import { addTitled, hasItem, itemTitles } from '../helpers/board.ts';
import { waitFor } from '../helpers/wait.ts';
import { useTeardown } from '../helpers/teardown.ts';

describe('idle unload', () => {
  const { track } = useTeardown();

  it('[SRV-5] a board is flushed, compacted and unloaded after its last client leaves', async () => {
    const server = track(await startTestServer({ config: { idleUnloadMs: 50 } }));
    const { boardId, people } = await setupBoard(server.baseUrl);
    const a = await connectSynced(server.wsUrl, boardId, people.po.token);
    const b = track(await connectSynced(server.wsUrl, boardId, people.dev.token));
    for (let i = 0; i < 25; i++) addTitled(a.doc, people.po.userId, `k${i}`);
    await waitFor(() => itemTitles(b.doc).length === 25);
    a.destroy();
    expect(server.server.rooms.loadedBoardIds()).toContain(boardId);
    b.destroy();
    await waitFor(() => !server.server.rooms.loadedBoardIds().includes(boardId as BoardId), {
      message: 'board unloaded',
    });
    expect(await server.server.storage.pendingUpdateCount(boardId as BoardId)).toBe(0);
    const stored = await server.server.storage.loadBoard(boardId as BoardId);
    expect(stored?.updates).toEqual([]);

    const c = track(await connectSynced(server.wsUrl, boardId, people.sm.token));
    expect(itemTitles(c.doc)).toHaveLength(25);
  });

  it('[SRV-10] clients arriving while the board unloads are not lost (idleUnloadMs 0)', async () => {
    const server = track(await startTestServer({ config: { idleUnloadMs: 0, compactionThreshold: 3 } }));
    const { boardId, people } = await setupBoard(server.baseUrl);
    for (let round = 0; round < 15; round++) {
      const writer = await connectSynced(server.wsUrl, boardId, people.dev.token);
      expect(itemTitles(writer.doc)).toHaveLength(round);
      addTitled(writer.doc, people.dev.userId, `r${round}`);
      // A second client must see the write before the writer leaves (so it was accepted).
      const reader = await connectSynced(server.wsUrl, boardId, people.viewer.token);
      await waitFor(() => hasItem(reader.doc, `r${round}`));
      writer.destroy();
      reader.destroy();
      // No wait here: the next round connects while this board may be unloading.
    }
    const last = track(await connectSynced(server.wsUrl, boardId, people.po.token));
    expect(itemTitles(last.doc)).toHaveLength(15);
  });
});
