/**
 * The SQLite side of HistoryStore (server/storage/types.ts), run on the storage worker
 * (sqlite-worker.mjs adds these operations to its own). Its own tables: compaction never
 * touches them, so history stays exact after the update log is folded.
 */
import { CHECKPOINT_MARGIN_MS } from './historyCheckpoint.mjs';

export const HISTORY_SCHEMA = `
CREATE TABLE IF NOT EXISTS history_updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  is_base INTEGER NOT NULL DEFAULT 0,
  data BLOB NOT NULL,
  covers_seq INTEGER
);
CREATE INDEX IF NOT EXISTS history_updates_board ON history_updates (board_id, seq);
CREATE TABLE IF NOT EXISTS history_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  user_name TEXT NOT NULL,
  user_role TEXT NOT NULL,
  kind TEXT NOT NULL,
  item_id TEXT,
  data TEXT NOT NULL,
  note TEXT,
  coalesce_key TEXT
);
CREATE INDEX IF NOT EXISTS history_events_board ON history_events (board_id, seq);
CREATE INDEX IF NOT EXISTS history_events_item ON history_events (board_id, item_id, seq);
CREATE UNIQUE INDEX IF NOT EXISTS history_events_coalesce ON history_events (board_id, coalesce_key) WHERE coalesce_key IS NOT NULL;
`;

/**
 * Boards whose history table predates checkpoints (HIS-8) get the column; NULL everywhere
 * means "no checkpoint yet", which reads as before.
 * @param {import('better-sqlite3').Database} db
 */
export function migrateHistory(db) {
  const cols = db.prepare('PRAGMA table_info(history_updates)').all();
  if (!cols.some((/** @type {any} */ c) => c.name === 'covers_seq')) db.exec('ALTER TABLE history_updates ADD COLUMN covers_seq INTEGER');
}

/** One event; events with the same coalesce key are one (HIS-2): the later replaces time and data. */
const INSERT_EVENT = `INSERT INTO history_events (board_id, at, user_id, user_name, user_role, kind, item_id, data, coalesce_key)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
   ON CONFLICT (board_id, coalesce_key) WHERE coalesce_key IS NOT NULL DO UPDATE SET at = excluded.at, data = excluded.data`;

/**
 * @param {import('better-sqlite3').Statement} insertEvent
 * @param {string} id
 * @param {readonly any[]} events
 */
function writeEvents(insertEvent, id, events) {
  for (const e of events) insertEvent.run(id, e.at, e.userId, e.userName, e.userRole, e.kind, e.itemId, e.data, e.coalesceKey);
}

/** @param {any} r */
const eventOf = (r) => ({
  seq: r.seq,
  at: r.at,
  userId: r.user_id,
  userName: r.user_name,
  userRole: r.user_role,
  kind: r.kind,
  itemId: r.item_id,
  data: r.data,
  note: r.note,
  coalesceKey: r.coalesce_key,
});

/**
 * Writes the history of an appended batch (HIS-7) inside the append's own transaction: one
 * timed row per recorded update (the same bytes) and the derived events.
 * @param {import('better-sqlite3').Database} db
 */
export function historyOfAppend(db) {
  const insertUpdate = db.prepare('INSERT INTO history_updates (board_id, at, is_base, data) VALUES (?, ?, 0, ?)');
  const insertEvent = db.prepare(INSERT_EVENT);
  return (
    /** @type {string} */ id,
    /** @type {ArrayBuffer} */ buffer,
    /** @type {number[]} */ lengths,
    /** @type {{ ats: (number | null)[]; events: any[] }} */ history,
  ) => {
    let off = 0;
    for (let i = 0; i < lengths.length; i++) {
      const len = /** @type {number} */ (lengths[i]);
      const at = history.ats[i];
      if (at !== null && at !== undefined) insertUpdate.run(id, at, Buffer.from(buffer, off, len));
      off += len;
    }
    writeEvents(insertEvent, id, history.events);
  };
}

/**
 * [HIS-8] Keeps a swapped-in compaction snapshot as a history checkpoint, inside the swap's
 * transaction: only when the board records history and enough history came since the last
 * checkpoint (the request's minBytes, and at least the snapshot's own size, so checkpoints
 * cost at most about as much again as the history they shorten).
 * @param {import('better-sqlite3').Database} db
 */
export function historyCheckpointOnSwap(db) {
  const hasBase = db.prepare('SELECT 1 FROM history_updates WHERE board_id = ? AND is_base = 1 LIMIT 1');
  const lastCovered = db.prepare(
    'SELECT covers_seq FROM history_updates WHERE board_id = ? AND covers_seq IS NOT NULL ORDER BY seq DESC LIMIT 1',
  );
  const bytesAfter = db.prepare(
    'SELECT coalesce(sum(length(data)), 0) AS bytes FROM history_updates WHERE board_id = ? AND is_base = 0 AND seq > ? AND seq <= ?',
  );
  const insert = db.prepare('INSERT INTO history_updates (board_id, at, is_base, data, covers_seq) VALUES (?, ?, 1, ?, ?)');
  return (
    /** @type {string} */ id,
    /** @type {Uint8Array} */ snapshot,
    /** @type {{ coversSeq: number; at: number; minBytes: number }} */ cp,
  ) => {
    if (!hasBase.get(id)) return false;
    const from = lastCovered.get(id)?.covers_seq ?? 0;
    if (cp.coversSeq <= from) return false;
    const { bytes } = bytesAfter.get(id, from, cp.coversSeq);
    if (bytes < Math.max(cp.minBytes, snapshot.byteLength)) return false;
    insert.run(id, cp.at, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), cp.coversSeq);
    return true;
  };
}

/**
 * [HIS-8] Read inside a fold's read transaction: what a snapshot folded in the same
 * transaction holds of the history (every row up to `coversSeq`, HIS-7) and the latest time
 * among them (among the last 1,000 rows: times follow seqs but for clock skew between
 * instances). Null when the board has no history rows.
 * @param {import('better-sqlite3').Database} db
 * @returns {(id: string) => { coversSeq: number; at: number } | null}
 */
export function historyCovered(db) {
  const last = db.prepare(
    'SELECT max(seq) AS seq, max(at) AS at FROM (SELECT seq, at FROM history_updates WHERE board_id = ? ORDER BY seq DESC LIMIT 1000)',
  );
  return (id) => {
    const row = last.get(id);
    return row && row.seq !== null ? { coversSeq: row.seq, at: row.at } : null;
  };
}

/** @param {import('better-sqlite3').Database} db */
export function historyOps(db) {
  const known = db.prepare('SELECT 1 FROM boards WHERE id = ?');
  const insertUpdate = db.prepare('INSERT INTO history_updates (board_id, at, is_base, data) VALUES (?, ?, ?, ?)');
  const hasBase = db.prepare('SELECT 1 FROM history_updates WHERE board_id = ? AND is_base = 1 LIMIT 1');
  const insertEvent = db.prepare(INSERT_EVENT);
  const page = db.prepare(
    'SELECT * FROM history_events WHERE board_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const pageItem = db.prepare(
    'SELECT * FROM history_events WHERE board_id = ? AND item_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const base = db.prepare('SELECT at FROM history_updates WHERE board_id = ? AND is_base = 1 ORDER BY seq LIMIT 1');
  const until = db.prepare('SELECT data FROM history_updates WHERE board_id = ? AND at <= ? ORDER BY seq');
  const checkpointUntil = db.prepare(
    'SELECT data, covers_seq, at FROM history_updates WHERE board_id = ? AND covers_seq IS NOT NULL AND at <= ? ORDER BY seq DESC LIMIT 1',
  );
  const after = db.prepare(
    'SELECT data FROM history_updates WHERE board_id = ? AND is_base = 0 AND (seq > ? OR at >= ?) AND at <= ? ORDER BY seq',
  );
  const latestMove = db.prepare(
    "SELECT seq FROM history_events WHERE board_id = ? AND user_id = ? AND kind = 'moved' AND at >= ? ORDER BY seq DESC LIMIT 1",
  );
  const setNote = db.prepare('UPDATE history_events SET note = ? WHERE seq = ? RETURNING *');

  const append = db.transaction((/** @type {string} */ id, /** @type {any} */ batch) => {
    if (!known.get(id)) throw new Error(`unknown board ${id}`);
    for (const u of batch.updates) insertUpdate.run(id, u.at, 0, Buffer.from(u.data));
    writeEvents(insertEvent, id, batch.events);
  });
  const putBase = db.transaction((/** @type {string} */ id, /** @type {number} */ at, /** @type {Uint8Array} */ state) => {
    if (!known.get(id)) throw new Error(`unknown board ${id}`);
    if (hasBase.get(id)) return false;
    insertUpdate.run(id, at, 1, Buffer.from(state));
    return true;
  });
  const readUntil = db.transaction((/** @type {string} */ id, /** @type {number} */ at) => {
    const b = base.get(id);
    if (!b || b.at > at) return null;
    const cp = checkpointUntil.get(id, at);
    const rows = cp ? [cp, ...after.all(id, cp.covers_seq, cp.at - CHECKPOINT_MARGIN_MS, at)] : until.all(id, at);
    return { baseAt: b.at, updates: rows.map((/** @type {any} */ r) => new Uint8Array(r.data)) };
  });
  const note = db.transaction((/** @type {string} */ id, /** @type {string} */ userId, /** @type {string} */ text, /** @type {number} */ notBefore) => {
    const row = latestMove.get(id, userId, notBefore);
    if (!row) return null;
    return eventOf(setNote.get(text, row.seq));
  });
  return {
    appendHistory: (/** @type {string} */ id, /** @type {any} */ batch) => {
      append.immediate(id, batch);
      return null;
    },
    putHistoryBase: (/** @type {string} */ id, /** @type {number} */ at, /** @type {Uint8Array} */ state) =>
      putBase.immediate(id, at, state),
    historyEvents: (/** @type {string} */ id, /** @type {any} */ q) => {
      const before = q.before ?? Number.MAX_SAFE_INTEGER;
      const rows = q.itemId ? pageItem.all(id, q.itemId, before, q.limit) : page.all(id, before, q.limit);
      return rows.map(eventOf);
    },
    historyUpdatesUntil: (/** @type {string} */ id, /** @type {number} */ at) => readUntil(id, at),
    noteLatestMove: (/** @type {string} */ id, /** @type {string} */ userId, /** @type {string} */ text, /** @type {number} */ notBefore) =>
      note.immediate(id, userId, text, notBefore),
  };
}
