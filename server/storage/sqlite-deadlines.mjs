/**
 * The SQLite side of DeadlineStore (server/storage/types.ts), run on the storage worker
 * (sqlite-worker.mjs adds these operations to its own). Its own table and statements,
 * kept apart from the board tables.
 */

export const DEADLINES_SCHEMA = `
CREATE TABLE IF NOT EXISTS deadlines (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  PRIMARY KEY (board_id, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS deadlines_due ON deadlines (due_at);
`;

/** @param {import('better-sqlite3').Database} db */
export function deadlineOps(db) {
  const put = db.prepare(
    'INSERT INTO deadlines (board_id, key, due_at) VALUES (?, ?, ?) ON CONFLICT (board_id, key) DO UPDATE SET due_at = excluded.due_at',
  );
  const del = db.prepare('DELETE FROM deadlines WHERE board_id = ? AND key = ?');
  const due = db.prepare('SELECT board_id, key, due_at FROM deadlines WHERE due_at <= ? ORDER BY due_at LIMIT ?');
  const next = db.prepare('SELECT min(due_at) AS at FROM deadlines');
  const claim = db.prepare('UPDATE deadlines SET due_at = ? WHERE board_id = ? AND key = ? AND due_at = ?');
  return {
    putDeadline: (/** @type {string} */ id, /** @type {string} */ key, /** @type {number} */ dueAt) => {
      put.run(id, key, dueAt);
      return null;
    },
    deleteDeadline: (/** @type {string} */ id, /** @type {string} */ key) => {
      del.run(id, key);
      return null;
    },
    dueDeadlines: (/** @type {number} */ now, /** @type {number} */ limit) =>
      due.all(now, limit).map((/** @type {any} */ r) => ({ boardId: r.board_id, key: r.key, dueAt: r.due_at })),
    nextDeadlineAt: () => next.get()?.at ?? null,
    claimDeadline: (/** @type {string} */ id, /** @type {string} */ key, /** @type {number} */ dueAt, /** @type {number} */ leaseUntil) =>
      claim.run(leaseUntil, id, key, dueAt).changes === 1,
  };
}
