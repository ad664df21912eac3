/**
 * The PostgreSQL side of DeadlineStore (types.ts): its own table beside the board tables,
 * created by `createDeadlinesTable` inside the adapter's schema set-up. A claim is one
 * conditional UPDATE, so of several instances polling at once exactly one takes a deadline.
 */
import type pg from 'pg';
import type { BoardId } from '../../shared/ids.ts';
import type { DeadlineStore, StoredDeadline } from './types.ts';

/** `s` is the quoted schema name. */
export async function createDeadlinesTable(c: pg.PoolClient, s: string): Promise<void> {
  await c.query(`CREATE TABLE IF NOT EXISTS ${s}.board_deadlines (
    board_id text NOT NULL REFERENCES ${s}.boards(id) ON DELETE CASCADE,
    key text NOT NULL,
    due_at bigint NOT NULL,
    PRIMARY KEY (board_id, key)
  )`);
  await c.query(`CREATE INDEX IF NOT EXISTS board_deadlines_due ON ${s}.board_deadlines (due_at)`);
}

export function postgresDeadlines(pool: pg.Pool, s: string): DeadlineStore {
  return {
    async putDeadline(id: BoardId, key: string, dueAt: number) {
      await pool.query(
        `INSERT INTO ${s}.board_deadlines (board_id, key, due_at) VALUES ($1, $2, $3)
         ON CONFLICT (board_id, key) DO UPDATE SET due_at = EXCLUDED.due_at`,
        [id, key, dueAt],
      );
    },
    async deleteDeadline(id: BoardId, key: string) {
      await pool.query(`DELETE FROM ${s}.board_deadlines WHERE board_id = $1 AND key = $2`, [id, key]);
    },
    async dueDeadlines(now: number, limit: number): Promise<StoredDeadline[]> {
      const r = await pool.query<{ board_id: string; key: string; due_at: string }>(
        `SELECT board_id, key, due_at FROM ${s}.board_deadlines WHERE due_at <= $1 ORDER BY due_at LIMIT $2`,
        [now, limit],
      );
      return r.rows.map((row) => ({ boardId: row.board_id as BoardId, key: row.key, dueAt: Number(row.due_at) }));
    },
    async nextDeadlineAt() {
      const r = await pool.query<{ at: string | null }>(`SELECT min(due_at) AS at FROM ${s}.board_deadlines`);
      const at = r.rows[0]?.at;
      return at === null || at === undefined ? null : Number(at);
    },
    async claimDeadline(id: BoardId, key: string, dueAt: number, leaseUntil: number) {
      const r = await pool.query(
        `UPDATE ${s}.board_deadlines SET due_at = $1 WHERE board_id = $2 AND key = $3 AND due_at = $4`,
        [leaseUntil, id, key, dueAt],
      );
      return r.rowCount === 1;
    },
  };
}
