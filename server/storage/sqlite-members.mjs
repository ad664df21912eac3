/**
 * The SQLite side of MemberStore (server/storage/types.ts), run on the storage worker
 * (sqlite-worker.mjs adds these operations to its own). Its own table beside the boards.
 */

export const MEMBERS_SCHEMA = `
CREATE TABLE IF NOT EXISTS members (
  board_id TEXT NOT NULL REFERENCES boards(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  joined_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  removed_at INTEGER,
  PRIMARY KEY (board_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS members_seen ON members (board_id, last_seen_at);
`;

/** @param {import('better-sqlite3').Database} db */
export function memberOps(db) {
  const touch = db.prepare(
    `INSERT INTO members (board_id, user_id, name, role, joined_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (board_id, user_id) DO UPDATE SET name = excluded.name, role = excluded.role,
       last_seen_at = max(last_seen_at, excluded.last_seen_at)`,
  );
  const list = db.prepare(
    'SELECT user_id, name, role, joined_at, last_seen_at FROM members WHERE board_id = ? AND removed_at IS NULL ORDER BY last_seen_at DESC, user_id LIMIT ?',
  );
  const remove = db.prepare('UPDATE members SET removed_at = ? WHERE board_id = ? AND user_id = ? AND removed_at IS NULL');
  const removed = db.prepare('SELECT 1 AS r FROM members WHERE board_id = ? AND user_id = ? AND removed_at IS NOT NULL');
  return {
    removeMember: (/** @type {string} */ id, /** @type {string} */ userId, /** @type {number} */ at) =>
      remove.run(at, id, userId).changes === 1,
    memberRemoved: (/** @type {string} */ id, /** @type {string} */ userId) => removed.get(id, userId) !== undefined,
    touchMember: (
      /** @type {string} */ id,
      /** @type {{ userId: string; name: string; role: string }} */ m,
      /** @type {number} */ at,
    ) => {
      touch.run(id, m.userId, m.name, m.role, at, at);
      return null;
    },
    listMembers: (/** @type {string} */ id, /** @type {number} */ limit) =>
      list.all(id, limit).map((/** @type {any} */ r) => ({
        userId: r.user_id,
        name: r.name,
        role: r.role,
        joinedAt: r.joined_at,
        lastSeenAt: r.last_seen_at,
      })),
  };
}
