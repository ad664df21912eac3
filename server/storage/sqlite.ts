/**
 * The embedded SQLite adapter of Storage (better-sqlite3, WAL).
 *
 * Durability: `synchronous = FULL` — every commit fsyncs the WAL, so an update whose
 * appendUpdates() resolved survives a power cut, not just a process crash. NORMAL would
 * only lose the last commits on power loss, but the promise [SRV-2] is "no update anyone
 * has seen is lost", so we pay one fsync per commit (docs/operations.md) and make commits
 * rare instead: appends from every board in one event-loop turn share one transaction.
 *
 * Layout: `boards` holds each board's record and its snapshot (the initial content counts
 * as the first snapshot); `updates` holds what was appended after the snapshot; `private`
 * holds server-only values. Compaction folds snapshot + updates with Y.mergeUpdates in one
 * transaction, so a reader sees either the old or the new state, never half of it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import type { BoardRecord, Storage, StoredBoardState, StoredUpdate } from './types.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  snapshot BLOB,
  last_seq INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS updates (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (board_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS private (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (board_id, key)
) WITHOUT ROWID;
`;

interface BoardRow {
  id: string;
  title: string;
  created_at: number;
}

const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
// better-sqlite3 binds Buffers as BLOBs; the Buffer must cover exactly the view's bytes.
const toBuffer = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export interface SqliteStorageOptions {
  /** Milliseconds to wait for another connection's write lock (several processes). */
  busyTimeoutMs?: number;
  /**
   * FULL (default) fsyncs every commit: nothing acknowledged is lost even on power loss.
   * NORMAL survives process crashes only (the OS still holds the WAL); for dev and benches.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

interface PendingAppend {
  id: string;
  updates: readonly Uint8Array[];
  resolve(seq: number): void;
  reject(err: unknown): void;
}

export function openSqliteStorage(file: string, opts: SqliteStorageOptions = {}): Storage {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
  db.exec(SCHEMA);

  const stmt = {
    insertBoard: db.prepare('INSERT INTO boards (id, title, created_at, snapshot, last_seq) VALUES (?, ?, ?, ?, 0)'),
    getBoard: db.prepare<[string], BoardRow>('SELECT id, title, created_at FROM boards WHERE id = ?'),
    getSnapshot: db.prepare<[string], { snapshot: Buffer | null; last_seq: number }>(
      'SELECT snapshot, last_seq FROM boards WHERE id = ?',
    ),
    getUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
      'SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq',
    ),
    bumpSeq: db.prepare<[number, string], { last_seq: number }>(
      'UPDATE boards SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq',
    ),
    insertUpdate: db.prepare('INSERT INTO updates (board_id, seq, data) VALUES (?, ?, ?)'),
    countUpdates: db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM updates WHERE board_id = ?'),
    setSnapshot: db.prepare('UPDATE boards SET snapshot = ? WHERE id = ?'),
    deleteUpTo: db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
    getPrivate: db.prepare<[string, string], { value: string }>(
      'SELECT value FROM private WHERE board_id = ? AND key = ?',
    ),
    putPrivate: db.prepare(
      'INSERT INTO private (board_id, key, value) VALUES (?, ?, ?) ON CONFLICT (board_id, key) DO UPDATE SET value = excluded.value',
    ),
    deletePrivate: db.prepare('DELETE FROM private WHERE board_id = ? AND key = ?'),
    ping: db.prepare('SELECT 1 AS ok'),
  };

  const append = db.transaction((id: string, updates: readonly Uint8Array[]): number => {
    const bumped = stmt.bumpSeq.get(updates.length, id);
    if (!bumped) throw new Error(`unknown board ${id}`);
    let seq = bumped.last_seq - updates.length;
    for (const u of updates) stmt.insertUpdate.run(id, ++seq, toBuffer(u));
    return bumped.last_seq;
  });

  // Group commit across boards: appends requested in one event-loop turn share one
  // transaction, so one fsync covers every board that changed in that turn. Each board's
  // append runs in its own savepoint, so an unknown board fails alone.
  let queue: PendingAppend[] = [];
  const commitQueued = db.transaction((batch: PendingAppend[]) => {
    const results: Array<{ ok: true; seq: number } | { ok: false; err: unknown }> = [];
    for (const p of batch) {
      try {
        results.push({ ok: true, seq: append(p.id, p.updates) });
      } catch (err) {
        results.push({ ok: false, err });
      }
    }
    return results;
  });
  const flushQueue = () => {
    const batch = queue;
    if (batch.length === 0) return;
    queue = [];
    let results: ReturnType<typeof commitQueued>;
    try {
      results = commitQueued.immediate(batch);
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const r = results[i]!;
      if (r.ok) p.resolve(r.seq);
      else p.reject(r.err);
    });
  };

  const load = db.transaction((id: string): StoredBoardState | null => {
    const row = stmt.getSnapshot.get(id);
    if (!row) return null;
    const updates: StoredUpdate[] = stmt.getUpdates.all(id).map((r) => ({ seq: r.seq, data: toBytes(r.data) }));
    return { snapshot: row.snapshot ? toBytes(row.snapshot) : null, updates };
  });

  // IMMEDIATE takes the write lock up front, so another process cannot append between
  // our read of the log and the delete of what we folded.
  const compact = db.transaction((id: string) => {
    const row = stmt.getSnapshot.get(id);
    if (!row) throw new Error(`unknown board ${id}`);
    const updates = stmt.getUpdates.all(id);
    if (updates.length === 0) return { updatesFolded: 0, snapshotBytes: row.snapshot?.byteLength ?? 0 };
    const parts = [...(row.snapshot ? [toBytes(row.snapshot)] : []), ...updates.map((u) => toBytes(u.data))];
    const merged = Y.mergeUpdates(parts);
    stmt.setSnapshot.run(toBuffer(merged), id);
    stmt.deleteUpTo.run(id, updates.at(-1)!.seq);
    return { updatesFolded: updates.length, snapshotBytes: merged.byteLength };
  });

  let open = true;
  // better-sqlite3 is synchronous; wrapping in async functions turns its throws into rejections.
  return {
    async createBoard(board: BoardRecord, initialUpdate: Uint8Array) {
      stmt.insertBoard.run(board.id, board.title, board.createdAt, toBuffer(initialUpdate));
    },
    async getBoard(id: BoardId) {
      const row = stmt.getBoard.get(id);
      return row ? { id: row.id as BoardId, title: row.title, createdAt: row.created_at } : null;
    },
    async loadBoard(id: BoardId) {
      // Commit queued appends first: a reader must not miss a write that was requested
      // before it (and a caller looping on reads alone would otherwise starve the queue).
      if (queue.length > 0) flushQueue();
      return load(id);
    },
    async appendUpdates(id: BoardId, updates: readonly Uint8Array[]) {
      if (updates.length === 0) {
        const row = stmt.getSnapshot.get(id);
        if (!row) throw new Error(`unknown board ${id}`);
        return row.last_seq;
      }
      return new Promise<number>((resolve, reject) => {
        if (!open) {
          reject(new Error('storage is closed'));
          return;
        }
        if (queue.length === 0) setImmediate(flushQueue);
        queue.push({ id, updates, resolve, reject });
      });
    },
    async compact(id: BoardId) {
      if (queue.length > 0) flushQueue();
      return compact.immediate(id);
    },
    async pendingUpdateCount(id: BoardId) {
      if (queue.length > 0) flushQueue();
      return stmt.countUpdates.get(id)?.n ?? 0;
    },
    async getPrivate(id: BoardId, key: string) {
      return stmt.getPrivate.get(id, key)?.value ?? null;
    },
    async putPrivate(id: BoardId, key: string, value: string) {
      stmt.putPrivate.run(id, key, value);
    },
    async deletePrivate(id: BoardId, key: string) {
      stmt.deletePrivate.run(id, key);
    },
    async healthy() {
      if (!open) return false;
      try {
        return stmt.ping.get() !== undefined;
      } catch {
        return false;
      }
    },
    async close() {
      if (!open) return;
      open = false;
      if (queue.length > 0) flushQueue();
      db.close();
    },
  };
}

export async function createSqliteStorage(file: string, opts?: SqliteStorageOptions): Promise<Storage> {
  return openSqliteStorage(file, opts);
}
