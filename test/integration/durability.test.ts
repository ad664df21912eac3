/**
 * Crash and shutdown: the server runs as a child process (server/main.ts) that we kill.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CloseCode } from '../../shared/protocol.ts';
import type { ServerProcess } from '../helpers/process.ts';
import { spawnServer } from '../helpers/process.ts';
import type { TestClient } from '../helpers/server.ts';
import { api, connectSynced, setupBoard } from '../helpers/server.ts';
import { type AsOfResponse, type HistoryPage, historyPaths } from '../../shared/history.ts';
import { addTitled, hasItem, itemTitles } from '../helpers/board.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

describe('durability', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const tempDir = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'board-crash-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };
  const spawn = async (dataDir: string): Promise<ServerProcess> => {
    const proc = await spawnServer({ dataDir, env: { IDLE_UNLOAD_MS: '60000' } });
    cleanup.push(() => {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    });
    return proc;
  };
  const client = async (proc: ServerProcess, boardId: string, token: string): Promise<TestClient> => {
    const c = await connectSynced(proc.wsUrl, boardId, token);
    cleanup.push(() => c.destroy());
    return c;
  };

  it('[SRV-2] kill -9 right after another client received an update: after restart the update is there', async () => {
    const dataDir = await tempDir();
    const first = await spawn(dataDir);
    const { boardId, people } = await setupBoard(first.baseUrl);
    const writer = await client(first, boardId, people.dev.token);
    const watcher = await client(first, boardId, people.po.token);

    // Several rounds so the kill lands right after a relay, not after a quiet period.
    for (let i = 0; i < 5; i++) addTitled(writer.doc, people.dev.userId, `warmup${i}`);
    await waitFor(() => itemTitles(watcher.doc).length === 5);
    addTitled(writer.doc, people.dev.userId, 'seen by the watcher');
    await waitFor(() => hasItem(watcher.doc, 'seen by the watcher'), { interval: 1 });
    first.child.kill('SIGKILL');
    const exit = await first.exited;
    expect(exit.signal).toBe('SIGKILL');
    // The clients must not resend what they hold: the restarted server has only its disk.
    writer.destroy();
    watcher.destroy();

    const second = await spawn(dataDir);
    const fresh = await client(second, boardId, people.sm.token);
    expect(hasItem(fresh.doc, 'seen by the watcher')).toBe(true);
    expect(itemTitles(fresh.doc)).toHaveLength(6);
  });

  it('[HIS-7] kill -9 right after another client received updates: after restart the history has each of them', async () => {
    const dataDir = await tempDir();
    const first = await spawn(dataDir);
    const { boardId, people } = await setupBoard(first.baseUrl);
    let writer = await client(first, boardId, people.dev.token);
    let watcher = await client(first, boardId, people.po.token);
    // Kill right after each relay, several times over, so a second write after the append
    // (the old recorder's) would have had every chance to be cut off.
    let proc = first;
    let expected = 0;
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3; i++) addTitled(writer.doc, people.dev.userId, `r${round}-${i}`);
      expected += 3;
      await waitFor(() => itemTitles(watcher.doc).length === expected, { interval: 1 });
      proc.child.kill('SIGKILL');
      await proc.exited;
      const seen = itemTitles(watcher.doc);
      proc = await spawn(dataDir);
      const added = await api<HistoryPage>(proc.baseUrl, `${historyPaths.events(boardId)}?limit=200`, { token: people.sm.token });
      expect(added.status).toBe(200);
      expect(added.body.events.filter((e) => e.kind === 'added')).toHaveLength(expected);
      // As of now, the board as the history rebuilds it holds every item the watcher saw.
      const asOf = await api<AsOfResponse>(proc.baseUrl, `${historyPaths.asOf(boardId)}?at=${Date.now()}`, { token: people.sm.token });
      expect(asOf.body.items.map((i) => i.title).sort()).toEqual(seen.sort());
      // Fresh clients on the new process (the old ones must not resend what they hold).
      writer.destroy();
      watcher.destroy();
      writer = await client(proc, boardId, people.dev.token);
      watcher = await client(proc, boardId, people.po.token);
    }
  });

  it('[SRV-6] SIGTERM closes sockets with 1012, flushes, and exits 0; the data is there after restart', async () => {
    const dataDir = await tempDir();
    const first = await spawn(dataDir);
    const { boardId, people } = await setupBoard(first.baseUrl);
    const writer = await client(first, boardId, people.dev.token);
    const watcher = await client(first, boardId, people.po.token);
    for (let i = 0; i < 50; i++) addTitled(writer.doc, people.dev.userId, `k${i}`);
    await waitFor(() => itemTitles(watcher.doc).length === 50);

    first.child.kill('SIGTERM');
    const exit = await withTimeout(first.exited, 15_000, 'server exit after SIGTERM');
    expect(exit.code).toBe(0);
    await waitFor(() => writer.closeCodes.length > 0);
    expect(writer.closeCodes[0]).toBe(CloseCode.serviceRestart);
    expect(first.output()).toMatch(/stopped cleanly/);
    writer.destroy();
    watcher.destroy();

    const second = await spawn(dataDir);
    const fresh = await client(second, boardId, people.sm.token);
    expect(itemTitles(fresh.doc)).toHaveLength(50);
  });
});
