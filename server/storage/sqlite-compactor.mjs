/**
 * Folds a board's update log for the SQLite worker (sqlite-worker.mjs), on a thread of its
 * own: the merge — Y.mergeUpdates of the whole snapshot, 100+ ms for a 5,000-item board —
 * would otherwise hold up every append of every board queued behind it. It reads through
 * its own connection (WAL: a reader never blocks the writer) and writes nothing; the writer
 * swaps the merged snapshot in with a short transaction.
 *
 * Protocol: requests `{ id, boardId }`; replies `{ id, ok, value }` where value is
 * `{ count: 0, snapshotBytes }` (nothing to fold), `{ count, firstSeq, maxSeq, merged }`, or
 * an error's `{ message, code }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import * as Y from 'yjs';

/** @type {{ file: string; busyTimeoutMs: number }} */
const { file, busyTimeoutMs } = workerData;
const port = parentPort;
if (!port) throw new Error('sqlite-compactor.mjs must run as a worker thread');

const db = new Database(file);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
const getSnapshot = db.prepare('SELECT snapshot FROM boards WHERE id = ?');
const getUpdates = db.prepare('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq');
// One read transaction: the snapshot and the log as of the same moment.
const read = db.transaction((/** @type {string} */ id) => ({ row: getSnapshot.get(id), updates: getUpdates.all(id) }));

const toBytes = (/** @type {Buffer} */ b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

port.on('message', (/** @type {{ id: number; boardId: string }} */ msg) => {
  try {
    const { row, updates } = read(msg.boardId);
    if (!row) throw new Error(`unknown board ${msg.boardId}`);
    if (updates.length === 0) {
      port.postMessage({ id: msg.id, ok: true, value: { count: 0, snapshotBytes: row.snapshot?.byteLength ?? 0 } });
      return;
    }
    const parts = [...(row.snapshot ? [toBytes(row.snapshot)] : []), ...updates.map((u) => toBytes(u.data))];
    const merged = Y.mergeUpdates(parts);
    // A view of a larger buffer cannot be transferred alone.
    const own = merged.byteOffset === 0 && merged.byteLength === merged.buffer.byteLength ? merged : merged.slice();
    const value = { count: updates.length, firstSeq: updates[0].seq, maxSeq: updates.at(-1).seq, merged: own };
    port.postMessage({ id: msg.id, ok: true, value }, [own.buffer]);
  } catch (err) {
    const info = err instanceof Error ? { message: err.message, code: /** @type {{ code?: unknown }} */ (err).code } : { message: String(err) };
    port.postMessage({ id: msg.id, ok: false, value: info });
  }
});
