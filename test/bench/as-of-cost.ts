/**
 * What "as of" costs on a long history, with and without checkpoints (HIS-8): a board of
 * 500 items, 20,000 recorded moves and edits in SQLite; the time to read and rebuild the
 * board as of the end, before and after one checkpoint.
 * Run: npx tsx test/bench/as-of-cost.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { newBoardId, type UserId } from '../../shared/ids.ts';
import { appendItems, listItems, moveItem, setItemTitle } from '../../shared/schema/board.ts';
import { compactBoard } from '../../server/storage/compaction.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';

const dir = await mkdtemp(path.join(os.tmpdir(), 'as-of-cost-'));
const storage = openSqliteStorage(path.join(dir, 'b.sqlite'));
const id = newBoardId();
const doc = new Y.Doc();
appendItems(doc, Array.from({ length: 500 }, (_, i) => ({ title: `Item ${i}`, createdBy: 'u1' as UserId })));
await storage.createBoard({ id, title: 'As of', createdAt: 1 }, Y.encodeStateAsUpdate(doc));
await storage.putHistoryBase(id, 1, Y.encodeStateAsUpdate(doc));
const pending: Uint8Array[] = [];
doc.on('update', (u: Uint8Array) => pending.push(u));
const N = 20_000;
// Stamped in the past, as a long-lived board's history would be.
let at = Date.now() - 8 * 3_600_000;
for (let i = 0; pending.length < N; i++) {
  const items = listItems(doc);
  if (i % 2 === 0) moveItem(doc, items[(i * 7) % items.length]!.id, { index: (i * 13) % items.length });
  else setItemTitle(doc, items[i % items.length]!.id, `Item ${i}`);
}
for (let i = 0; i < N; i += 500) {
  const batch = pending.slice(i, i + 500);
  await storage.appendUpdates(id, batch, { ats: batch.map(() => (at += 1_000)), events: [] });
}
const rebuild = async () => {
  const t0 = performance.now();
  const r = await storage.historyUpdatesUntil(id, at);
  const d = new Y.Doc();
  for (const u of r!.updates) Y.applyUpdate(d, u);
  const ms = performance.now() - t0;
  return { ms, parts: r!.updates.length, items: listItems(d).length };
};
const median = async () => {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await rebuild());
  runs.sort((a, b) => a.ms - b.ms);
  return runs[2]!;
};
const without = await median();
const t0 = performance.now();
const compacted = await compactBoard(storage, id, { checkpointMinBytes: 0 });
const size = compacted.snapshotBytes;
const checkpointMs = performance.now() - t0;
const withCp = await median();
console.log(`board of 500 items, ${N} recorded updates`);
console.log(`as-of at the end, no checkpoint: ${without.ms.toFixed(0)} ms (${without.parts} parts)`);
console.log(`one compaction that keeps its snapshot as a checkpoint: ${checkpointMs.toFixed(0)} ms, of it on the storage worker only the swap (${size} bytes)`);
console.log(`as-of at the end, from the checkpoint: ${withCp.ms.toFixed(1)} ms (${withCp.parts} parts)`);
await storage.close();
await rm(dir, { recursive: true, force: true });
