/**
 * A full disk and a read-only data directory under SQLite [SRV-2]: the writer's socket is
 * told plainly (control `error` + close 1011 "storage full: …" / "storage read-only: …"),
 * nothing refused reaches anyone, the board on disk stays sound and readable, and once
 * the fault ends the writer's own reconnect stores what it had.
 *
 * The faults are injected into the server's own SQLite connection (`injectFault`,
 * server/storage/sqlite.ts): 'full' caps the database at its current size with
 * PRAGMA max_page_count, so SQLite answers SQLITE_FULL exactly as on a full disk;
 * 'read-only' sets PRAGMA query_only, so it answers SQLITE_READONLY. No mount or chmod
 * (tests run as root, which ignores file modes).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite.ts';
import { addTitled, hasItem, itemTitles } from '../helpers/board.ts';
import { integrity, storedTitles } from '../helpers/storedBoard.ts';
import { connectSynced, setupBoard, startTestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

describe('faults: SQLite storage full or read-only', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  const REASON = { full: /^storage full: changes not saved/, 'read-only': /^storage read-only: changes not saved/ };

  for (const fault of ['full', 'read-only'] as const) {
    it(`[FLT-1][SRV-2] storage ${fault}: the writer is told, nothing refused is relayed, the board stays sound, and the edit is stored once the fault ends`, async () => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), `board-${fault}-`));
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      const file = path.join(dataDir, 'boards.sqlite');
      const storage: SqliteStorage = openSqliteStorage(file);
      cleanup.push(() => storage.close());
      const ts = await startTestServer({ dataDir, config: { idleUnloadMs: 60_000 }, options: { storage } });
      cleanup.push(() => ts.stop());
      const { boardId, people } = await setupBoard(ts.baseUrl);
      const writer = await connectSynced(ts.wsUrl, boardId, people.dev.token);
      const watcher = await connectSynced(ts.wsUrl, boardId, people.po.token);
      cleanup.push(() => writer.destroy(), () => watcher.destroy());
      for (let i = 0; i < 20; i++) addTitled(writer.doc, people.dev.userId, `before ${i}`);
      await waitFor(() => itemTitles(watcher.doc).length === 20, { message: 'acknowledged before the fault' });

      await storage.injectFault(fault);
      // A long description so the write needs new pages (a full disk refuses only those).
      addTitled(writer.doc, people.dev.userId, 'written on a faulty disk', 'x'.repeat(12_000));
      const closed = await waitFor(() => writer.closeCodes.length > 0 && writer.controls.find((c) => c.type === 'error'), {
        message: 'writer told about the fault',
      });
      expect(writer.closeCodes[0]).toBe(CloseCode.internalError);
      expect(closed).toMatchObject({ type: 'error', code: CloseCode.internalError });
      expect((closed as { reason: string }).reason).toMatch(REASON[fault]);

      // The writer's provider keeps reconnecting and resending; each try is refused the same way.
      await waitFor(() => writer.closeCodes.length >= 3, { timeout: 10_000, message: 'refused again on reconnect' });
      expect(hasItem(watcher.doc, 'written on a faulty disk')).toBe(false);
      // Reads still work: the board is sound and loads for a newcomer, without the refused edit.
      expect(integrity(file)).toBe('ok');
      const onDisk = storedTitles(file, boardId);
      expect(onDisk.size).toBe(20);
      expect(onDisk.has('written on a faulty disk')).toBe(false);
      const reader = await connectSynced(ts.wsUrl, boardId, people.viewer.token);
      cleanup.push(() => reader.destroy());
      expect(itemTitles(reader.doc)).toHaveLength(20);

      // Space returns: the writer's next reconnect resends the edit, and it is stored and relayed.
      const refusals = writer.closeCodes.length;
      await storage.injectFault(null);
      await waitFor(() => hasItem(watcher.doc, 'written on a faulty disk') && hasItem(reader.doc, 'written on a faulty disk'), {
        timeout: 10_000,
        message: 'edit stored after the fault ended',
      });
      expect(storedTitles(file, boardId).has('written on a faulty disk')).toBe(true);
      expect(integrity(file)).toBe('ok');
      addTitled(writer.doc, people.dev.userId, 'after the fault');
      await waitFor(() => hasItem(watcher.doc, 'after the fault'), { message: 'writes flow again' });
      expect(writer.closeCodes.length).toBeLessThanOrEqual(refusals + 1);
    });
  }

  it('[FLT-2] a full disk fails the whole group commit with SQLITE_FULL: no append of the batch is stored, none is reported stored', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-full-batch-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const storage = openSqliteStorage(path.join(dataDir, 'boards.sqlite'));
    cleanup.push(() => storage.close());
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    const [a, b] = ['board-a', 'board-b'] as BoardId[];
    for (const id of [a!, b!]) await storage.createBoard({ id, title: id, createdAt: Date.now() }, empty);
    const update = (text: string) => {
      const doc = new Y.Doc();
      doc.getText('t').insert(0, text);
      return Y.encodeStateAsUpdate(doc);
    };
    await storage.injectFault('full');
    // Sent while the storage thread is held, so they arrive together: one group transaction.
    // SQLite rolls all of it back on SQLITE_FULL, so the small append after the big one must
    // not be committed on its own. (Sent in one tick alone, the thread may wake between them.)
    const held = storage.holdForTest(300);
    const results = await Promise.allSettled([
      storage.appendUpdates(a!, [update('x'.repeat(20_000))]),
      storage.appendUpdates(b!, [update('small')]),
    ]);
    await held;
    for (const r of results) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_FULL' });
    }
    await storage.injectFault(null);
    expect((await storage.loadBoard(b!))!.updates).toHaveLength(0);
    expect(await storage.appendUpdates(b!, [update('small')])).toBe(1);
  });
});
