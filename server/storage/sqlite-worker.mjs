/**
 * The worker thread that owns the SQLite connection (started by sqlite.ts). Plain JS on
 * purpose: it must start wherever the server runs (tsx, vitest's workers, plain node),
 * and worker threads do not always get a TypeScript loader.
 *
 * Every operation runs here, in the order the main thread requested it, so an fsync never
 * blocks the main thread's event loop. Compaction's read and merge (`readFolded`) run on a
 * further thread (sqlite-compactor.mjs), so they hold up neither the loop nor the appends
 * queued here; only its short compare-and-swap (`replaceSnapshot`) runs here. The decisions
 * between the two are compaction.ts's, on the main thread. Protocol (typed in sqlite.ts):
 * requests `{ id, op, args }`, replies `{ results: [[id, ok, value], ...] }`.
 *
 * Group commit: appends are queued and committed together from a setImmediate. While a
 * commit (and its fsync) runs, new requests wait in the port; the next event-loop turn
 * receives all of them, so everything that arrived during one fsync shares the next one.
 * Any other operation first commits the queued appends, so it sees every append requested
 * before it.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { nameThisThread } from './threadName.mjs';
import Database from 'better-sqlite3';
import { ownBuffer, pack, toBytes } from './bytes.mjs';
import { foldLog } from './fold.mjs';
import { DEADLINES_SCHEMA, deadlineOps } from './sqlite-deadlines.mjs';
import { HISTORY_SCHEMA, historyCheckpointOnSwap, historyOfAppend, historyOps, historyCovered, migrateHistory } from './sqlite-history.mjs';
import { MEMBERS_SCHEMA, memberOps } from './sqlite-members.mjs';

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
CREATE TABLE IF NOT EXISTS client_ids (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  client_id INTEGER NOT NULL,
  owner TEXT NOT NULL,
  PRIMARY KEY (board_id, client_id)
) WITHOUT ROWID;
`;

/** @type {{ file: string; synchronous: 'FULL' | 'NORMAL'; busyTimeoutMs: number }} */
const { file, synchronous, busyTimeoutMs } = workerData;
const port = parentPort;
nameThisThread('sqlite-store');
if (!port) throw new Error('sqlite-worker.mjs must run as a worker thread');

if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
db.pragma('foreign_keys = ON');
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
db.exec(SCHEMA);
/** SQLite's own page limit, put back when a test's injectFault(null) ends a simulated full disk. */
const DEFAULT_MAX_PAGES = db.pragma('max_page_count', { simple: true });
db.exec(DEADLINES_SCHEMA);
db.exec(HISTORY_SCHEMA);
migrateHistory(db);
db.exec(MEMBERS_SCHEMA);

const stmt = {
  insertBoard: db.prepare('INSERT INTO boards (id, title, created_at, snapshot, last_seq) VALUES (?, ?, ?, ?, 0)'),
  getBoard: db.prepare('SELECT id, title, created_at FROM boards WHERE id = ?'),
  getSnapshot: db.prepare('SELECT snapshot, last_seq FROM boards WHERE id = ?'),
  getUpdates: db.prepare('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq'),
  bumpSeq: db.prepare('UPDATE boards SET last_seq = last_seq + ? WHERE id = ? RETURNING last_seq'),
  insertUpdate: db.prepare('INSERT INTO updates (board_id, seq, data) VALUES (?, ?, ?)'),
  countUpdates: db.prepare('SELECT count(*) AS n FROM updates WHERE board_id = ?'),
  setSnapshot: db.prepare('UPDATE boards SET snapshot = ? WHERE id = ?'),
  deleteUpTo: db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
  getPrivate: db.prepare('SELECT value FROM private WHERE board_id = ? AND key = ?'),
  putPrivate: db.prepare(
    'INSERT INTO private (board_id, key, value) VALUES (?, ?, ?) ON CONFLICT (board_id, key) DO UPDATE SET value = excluded.value',
  ),
  deletePrivate: db.prepare('DELETE FROM private WHERE board_id = ? AND key = ?'),
  claimClientId: db.prepare(
    'INSERT INTO client_ids (board_id, client_id, owner) VALUES (?, ?, ?) ON CONFLICT (board_id, client_id) DO NOTHING',
  ),
  clientIdOwner: db.prepare('SELECT owner FROM client_ids WHERE board_id = ? AND client_id = ?'),
  ping: db.prepare('SELECT 1 AS ok'),
};

const writeHistory = historyOfAppend(db);

/**
 * One board's append inside the group transaction; nested better-sqlite3 transactions are
 * savepoints, so an unknown board rolls back alone. Its history, if any, is written in the
 * same savepoint (HIS-7).
 * @param {string} id @param {ArrayBuffer} buffer @param {number[]} lengths
 * @param {{ ats: (number | null)[]; events: any[] } | null | undefined} history
 */
const append = db.transaction((id, buffer, lengths, history) => {
  const bumped = stmt.bumpSeq.get(lengths.length, id);
  if (!bumped) throw new Error(`unknown board ${id}`);
  let seq = bumped.last_seq - lengths.length;
  let off = 0;
  for (const len of lengths) {
    stmt.insertUpdate.run(id, ++seq, Buffer.from(buffer, off, len));
    off += len;
  }
  if (history) writeHistory(id, buffer, lengths, history);
  return bumped.last_seq;
});

/** @type {Array<{ id: number; args: [string, ArrayBuffer, number[], any] }>} */
let queue = [];
let flushScheduled = false;

const commitQueued = db.transaction((/** @type {typeof queue} */ batch) =>
  batch.map((p) => {
    try {
      return [p.id, true, append(...p.args)];
    } catch (err) {
      // SQLITE_FULL, SQLITE_IOERR and the like roll back the whole transaction, not just
      // this savepoint: fail the batch with this cause (later appends must not commit
      // outside the transaction, and the writer is told the real reason).
      if (!db.inTransaction) throw err;
      return [p.id, false, errorInfo(err)];
    }
  }),
);

function flush() {
  flushScheduled = false;
  const batch = queue;
  if (batch.length === 0) return;
  queue = [];
  let results;
  try {
    // IMMEDIATE: take the write lock up front rather than upgrading mid-transaction.
    results = commitQueued.immediate(batch);
  } catch (err) {
    const info = errorInfo(err);
    results = batch.map((p) => [p.id, false, info]);
  }
  port.postMessage({ results });
}

const load = db.transaction((/** @type {string} */ id) => {
  const row = stmt.getSnapshot.get(id);
  if (!row) return { value: null, transfer: [] };
  const rows = stmt.getUpdates.all(id);
  const updates = pack(rows.map((r) => r.data));
  const snapshot = row.snapshot ? pack([row.snapshot]).buffer : null;
  return {
    value: { snapshot, seqs: rows.map((r) => r.seq), buffer: updates.buffer, lengths: updates.lengths },
    transfer: snapshot ? [snapshot, updates.buffer] : [updates.buffer],
  };
});

// Compaction's read and fold (readFolded) runs on the compactor thread, so the merge never
// holds up appends; an in-memory database cannot be shared with another connection, so it
// reads and folds here, in one read transaction.
const historyOf = historyCovered(db);
const readForFold = db.transaction((/** @type {string} */ id) => {
  const row = stmt.getSnapshot.get(id);
  if (!row) throw new Error(`unknown board ${id}`);
  return { snapshot: row.snapshot ? toBytes(row.snapshot) : null, updates: stmt.getUpdates.all(id), history: historyOf(id) };
});

// Compaction's compare-and-swap (replaceSnapshot): a short IMMEDIATE transaction swaps the
// folded snapshot in, unless the rows it folded are gone meanwhile (another process
// compacted first). Rows appended meanwhile have higher seqs and stay.
const countUpTo = db.prepare('SELECT count(*) AS n, min(seq) AS first FROM updates WHERE board_id = ? AND seq <= ?');
const checkpointOnSwap = historyCheckpointOnSwap(db);
const swapSnapshot = db.transaction((id, merged, count, firstSeq, maxSeq, checkpoint) => {
  const current = stmt.getSnapshot.get(id);
  if (!current) throw new Error(`unknown board ${id}`);
  const folded = countUpTo.get(id, maxSeq);
  if (folded.n !== count || folded.first !== firstSeq) {
    return { replaced: false, snapshotBytes: current.snapshot?.byteLength ?? 0 };
  }
  stmt.setSnapshot.run(Buffer.from(merged.buffer, merged.byteOffset, merged.byteLength), id);
  stmt.deleteUpTo.run(id, maxSeq);
  // The same snapshot may also shorten "as of" (HIS-8), in the same transaction.
  if (checkpoint) checkpointOnSwap(id, merged, checkpoint);
  return { replaced: true, snapshotBytes: merged.byteLength };
});

/** @type {Worker | null} */
let compactor = null;
/** Folds waiting for the compactor: its request id → the main thread's request id. */
const compacting = new Map();
let nextCompaction = 0;

function failCompactions(info) {
  for (const replyId of compacting.values()) port.postMessage({ results: [[replyId, false, info]] });
  compacting.clear();
}

/** Replies a FoldedBoard, its snapshot's buffer transferred. */
function replyFolded(replyId, value) {
  if (!value.folded) {
    port.postMessage({ results: [[replyId, true, value]] });
    return;
  }
  value.folded.snapshot = ownBuffer(value.folded.snapshot);
  port.postMessage({ results: [[replyId, true, value]] }, [value.folded.snapshot.buffer]);
}

function readFolded(replyId, id) {
  if (file === ':memory:') {
    let value;
    try {
      const { snapshot, updates, history } = readForFold(id);
      value = foldLog(snapshot, updates.map((u) => ({ seq: u.seq, data: toBytes(u.data) })));
      value.history = history;
    } catch (err) {
      port.postMessage({ results: [[replyId, false, errorInfo(err)]] });
      return;
    }
    replyFolded(replyId, value);
    return;
  }
  const cid = ++nextCompaction;
  compacting.set(cid, replyId);
  startCompactor().postMessage({ id: cid, boardId: id });
}

/** The compactor thread, started (again, if it died) on demand. */
function startCompactor() {
  if (compactor) return compactor;
  compactor = new Worker(new URL('./sqlite-compactor.mjs', import.meta.url), { workerData: { file, busyTimeoutMs } });
  compactor.unref();
  compactor.on('message', onFolded);
  compactor.on('error', (err) => failCompactions({ message: `compactor failed: ${err.message}` }));
  compactor.on('exit', () => {
    compactor = null;
    failCompactions({ message: 'compactor stopped' });
  });
  return compactor;
}
// Started with the storage, not at the first compaction: its start-up (mostly loading
// Yjs) would otherwise land in the middle of the first burst of edits.
if (file !== ':memory:') startCompactor();

function onFolded(/** @type {{ id: number; ok: boolean; value: any }} */ msg) {
  const replyId = compacting.get(msg.id);
  if (replyId === undefined) return;
  compacting.delete(msg.id);
  if (!msg.ok) {
    port.postMessage({ results: [[replyId, false, msg.value]] });
    return;
  }
  replyFolded(replyId, msg.value);
}

/**
 * [AUTH-6] First writer wins: binds the ids that have no owner yet and returns
 * `[clientId, owner]` for each id. IMMEDIATE takes the write lock up front, so another
 * connection's claim of the same id runs entirely before or after this one. An unknown
 * board fails the foreign key.
 */
const claimClientIds = db.transaction((/** @type {string} */ id, /** @type {string} */ owner, /** @type {number[]} */ clientIds) =>
  clientIds.map((clientId) => {
    stmt.claimClientId.run(id, clientId, owner);
    return [clientId, stmt.clientIdOwner.get(id, clientId).owner];
  }),
);

/** Operations other than append; each returns its reply value. */
const ops = {
  createBoard: (id, title, createdAt, initial) => {
    stmt.insertBoard.run(id, title, createdAt, Buffer.from(initial.buffer, initial.byteOffset, initial.byteLength));
    return null;
  },
  getBoard: (id) => stmt.getBoard.get(id) ?? null,
  lastSeq: (id) => {
    const row = stmt.getSnapshot.get(id);
    if (!row) throw new Error(`unknown board ${id}`);
    return row.last_seq;
  },
  pendingUpdateCount: (id) => stmt.countUpdates.get(id)?.n ?? 0,
  getPrivate: (id, key) => stmt.getPrivate.get(id, key)?.value ?? null,
  putPrivate: (id, key, value) => {
    stmt.putPrivate.run(id, key, value);
    return null;
  },
  deletePrivate: (id, key) => {
    stmt.deletePrivate.run(id, key);
    return null;
  },
  claimClientIds: (id, owner, clientIds) => claimClientIds.immediate(id, owner, clientIds),
  replaceSnapshot: (id, range, merged, checkpoint) =>
    swapSnapshot.immediate(id, new Uint8Array(merged), range.count, range.firstSeq, range.lastSeq, checkpoint ?? null),
  ping: () => stmt.ping.get() !== undefined,
  // Fault injection for tests only (sqlite.ts injectFault). 'full': the database is capped
  // at its current size, so the next write needing a page fails with SQLITE_FULL exactly as
  // on a full disk; 'read-only': query_only, so writes fail with SQLITE_READONLY as on a
  // read-only file system; null: both lifted (space returns).
  injectFault: (fault) => {
    // VACUUM first: free pages (left by migrations or deletes) would absorb the next writes.
    if (fault === 'full') db.exec('VACUUM');
    db.pragma(`max_page_count = ${fault === 'full' ? 1 : DEFAULT_MAX_PAGES}`);
    db.pragma(`query_only = ${fault === 'read-only' ? 'ON' : 'OFF'}`);
    return null;
  },
  // Tests only (sqlite.ts holdForTest): blocks this thread for `ms`, so requests sent
  // meanwhile wait in the port and arrive together, as one group commit.
  holdForTest: (ms) => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
    return null;
  },
  ...deadlineOps(db),
  ...historyOps(db),
  ...memberOps(db),
};

function errorInfo(err) {
  return err instanceof Error
    ? { message: err.message, code: /** @type {{ code?: unknown }} */ (err).code }
    : { message: String(err) };
}

port.on('message', (/** @type {{ id: number; op: string; args: unknown[] }} */ msg) => {
  if (msg.op === 'append') {
    queue.push({ id: msg.id, args: /** @type {[string, ArrayBuffer, number[]]} */ (msg.args) });
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
    return;
  }
  // In request order: appends requested before this operation commit first.
  flush();
  if (msg.op === 'readFolded') {
    readFolded(msg.id, /** @type {string} */ (msg.args[0]));
    return;
  }
  if (msg.op === 'close') {
    failCompactions({ message: 'storage is closed' });
    if (compactor) {
      compactor.removeAllListeners('exit');
      void compactor.terminate();
      compactor = null;
    }
    db.close();
    port.postMessage({ results: [[msg.id, true, null]] });
    port.close();
    return;
  }
  if (msg.op === 'load') {
    try {
      const { value, transfer } = load(/** @type {string} */ (msg.args[0]));
      port.postMessage({ results: [[msg.id, true, value]] }, transfer);
    } catch (err) {
      port.postMessage({ results: [[msg.id, false, errorInfo(err)]] });
    }
    return;
  }
  let reply;
  try {
    const fn = ops[msg.op];
    if (!fn) throw new Error(`unknown storage operation ${msg.op}`);
    reply = [msg.id, true, fn(...msg.args)];
  } catch (err) {
    reply = [msg.id, false, errorInfo(err)];
  }
  port.postMessage({ results: [reply] });
});
