/**
 * The PostgreSQL side of HistoryStore (types.ts): its own tables beside the board tables,
 * created by `createHistoryTables` inside the adapter's schema set-up. Compaction never
 * touches them, so history stays exact after the update log is folded.
 */
import type pg from 'pg';
import { CHECKPOINT_MARGIN_MS } from './historyCheckpoint.mjs';
import type { BoardId } from '../../shared/ids.ts';
import type { CheckpointRequest, HistoryCheckpointInfo, HistoryEventRecord, HistoryStore, StoredHistoryEvent } from './types.ts';

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

/**
 * [HIS-8] Inside a compaction's swap transaction: keeps the swapped-in snapshot as a history
 * checkpoint when the board records history and enough came since the last checkpoint.
 */
export async function checkpointOnSwap(c: pg.PoolClient, s: string, id: BoardId, snapshot: Uint8Array, cp: CheckpointRequest): Promise<boolean> {
  const base = await c.query(`SELECT 1 FROM ${s}.history_updates WHERE board_id = $1 AND is_base LIMIT 1`, [id]);
  if (!base.rowCount) return false;
  const last = await c.query<{ covers_seq: string }>(
    `SELECT covers_seq FROM ${s}.history_updates WHERE board_id = $1 AND covers_seq IS NOT NULL ORDER BY seq DESC LIMIT 1`,
    [id],
  );
  const from = last.rows[0] ? Number(last.rows[0].covers_seq) : 0;
  if (cp.coversSeq <= from) return false;
  const sum = await c.query<{ bytes: string | null }>(
    `SELECT sum(octet_length(data)) AS bytes FROM ${s}.history_updates WHERE board_id = $1 AND NOT is_base AND seq > $2 AND seq <= $3`,
    [id, from, cp.coversSeq],
  );
  if (Number(sum.rows[0]?.bytes ?? 0) < Math.max(cp.minBytes, snapshot.byteLength)) return false;
  await c.query(`INSERT INTO ${s}.history_updates (board_id, at, is_base, data, covers_seq) VALUES ($1, $2, true, $3, $4)`, [
    id,
    cp.at,
    Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength),
    cp.coversSeq,
  ]);
  return true;
}

/**
 * [HIS-8] Inside a fold's repeatable-read transaction: what the log read in it holds of the
 * history (every visible row up to `coversSeq`) and the latest time among the last 1,000.
 */
export async function historyCovered(c: pg.PoolClient, s: string, id: BoardId): Promise<HistoryCheckpointInfo | null> {
  const r = await c.query<{ seq: string | null; at: string | null }>(
    `SELECT max(seq) AS seq, max(at) AS at FROM (
       SELECT seq, at FROM ${s}.history_updates WHERE board_id = $1 ORDER BY seq DESC LIMIT 1000) t`,
    [id],
  );
  const row = r.rows[0];
  return row?.seq ? { coversSeq: Number(row.seq), at: Number(row.at) } : null;
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
        const cp = await c.query<{ data: Buffer; covers_seq: string; at: string }>(
          `SELECT data, covers_seq, at FROM ${s}.history_updates
           WHERE board_id = $1 AND covers_seq IS NOT NULL AND at <= $2 ORDER BY seq DESC LIMIT 1`,
          [id, at],
        );
        const start = cp.rows[0];
        const r = start
          ? await c.query<{ data: Buffer }>(
              `SELECT data FROM ${s}.history_updates WHERE board_id = $1 AND NOT is_base AND (seq > $2 OR at >= $3) AND at <= $4 ORDER BY seq`,
              [id, start.covers_seq, Number(start.at) - CHECKPOINT_MARGIN_MS, at],
            )
          : await c.query<{ data: Buffer }>(
              `SELECT data FROM ${s}.history_updates WHERE board_id = $1 AND at <= $2 ORDER BY seq`,
              [id, at],
            );
        const rows = start ? [start, ...r.rows] : r.rows;
        return { baseAt, updates: rows.map((row) => new Uint8Array(row.data)) };
      }, 'BEGIN ISOLATION LEVEL REPEATABLE READ');
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
