/**
 * What the SQLite storage thread costs per append, apart from the rest of the server: 50
 * boards, each append one ~80-byte update with its history (a time and an edit event), at
 * the pace of bench scenario (b) (400 appends/s, spread over the boards), through the real
 * adapter. Prints the storage thread's CPU per append (it names itself "sqlite-store").
 * Run: npx tsx test/bench/storage-cost.ts [appends] [perSecond] [--normal] [--no-history]
 * (`--normal`: synchronous=NORMAL, no fsync per commit; `--no-history`: appends without HIS-7's history)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import type { BoardId } from '../../shared/ids.ts';
import { cpuByThread } from './lib/proc.ts';

const [N = 8000, RATE = 400] = process.argv.slice(2).filter((a) => /^\d+$/.test(a)).map(Number);
const BOARDS = 50;
const dir = mkdtempSync(path.join(os.tmpdir(), 'storage-cost-'));
const storage = openSqliteStorage(path.join(dir, 'board.db'), { synchronous: process.argv.includes('--normal') ? 'NORMAL' : 'FULL' });
const ids: BoardId[] = [];
for (let b = 0; b < BOARDS; b++) {
  const id = `board-${b}` as BoardId;
  const doc = new Y.Doc();
  doc.getMap('items').set('seed', 'x');
  await storage.createBoard({ id, title: `B${b}`, createdAt: Date.now() }, Y.encodeStateAsUpdate(doc));
  ids.push(id);
}
const docs = ids.map(() => new Y.Doc());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const before = cpuByThread(process.pid);
const t0 = performance.now();
const pending: Promise<unknown>[] = [];
for (let i = 0; i < N; i++) {
  const b = i % BOARDS;
  const doc = docs[b]!;
  let update: Uint8Array | null = null;
  doc.once('update', (u: Uint8Array) => {
    update = u;
  });
  doc.getText('t').insert(0, `edit ${i} of a title, about this long`);
  const at = Date.now();
  pending.push(
    storage.appendUpdates(ids[b]!, [update!], process.argv.includes('--no-history') ? null : {
      ats: [at],
      events: [{ at, userId: `u${i % 200}`, userName: 'Person', userRole: 'dev', kind: 'edited', itemId: `item-${i % 7}`, data: '{"field":"title"}', coalesceKey: `u${i % 200}:item-${i % 7}:title:${Math.floor(at / 60000)}` }],
    }),
  );
  const due = t0 + ((i + 1) * 1000) / RATE;
  const wait = due - performance.now();
  if (wait > 1) await sleep(wait);
}
await Promise.all(pending);
const wall = performance.now() - t0;
const after = cpuByThread(process.pid);
const store = ((after['other sqlite-store'] ?? 0) - (before['other sqlite-store'] ?? 0)) / 1000;
const loop = ((after['event loop'] ?? 0) - (before['event loop'] ?? 0)) / 1000;
console.log(`${N} appends in ${(wall / 1000).toFixed(1)} s: storage thread ${store.toFixed(0)} ms CPU = ${((store * 1000) / N).toFixed(1)} µs per append; event loop ${loop.toFixed(0)} ms`);
await storage.close();
rmSync(dir, { recursive: true, force: true });
