/**
 * The PostgreSQL side of HistoryStore (types.ts): its own tables beside the board tables,
 * created by `createHistoryTables` inside the adapter's schema set-up. Compaction never
 * touches them, so history stays exact after the update log is folded.
 */
import type pg from 'pg';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import type { HistoryEventRecord, HistoryStore, StoredHistoryEvent } from './types.ts';

/** `s` is the quoted schema name. */
export async function createHistoryTables(c: pg.PoolClient, s: string): Promise<void> {
  await c.query(`CREATE TABLE IF NOT EXISTS ${s}.history_updates (
    seq bigserial PRIMARY KEY,
    board_id text NOT NULL REFERENCES ${s}.boards(id) ON DELETE CASCADE,
    at bigint NOT NULL,
    is_base boolean NOT NULL DEFAULT false,
    data bytea NOT NULL,
    covers_seq bigint
  )`);
  // Tables from before checkpoints (HIS-8): NULL everywhere reads as "no checkpoint yet".
  await c.query(`ALTER TABLE ${s}.history_updates ADD COLUMN IF NOT EXISTS covers_seq bigint`);
  await c.query(`CREATE INDEX IF NOT EXISTS history_updates_board ON ${s}.history_updates (board_id, seq)`);
  await c.query(`CREATE TABLE IF NOT EXISTS ${s}.history_events (
    seq bigserial PRIMARY KEY,
    board_id text NOT NULL REFERENCES ${s}.boards(id) ON DELETE CASCADE,
    at bigint NOT NULL,
    user_id text NOT NULL,
    user_name text NOT NULL,
    user_role text NOT NULL,
    kind text NOT NULL,
    item_id text,
    data text NOT NULL,
    note text,
    coalesce_key text
  )`);
  await c.query(`CREATE INDEX IF NOT EXISTS history_events_board ON ${s}.history_events (board_id, seq)`);
  await c.query(`CREATE INDEX IF NOT EXISTS history_events_item ON ${s}.history_events (board_id, item_id, seq)`);
  await c.query(
    `CREATE UNIQUE INDEX IF NOT EXISTS history_events_coalesce ON ${s}.history_events (board_id, coalesce_key) WHERE coalesce_key IS NOT NULL`,
  );
}

interface EventRow {
  seq: string;
  at: string;
  user_id: string;
  user_name: string;
  user_role: string;
  kind: string;
  item_id: string | null;
  data: string;
  note: string | null;
  coalesce_key: string | null;
}

const eventOf = (r: EventRow): StoredHistoryEvent => ({
  seq: Number(r.seq),
  at: Number(r.at),
  userId: r.user_id,
  userName: r.user_name,
  userRole: r.user_role,
  kind: r.kind,
  itemId: r.item_id,
  data: r.data,
  note: r.note,
  coalesceKey: r.coalesce_key,
});

type Transaction = <T>(fn: (c: pg.PoolClient) => Promise<T>, begin?: string) => Promise<T>;

/** Writes timed updates and events inside the caller's transaction `c` (appendHistory, and appendUpdates for HIS-7). */
export async function insertHistory(
  c: pg.PoolClient,
  s: string,
  id: BoardId,
  updates: readonly { at: number; data: Uint8Array }[],
  events: readonly HistoryEventRecord[],
): Promise<void> {
  if (updates.length > 0) {
    await c.query(
      `INSERT INTO ${s}.history_updates (board_id, at, data)
       SELECT $1, a, d FROM unnest($2::bigint[], $3::bytea[]) WITH ORDINALITY AS t(a, d, n) ORDER BY n`,
      [id, updates.map((u) => u.at), updates.map((u) => Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength))],
    );
  }
  for (const e of events) {
    await c.query(
      `INSERT INTO ${s}.history_events (board_id, at, user_id, user_name, user_role, kind, item_id, data, coalesce_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (board_id, coalesce_key) WHERE coalesce_key IS NOT NULL
       DO UPDATE SET at = EXCLUDED.at, data = EXCLUDED.data`,
      [id, e.at, e.userId, e.userName, e.userRole, e.kind, e.itemId, e.data, e.coalesceKey],
    );
  }
}

export function postgresHistory(pool: pg.Pool, s: string, transaction: Transaction): HistoryStore {
  return {
    async appendHistory(id: BoardId, batch) {
      if (batch.updates.length === 0 && batch.events.length === 0) return;
      await transaction((c) => insertHistory(c, s, id, batch.updates, batch.events));
    },
    async putHistoryBase(id: BoardId, at: number, state: Uint8Array) {
      return transaction(async (c) => {
        // One base per board even when two instances load it at once.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`history-base:${id}`]);
        const has = await c.query(`SELECT 1 FROM ${s}.history_updates WHERE board_id = $1 AND is_base LIMIT 1`, [id]);
        if (has.rowCount) return false;
        await c.query(`INSERT INTO ${s}.history_updates (board_id, at, is_base, data) VALUES ($1, $2, true, $3)`, [
          id,
          at,
          Buffer.from(state),
        ]);
        return true;
      });
    },
    async historyEvents(id: BoardId, q) {
      const before = q.before ?? Number.MAX_SAFE_INTEGER;
      const r = q.itemId
        ? await pool.query<EventRow>(
            `SELECT * FROM ${s}.history_events WHERE board_id = $1 AND item_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4`,
            [id, q.itemId, before, q.limit],
          )
        : await pool.query<EventRow>(
            `SELECT * FROM ${s}.history_events WHERE board_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3`,
            [id, before, q.limit],
          );
      return r.rows.map(eventOf);
    },
    async historyUpdatesUntil(id: BoardId, at: number) {
      return transaction(async (c) => {
        const b = await c.query<{ at: string }>(
          `SELECT at FROM ${s}.history_updates WHERE board_id = $1 AND is_base ORDER BY seq LIMIT 1`,
          [id],
        );
        const baseAt = b.rows[0] ? Number(b.rows[0].at) : null;
        if (baseAt === null || baseAt > at) return null;
        const cp = await c.query<{ data: Buffer; covers_seq: string }>(
          `SELECT data, covers_seq FROM ${s}.history_updates
           WHERE board_id = $1 AND covers_seq IS NOT NULL AND at <= $2 ORDER BY seq DESC LIMIT 1`,
          [id, at],
        );
        const start = cp.rows[0];
        const r = start
          ? await c.query<{ data: Buffer }>(
              `SELECT data FROM ${s}.history_updates WHERE board_id = $1 AND NOT is_base AND seq > $2 AND at <= $3 ORDER BY seq`,
              [id, start.covers_seq, at],
            )
          : await c.query<{ data: Buffer }>(
              `SELECT data FROM ${s}.history_updates WHERE board_id = $1 AND at <= $2 ORDER BY seq`,
              [id, at],
            );
        const rows = start ? [start, ...r.rows] : r.rows;
        return { baseAt, updates: rows.map((row) => new Uint8Array(row.data)) };
      }, 'BEGIN ISOLATION LEVEL REPEATABLE READ');
    },
    async checkpointHistory(id: BoardId, settledBefore: number, minBytes: number) {
      return transaction(async (c) => {
        // One checkpointer per board at a time; appends go on meanwhile.
        await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`history-checkpoint:${id}`]);
        const hasBase = await c.query(`SELECT 1 FROM ${s}.history_updates WHERE board_id = $1 AND is_base LIMIT 1`, [id]);
        if (!hasBase.rowCount) return null;
        const cpRow = await c.query<{ at: string; data: Buffer; covers_seq: string }>(
          `SELECT at, data, covers_seq FROM ${s}.history_updates
           WHERE board_id = $1 AND covers_seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
          [id],
        );
        const cp = cpRow.rows[0];
        const from = cp ? Number(cp.covers_seq) : 0;
        const sum = await c.query<{ n: string; bytes: string | null; last: string | null }>(
          `SELECT count(*) AS n, sum(octet_length(data)) AS bytes, max(seq) AS last FROM ${s}.history_updates
           WHERE board_id = $1 AND NOT is_base AND seq > $2 AND at <= $3`,
          [id, from, settledBefore],
        );
        const summary = sum.rows[0]!;
        if (Number(summary.n) === 0 || Number(summary.bytes ?? 0) < minBytes) return null;
        const last = Number(summary.last);
        // Every row up to the last settled one, stamped with the latest time among them.
        const rows = await c.query<{ data: Buffer; at: string }>(
          cp
            ? `SELECT data, at FROM ${s}.history_updates WHERE board_id = $1 AND NOT is_base AND seq > $2 AND seq <= $3 ORDER BY seq`
            : `SELECT data, at FROM ${s}.history_updates WHERE board_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`,
          [id, from, last],
        );
        const parts = [...(cp ? [new Uint8Array(cp.data)] : []), ...rows.rows.map((r) => new Uint8Array(r.data))];
        const merged = Y.mergeUpdates(parts);
        const at = rows.rows.reduce((m, r) => Math.max(m, Number(r.at)), cp ? Number(cp.at) : 0);
        await c.query(
          `INSERT INTO ${s}.history_updates (board_id, at, is_base, data, covers_seq) VALUES ($1, $2, true, $3, $4)`,
          [id, at, Buffer.from(merged), last],
        );
        return merged.byteLength;
      });
    },
    async noteLatestMove(id: BoardId, userId: string, note: string, notBefore: number) {
      const r = await pool.query<EventRow>(
        `UPDATE ${s}.history_events SET note = $3 WHERE seq = (
           SELECT seq FROM ${s}.history_events
           WHERE board_id = $1 AND user_id = $2 AND kind = 'moved' AND at >= $4 ORDER BY seq DESC LIMIT 1
         ) RETURNING *`,
        [id, userId, note, notBefore],
      );
      return r.rows[0] ? eventOf(r.rows[0]) : null;
    },
  };
}
