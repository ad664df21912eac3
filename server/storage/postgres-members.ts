/**
 * The PostgreSQL side of MemberStore (types.ts): its own table beside the board tables,
 * created by `createMembersTable` inside the adapter's schema set-up.
 */
import type pg from 'pg';
import type { BoardId } from '../../shared/ids.ts';
import type { MemberStore, StoredMember } from './types.ts';

/** `s` is the quoted schema name. */
export async function createMembersTable(c: pg.PoolClient, s: string): Promise<void> {
  await c.query(`CREATE TABLE IF NOT EXISTS ${s}.board_members (
    board_id text NOT NULL REFERENCES ${s}.boards(id) ON DELETE CASCADE,
    user_id text NOT NULL,
    name text NOT NULL,
    role text NOT NULL,
    joined_at bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    removed_at bigint,
    PRIMARY KEY (board_id, user_id)
  )`);
  await c.query(`CREATE INDEX IF NOT EXISTS board_members_seen ON ${s}.board_members (board_id, last_seen_at)`);
}

export function postgresMembers(pool: pg.Pool, s: string): MemberStore {
  return {
    async touchMember(id: BoardId, m: { userId: string; name: string; role: string }, at: number) {
      await pool.query(
        `INSERT INTO ${s}.board_members AS m (board_id, user_id, name, role, joined_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (board_id, user_id) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
           last_seen_at = GREATEST(m.last_seen_at, EXCLUDED.last_seen_at)`,
        [id, m.userId, m.name, m.role, at],
      );
    },
    async removeMember(id: BoardId, userId: string, at: number) {
      const r = await pool.query(
        `UPDATE ${s}.board_members SET removed_at = $1 WHERE board_id = $2 AND user_id = $3 AND removed_at IS NULL`,
        [at, id, userId],
      );
      return r.rowCount === 1;
    },
    async memberRemoved(id: BoardId, userId: string) {
      const r = await pool.query(
        `SELECT 1 FROM ${s}.board_members WHERE board_id = $1 AND user_id = $2 AND removed_at IS NOT NULL`,
        [id, userId],
      );
      return (r.rowCount ?? 0) > 0;
    },
    async listMembers(id: BoardId, limit: number): Promise<StoredMember[]> {
      const r = await pool.query<{ user_id: string; name: string; role: string; joined_at: string; last_seen_at: string }>(
        `SELECT user_id, name, role, joined_at, last_seen_at FROM ${s}.board_members
         WHERE board_id = $1 AND removed_at IS NULL ORDER BY last_seen_at DESC, user_id LIMIT $2`,
        [id, limit],
      );
      return r.rows.map((row) => ({
        userId: row.user_id,
        name: row.name,
        role: row.role,
        joinedAt: Number(row.joined_at),
        lastSeenAt: Number(row.last_seen_at),
      }));
    },
  };
}
