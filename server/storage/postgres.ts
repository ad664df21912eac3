/**
 * PostgreSQL storage, for deployments where several server instances share one store.
 *
 * Consistency rests on two row locks:
 * - Appends to a board serialize on its `boards` row (`last_seq` is bumped in the same
 *   transaction as the inserts), so per-board seqs are gapless and commit in seq order:
 *   any reader sees a prefix 1..k of a board's updates, never a hole.
 * - Snapshot swaps of a board serialize on its `board_snapshots` row. A compaction
 *   (compaction.ts) reads the snapshot and the committed updates as one load, merges them
 *   with no lock held, then swaps (compare-and-swap): under the row lock it checks that
 *   the updates up to the max folded seq are still exactly the ones it folded (else
 *   another compaction won and this one folds nothing), writes the snapshot and deletes
 *   `seq <= max folded seq`. Because of the prefix property that is exactly the set it
 *   folded; updates committed meanwhile (by any instance) have larger seqs and stay.
 *   Appends never wait for a compaction's merge.
 * Loads read snapshot and updates in one REPEATABLE READ transaction so a compaction that
 * commits between the two reads cannot hide updates.
 */
import pg from 'pg';
import type { BoardId } from '../../shared/ids.ts';
import { toBytes } from './bytes.mjs';
import { compactBoard } from './compaction.ts';
import { foldLog } from './fold.mjs';
import { createDeadlinesTable, postgresDeadlines } from './postgres-deadlines.ts';
import { createMembersTable, postgresMembers } from './postgres-members.ts';
import { timedUpdates } from './historyOfBatch.ts';
import { checkpointOnSwap, createHistoryTables, historyCovered, insertHistory, postgresHistory } from './postgres-history.ts';
import type {
  BoardRecord,
  CheckpointRequest,
  FoldedBoard,
  HistoryOfBatch,
  FoldedRange,
  StorageAdapter,
  StoredBoardState,
  StoredUpdate,
} from './types.ts';

export interface PostgresStorageOptions {
  /**
   * Schema that holds the tables; created if missing. Default `public`. Tests use one
   * schema per file so parallel runs never see each other's rows.
   */
  schema?: string;
  /** Pool size per instance. */
  maxConnections?: number;
  /** How long to wait for a free connection before a query fails. */
  connectionTimeoutMs?: number;
  /** Called when an idle pooled connection fails (the pool replaces it). */
  onError?: (err: Error) => void;
}

const SCHEMA_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createPostgresStorage(
  url: string,
  opts: PostgresStorageOptions = {},
): Promise<StorageAdapter> {
  const schema = opts.schema ?? 'public';
  if (!SCHEMA_PATTERN.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const s = `"${schema}"`;
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 10,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
  });
  // Without a listener, an idle connection dropped by the server would crash the process.
  pool.on('error', (err) => opts.onError?.(err));

  async function transaction<T>(
    fn: (client: pg.PoolClient) => Promise<T>,
    begin = 'BEGIN',
  ): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  try {
    await transaction(async (c) => {
      // Several instances may start at once; CREATE ... IF NOT EXISTS alone can still race.
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`refinement-board:${schema}`]);
      await c.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.boards (
        id text PRIMARY KEY,
        title text NOT NULL,
        created_at bigint NOT NULL,
        last_seq bigint NOT NULL DEFAULT 0
      )`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.board_snapshots (
        board_id text PRIMARY KEY REFERENCES ${s}.boards(id) ON DELETE CASCADE,
        data bytea,
        through_seq bigint NOT NULL DEFAULT 0
      )`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.board_updates (
        board_id text NOT NULL REFERENCES ${s}.boards(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (board_id, seq)
      )`);
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.board_private (
        board_id text NOT NULL REFERENCES ${s}.boards(id) ON DELETE CASCADE,
        key text NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (board_id, key)
      )`);
      // Yjs clientIDs are unsigned 32-bit: bigint, since integer is signed.
      await c.query(`CREATE TABLE IF NOT EXISTS ${s}.board_client_ids (
        board_id text NOT NULL REFERENCES ${s}.boards(id) ON DELETE CASCADE,
        client_id bigint NOT NULL,
        owner text NOT NULL,
        PRIMARY KEY (board_id, client_id)
      )`);
      await createDeadlinesTable(c, s);
      await createMembersTable(c, s);
      await createHistoryTables(c, s);
    });
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }

  async function createBoard(board: BoardRecord, initialUpdate: Uint8Array): Promise<void> {
    await transaction(async (c) => {
      await c.query(`INSERT INTO ${s}.boards (id, title, created_at) VALUES ($1, $2, $3)`, [
        board.id,
        board.title,
        board.createdAt,
      ]);
      // The initial content is the first snapshot: nothing to fold yet.
      await c.query(`INSERT INTO ${s}.board_snapshots (board_id, data, through_seq) VALUES ($1, $2, 0)`, [
        board.id,
        initialUpdate,
      ]);
    });
  }

  async function getBoard(id: BoardId): Promise<BoardRecord | null> {
    const r = await pool.query<{ id: string; title: string; created_at: string }>(
      `SELECT id, title, created_at FROM ${s}.boards WHERE id = $1`,
      [id],
    );
    const row = r.rows[0];
    if (!row) return null;
    return { id: row.id as BoardId, title: row.title, createdAt: Number(row.created_at) };
  }

  async function loadBoard(id: BoardId): Promise<StoredBoardState | null> {
    return transaction((c) => readBoardState(c, id), 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  }

  /** Snapshot and log, inside the caller's (repeatable-read) transaction. */
  async function readBoardState(c: pg.PoolClient, id: BoardId): Promise<StoredBoardState | null> {
    {
      const snap = await c.query<{ data: Buffer | null }>(
        `SELECT b.id, sn.data FROM ${s}.boards b
         LEFT JOIN ${s}.board_snapshots sn ON sn.board_id = b.id WHERE b.id = $1`,
        [id],
      );
      const row = snap.rows[0];
      if (!row) return null;
      const ups = await c.query<{ seq: string; data: Buffer }>(
        `SELECT seq, data FROM ${s}.board_updates WHERE board_id = $1 ORDER BY seq`,
        [id],
      );
      const updates: StoredUpdate[] = ups.rows.map((u) => ({ seq: Number(u.seq), data: toBytes(u.data) }));
      return { snapshot: row.data ? toBytes(row.data) : null, updates };
    }
  }

  async function appendUpdates(id: BoardId, updates: readonly Uint8Array[], history?: HistoryOfBatch | null): Promise<number> {
    return transaction(async (c) => {
      const bumped = await c.query<{ last_seq: string }>(
        `UPDATE ${s}.boards SET last_seq = last_seq + $2 WHERE id = $1 RETURNING last_seq`,
        [id, updates.length],
      );
      const row = bumped.rows[0];
      if (!row) throw new Error(`unknown board: ${id}`);
      const last = Number(row.last_seq);
      if (updates.length === 0) return last;
      const first = last - updates.length + 1;
      // One statement for the batch: unnest pairs each seq with its bytes.
      await c.query(
        `INSERT INTO ${s}.board_updates (board_id, seq, data)
         SELECT $1, seq, data FROM unnest($2::bigint[], $3::bytea[]) AS t(seq, data)`,
        [id, updates.map((_, i) => first + i), updates.map((u) => Buffer.from(u.buffer, u.byteOffset, u.byteLength))],
      );
      if (history) await insertHistory(c, s, id, timedUpdates(updates, history), history.events);
      return last;
    });
  }

  /** Merged here, with no lock held: appends and other loads go on meanwhile. */
  async function readFolded(id: BoardId): Promise<FoldedBoard> {
    // [HIS-8] The log and what it holds of the history, as of one moment (HIS-7: a history
    // row commits with its update), so the new snapshot may become a history checkpoint.
    const { state, history } = await transaction(async (c) => {
      const read = await readBoardState(c, id);
      return { state: read, history: read ? await historyCovered(c, s, id) : null };
    }, 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (!state) throw new Error(`unknown board: ${id}`);
    const folded = foldLog(state.snapshot, state.updates);
    folded.history = history;
    return folded;
  }

  async function replaceSnapshot(
    id: BoardId,
    range: FoldedRange,
    snapshot: Uint8Array,
    checkpoint?: CheckpointRequest | null,
  ): Promise<{ replaced: boolean; snapshotBytes: number }> {
    return transaction(async (c) => {
      const snap = await c.query<{ bytes: number | null }>(
        `SELECT octet_length(data) AS bytes FROM ${s}.board_snapshots WHERE board_id = $1 FOR UPDATE`,
        [id],
      );
      const row = snap.rows[0];
      if (!row) throw new Error(`unknown board: ${id}`);
      // A statement of its own under READ COMMITTED, after the lock: sees any swap that won.
      const held = await c.query<{ n: string; first: string | null }>(
        `SELECT count(*) AS n, min(seq) AS first FROM ${s}.board_updates WHERE board_id = $1 AND seq <= $2`,
        [id, range.lastSeq],
      );
      const h = held.rows[0];
      if (Number(h?.n ?? 0) !== range.count || Number(h?.first ?? Number.NaN) !== range.firstSeq) {
        return { replaced: false, snapshotBytes: row.bytes ?? 0 };
      }
      await c.query(`UPDATE ${s}.board_snapshots SET data = $2, through_seq = $3 WHERE board_id = $1`, [
        id,
        snapshot,
        range.lastSeq,
      ]);
      const del = await c.query(`DELETE FROM ${s}.board_updates WHERE board_id = $1 AND seq <= $2`, [
        id,
        range.lastSeq,
      ]);
      if (del.rowCount !== range.count) {
        // Would mean the prefix property broke; roll back rather than drop an update.
        throw new Error(`compaction of ${id} would delete ${del.rowCount} updates but folded ${range.count}`);
      }
      if (checkpoint) await checkpointOnSwap(c, s, id, snapshot, checkpoint);
      return { replaced: true, snapshotBytes: snapshot.byteLength };
    });
  }

  const snapshots = { readFolded, replaceSnapshot };

  async function pendingUpdateCount(id: BoardId): Promise<number> {
    const r = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${s}.board_updates WHERE board_id = $1`,
      [id],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  async function getPrivate(id: BoardId, key: string): Promise<string | null> {
    const r = await pool.query<{ value: string }>(
      `SELECT value FROM ${s}.board_private WHERE board_id = $1 AND key = $2`,
      [id, key],
    );
    return r.rows[0]?.value ?? null;
  }

  async function putPrivate(id: BoardId, key: string, value: string): Promise<void> {
    await pool.query(
      `INSERT INTO ${s}.board_private (board_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (board_id, key) DO UPDATE SET value = EXCLUDED.value`,
      [id, key, value],
    );
  }

  async function deletePrivate(id: BoardId, key: string): Promise<void> {
    await pool.query(`DELETE FROM ${s}.board_private WHERE board_id = $1 AND key = $2`, [id, key]);
  }

  /**
   * [AUTH-6] First writer wins: the insert skips ids that have an owner (waiting for a
   * concurrent insert of the same id to commit or roll back), and the select, a statement
   * of its own under READ COMMITTED, then sees whichever insert won.
   */
  async function claimClientIds(
    id: BoardId,
    owner: string,
    clientIds: readonly number[],
  ): Promise<Map<number, string>> {
    // One order for every claimer: two connections inserting overlapping ids in different
    // orders would each hold a key the other waits for (a deadlock).
    const unique = [...new Set(clientIds)].sort((a, b) => a - b);
    if (unique.length === 0) return new Map();
    return transaction(async (c) => {
      await c.query(
        `INSERT INTO ${s}.board_client_ids (board_id, client_id, owner)
         SELECT $1, client_id, $3 FROM unnest($2::bigint[]) AS t(client_id) ORDER BY client_id
         ON CONFLICT (board_id, client_id) DO NOTHING`,
        [id, unique, owner],
      );
      const r = await c.query<{ client_id: string; owner: string }>(
        `SELECT client_id, owner FROM ${s}.board_client_ids WHERE board_id = $1 AND client_id = ANY($2::bigint[])`,
        [id, unique],
      );
      return new Map(r.rows.map((row) => [Number(row.client_id), row.owner]));
    });
  }

  async function healthy(): Promise<boolean> {
    try {
      await pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  let closed = false;
  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await pool.end();
  }

  return {
    createBoard,
    getBoard,
    loadBoard,
    appendUpdates,
    compact: (id: BoardId) => compactBoard(snapshots, id),
    readFolded,
    replaceSnapshot,
    pendingUpdateCount,
    getPrivate,
    putPrivate,
    deletePrivate,
    claimClientIds,
    ...postgresDeadlines(pool, s),
    ...postgresHistory(pool, s, transaction),
    ...postgresMembers(pool, s),
    healthy,
    close,
  };
}
