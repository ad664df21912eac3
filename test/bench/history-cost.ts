/**
 * What the history store costs per accepted update (HIS-1): µs on the event loop (deriving
 * events, holding them and handing them to the append) and bytes on disk per 1,000 updates
 * in SQLite (pages of the history tables and indexes, from dbstat after a checkpoint).
 * Run: npx tsx test/bench/history-cost.ts [items]   (board size, 200 unless given)
 * Prints the mean, median and p99 per update: the machine is shared, so the median is the
 * figure to compare between runs (the mean carries the GC pauses the bench's own reads cause).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { HistoryRecorder } from '../../server/history/recorder.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { newBoardId, type UserId } from '../../shared/ids.ts';
import { appendItems, moveItem, setItemTitle } from '../../shared/schema/board.ts';

const ITEMS = Number(process.argv[2] ?? 200);
const dir = await mkdtemp(path.join(os.tmpdir(), 'history-cost-'));
const file = path.join(dir, 'b.sqlite');
const storage = openSqliteStorage(file);
const id = newBoardId();
const doc = new Y.Doc();
const ids = appendItems(doc, Array.from({ length: ITEMS }, (_, i) => ({ title: `Item ${i}`, createdBy: 'u1' as UserId })));
await storage.createBoard({ id, title: 'Cost', createdAt: 1 }, Y.encodeStateAsUpdate(doc));
const recorder = new HistoryRecorder(id, storage, () => Date.now(), console.error);
recorder.loaded(doc);
await recorder.settled();
const sizeOf = async () => (await stat(file)).size + (await stat(`${file}-wal`).catch(() => ({ size: 0 }))).size;
const author = { boardId: id, userId: 'u1' as never, role: 'dev' as const, name: 'Ada' };
const updates: { u: Uint8Array; tr: Y.Transaction }[] = [];
doc.on('update', (u: Uint8Array, _o: unknown, _d: Y.Doc, tr: Y.Transaction) => updates.push({ u, tr }));
const before = await sizeOf();
let busy = 0n;
const each: number[] = [];
const N = 1000;
let done = 0;
for (let i = 0; done < N; i++) {
  // Targets by id, not from a read of the whole board each time: that read's garbage (an
  // object per item) was collected inside the timed part and made the figure grow with the board.
  if (i % 2 === 0) moveItem(doc, ids[(i * 7) % ids.length]!, { index: (i * 13) % ids.length });
  else setItemTitle(doc, ids[i % ids.length]!, `Item ${i} edited`);
  const next = updates.pop();
  if (!next) continue; // a move to where it already was writes nothing
  done++;
  const { u, tr } = next;
  const t0 = process.hrtime.bigint();
  recorder.applied(u, doc, tr, author);
  const history = recorder.take([u]);
  const dt = process.hrtime.bigint() - t0;
  busy += dt;
  each.push(Number(dt) / 1e3);
  // As the room does: the history goes into the update's own append (HIS-7).
  await storage.appendUpdates(id, [u], history);
}
await recorder.settled();
await storage.close();
// Pages each table and index holds, after a checkpoint (the WAL is not data): history apart
// from the update log, which the board keeps anyway.
const db = new Database(file);
db.pragma('wal_checkpoint(TRUNCATE)');
const pages = db
  .prepare(`SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name`)
  .all() as { name: string; bytes: number }[];
db.close();
const bytesOf = (prefix: string) => pages.filter((p) => p.name.startsWith(prefix)).reduce((n, p) => n + p.bytes, 0);
const after = await sizeOf();
each.sort((a, b) => a - b);
const at = (q: number) => each[Math.min(each.length - 1, Math.floor(q * each.length))]!.toFixed(1);
console.log(`board of ${ITEMS} items, ${N} updates (moves and title edits)`);
console.log(
  `event loop: ${(Number(busy) / 1e3 / N).toFixed(1)} µs per update (derive + hold + hand to the append); median ${at(0.5)} µs, p99 ${at(0.99)} µs`,
);
console.log(`disk: history tables ${bytesOf('history_')} bytes per 1,000 updates (update log: ${bytesOf('updates')} bytes; file grew ${Math.round(after - before)})`);
await rm(dir, { recursive: true, force: true });
