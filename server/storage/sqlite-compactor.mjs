/**
 * Reads and folds a board's stored state for the SQLite worker (sqlite-worker.mjs), on a
 * thread of its own: the merge — Y.mergeUpdates of the whole snapshot, 100+ ms for a
 * 5,000-item board — would otherwise hold up every append of every board queued behind it.
 * It reads through its own connection (WAL: a reader never blocks the writer), with the
 * history's last seq in the same read (HIS-8: the snapshot may become a checkpoint), and writes
 * nothing; compaction.ts then swaps the new snapshot in with the worker's short
 * compare-and-swap transaction.
 *
 * Protocol: requests `{ id, boardId }`; replies `{ id, ok, value }` where value is a
 * FoldedBoard (types.ts; its snapshot's buffer transferred) or an error's `{ message, code }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { nameThisThread } from './threadName.mjs';
import Database from 'better-sqlite3';
import { ownBuffer, toBytes } from './bytes.mjs';
import { foldLog } from './fold.mjs';
import { historyCovered } from './sqlite-history.mjs';

/** @type {{ file: string; busyTimeoutMs: number }} */
const { file, busyTimeoutMs } = workerData;
const port = parentPort;
nameThisThread('sqlite-fold');
if (!port) throw new Error('sqlite-compactor.mjs must run as a worker thread');

const db = new Database(file);
db.pragma(`busy_timeout = ${busyTimeoutMs}`);
const getSnapshot = db.prepare('SELECT snapshot FROM boards WHERE id = ?');
const getUpdates = db.prepare('SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq');
const historyOf = historyCovered(db);
// One read transaction: the snapshot, the log and the history's last seq as of the same moment.
const read = db.transaction((/** @type {string} */ id) => ({ row: getSnapshot.get(id), updates: getUpdates.all(id), history: historyOf(id) }));

port.on('message', (/** @type {{ id: number; boardId: string }} */ msg) => {
  try {
    const { row, updates, history } = read(msg.boardId);
    if (!row) throw new Error(`unknown board ${msg.boardId}`);
    const snapshot = row.snapshot ? toBytes(row.snapshot) : null;
    const value = foldLog(snapshot, updates.map((u) => ({ seq: u.seq, data: toBytes(u.data) })));
    // What the snapshot holds of the history, read with it (HIS-8).
    value.history = history;
    if (!value.folded) {
      port.postMessage({ id: msg.id, ok: true, value });
      return;
    }
    // A view of a larger buffer cannot be transferred alone.
    const own = ownBuffer(value.folded.snapshot);
    value.folded.snapshot = own;
    port.postMessage({ id: msg.id, ok: true, value }, [own.buffer]);
  } catch (err) {
    const info = err instanceof Error ? { message: err.message, code: /** @type {{ code?: unknown }} */ (err).code } : { message: String(err) };
    port.postMessage({ id: msg.id, ok: false, value: info });
  }
});
