/**
 * Where the project's server spends its per-update CPU, step by step, next to what the
 * reference does for the same update (apply + encode one frame). Per-recipient sending is
 * the same for both servers and is not part of this.
 *   npx tsx test/bench/pipeline.ts [items=100] [ops=2000]
 * Each step is timed over the same recorded client updates (the bench's op mix) against
 * the server's copy of the board; SQLite appends go to a temporary file (FULL and NORMAL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance as nodePerf } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { appendItems, initBoard } from '../../shared/schema/board.ts';
import { openDotRound } from '../../shared/schema/dots.ts';
import { addsNothing, decodeUpdateSafe } from '../../server/rooms/updates.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { encodeSyncUpdate } from '../../shared/codec.ts';
import type { AuthUser } from '../../server/extensions.ts';
import { pickOp, runOp, type OpState } from './load/ops.ts';
import { summarize } from './lib/stats.ts';

const items = Number(process.argv[2] ?? 100);
const ops = Number(process.argv[3] ?? 2000);
const boardId = 'benchboard01' as BoardId;
const users: AuthUser[] = Array.from({ length: 8 }, (_, i) => ({
  boardId,
  userId: `benchuser${String(i).padStart(4, '0')}` as UserId,
  role: i === 0 ? 'sm' : 'dev',
  name: `User ${i}`,
}));

// The board as the server holds it, and one client replica per user that records its updates.
const base = new Y.Doc();
initBoard(base, { title: 'Pipeline', createdAt: 1 });
appendItems(
  base,
  Array.from({ length: items }, (_, i) => ({ title: `Seeded story ${i}: a realistic title`, createdBy: users[0]!.userId })),
);
openDotRound(base, { budget: 3 });
const initial = Y.encodeStateAsUpdate(base);

const replicas = users.map((u) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  const st: OpState = { userId: u.userId, seq: 0, dotted: [] };
  return { u, doc, st };
});
const recorded: { user: AuthUser; update: Uint8Array; decoded: unknown }[] = [];
for (let i = 0; i < ops; i++) {
  const r = replicas[i % replicas.length]!;
  let captured: Uint8Array | null = null;
  const grab = (u: Uint8Array) => {
    captured = u;
  };
  r.doc.on('update', grab);
  runOp(r.doc, pickOp(Math.random()), r.st, 'local');
  r.doc.off('update', grab);
  if (!captured) continue;
  // The room decodes each update once and hands the result to the gate.
  recorded.push({ user: r.u, update: captured, decoded: Y.decodeUpdate(captured) });
  // Every replica sees every update, as clients on a live board do.
  for (const o of replicas) if (o !== r) Y.applyUpdate(o.doc, captured, 'remote');
}

type Step = (u: { user: AuthUser; update: Uint8Array; decoded: unknown }, doc: Y.Doc) => void;

/** Times `step` per update on a fresh server doc; `apply` keeps that doc in step. */
function time(name: string, step: Step, apply = true): { name: string; meanUs: number; p50: number; p99: number } {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initial);
  const samples: number[] = [];
  for (const r of recorded) {
    const t = performance.now();
    step(r, doc);
    samples.push((performance.now() - t) * 1000);
    if (apply && name !== 'Y.applyUpdate') Y.applyUpdate(doc, r.update);
  }
  const s = summarize(samples);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  return { name, meanUs: mean, p50: s.p50, p99: s.p99 };
}

const gate = new PolicyGate();
const dir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
const full = openSqliteStorage(path.join(dir, 'full.sqlite'));
const normal = openSqliteStorage(path.join(dir, 'normal.sqlite'), { synchronous: 'NORMAL' });
await full.createBoard({ id: boardId, title: 'x', createdAt: 1 }, initial);
await normal.createBoard({ id: boardId, title: 'x', createdAt: 1 }, initial);

const rows = [
  time('decodeUpdate (well-formed?)', (r) => void decodeUpdateSafe(r.update)),
  time('addsNothing (resend?)', (r, doc) => void addsNothing(doc, decodeUpdateSafe(r.update)!)),
  time('policy gate check', (r, doc) => void gate.check({ doc, user: r.user, update: r.update, decoded: r.decoded })),
  time('Y.applyUpdate', (r, doc) => Y.applyUpdate(doc, r.update)),
  time('relay frame encode', (r) => void encodeSyncUpdate(r.update)),
];
// Async appends: time them one by one (one op per group commit, the worst case).
for (const [name, storage] of [
  ['SQLite append, FULL (fsync)', full],
  ['SQLite append, NORMAL', normal],
] as const) {
  const samples: number[] = [];
  for (const r of recorded) {
    const t = performance.now();
    await storage.appendUpdates(boardId, [r.update]);
    samples.push((performance.now() - t) * 1000);
  }
  const s = summarize(samples);
  rows.push({ name, meanUs: samples.reduce((a, b) => a + b, 0) / samples.length, p50: s.p50, p99: s.p99 });
}
await full.close();
await normal.close();
rmSync(dir, { recursive: true, force: true });

// One append per commit again, now for what it costs the event loop: the connection lives
// on a worker thread, so CPU (user+sys, whole process) and wall time differ from the time
// the main thread is busy (event-loop utilization), which is what delays relaying.
// Opening (the worker's startup, paid once per server) is left out.
const fsyncDir = mkdtempSync(path.join(os.tmpdir(), 'pipeline-'));
let fsyncCpuUs = 0;
let fsyncWallUs = 0;
let fsyncMainUs = 0;
{
  const storage = openSqliteStorage(path.join(fsyncDir, 'f.sqlite'));
  await storage.createBoard({ id: boardId, title: 'x', createdAt: 1 }, initial);
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const eluBefore = nodePerf.eventLoopUtilization();
  for (const r of recorded.slice(0, 300)) await storage.appendUpdates(boardId, [r.update]);
  fsyncMainUs = (nodePerf.eventLoopUtilization(eluBefore).active * 1000) / 300;
  const cpu = process.cpuUsage(cpuBefore);
  fsyncCpuUs = (cpu.user + cpu.system) / 300;
  fsyncWallUs = ((performance.now() - wallBefore) * 1000) / 300;
  await storage.close();
}

// The same 300 appends requested at once, as under load: they share group commits.
let groupWallUs = 0;
{
  const storage = openSqliteStorage(path.join(fsyncDir, 'g.sqlite'));
  await storage.createBoard({ id: boardId, title: 'x', createdAt: 1 }, initial);
  const t = performance.now();
  await Promise.all(recorded.slice(0, 300).map((r) => storage.appendUpdates(boardId, [r.update])));
  groupWallUs = ((performance.now() - t) * 1000) / 300;
  await storage.close();
}
rmSync(fsyncDir, { recursive: true, force: true });

console.log(`server pipeline per client update: ${recorded.length} updates (bench op mix), board of ${items} items`);
for (const r of rows) {
  console.log(`${r.name.padEnd(30)} mean ${r.meanUs.toFixed(1).padStart(8)} µs   p50 ${r.p50.toFixed(1).padStart(7)}   p99 ${r.p99.toFixed(1).padStart(8)}`);
}
console.log(
  `FULL append, one per commit: ${fsyncCpuUs.toFixed(0)} µs CPU (user+sys, both threads) and ${fsyncWallUs.toFixed(0)} µs wall per append; the event loop is busy ${fsyncMainUs.toFixed(0)} µs of it (the commit runs on the storage worker)`,
);
console.log(`FULL append, 300 requested at once (group commit): ${groupWallUs.toFixed(0)} µs wall per append`);
