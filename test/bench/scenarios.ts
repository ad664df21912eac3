/**
 * The bench scenarios. Each runs against one freshly started server and returns plain
 * numbers; run.ts compares the servers. A run that diverges or loses an update is
 * marked failed (converged: false), never reported as merely slow.
 */
import type { ClientSpec, FromWorker } from './load/messages.ts';
import type { LoadPool } from './lib/pool.ts';
import { cpuByThread, cpuMicros, memory } from './lib/proc.ts';
import type { Person, RunningServer } from './lib/servers.ts';
import { type Summary, summarize } from './lib/stats.ts';
import * as Y from 'yjs';
import { LIMITS } from '../../shared/limits.ts';

export interface Sizes {
  quick: boolean;
  /** (a) one board */
  oneBoardClients: number;
  /** (b) many boards */
  manyBoards: number;
  clientsPerBoard: number;
  opsPerSec: number;
  rateMs: number;
  /** (c) burst */
  burstClients: number;
  burstOps: number;
  /** (d) join */
  joinItems: number;
  joins: number;
  /** (e) idle */
  idleSockets: number;
  idleBoards: number;
  idleMs: number;
  /** How long the project keeps a board loaded after its last socket leaves. */
  idleUnloadMs: number;
  /** (f) durability: a burst on one board, the server killed this long after it starts. */
  durabilityClients: number;
  durabilityOps: number;
  killAfterMs: number;
  /** Kill/restart rounds per durable server (each on a fresh board and data directory). */
  kills: number;
}

export const FULL: Sizes = {
  quick: false,
  oneBoardClients: 50,
  manyBoards: 50,
  clientsPerBoard: 4,
  opsPerSec: 2,
  rateMs: 20_000,
  burstClients: 20,
  burstOps: 200,
  joinItems: 5000,
  joins: 15,
  idleSockets: 5000,
  idleBoards: 500,
  idleMs: 10_000,
  idleUnloadMs: 3000,
  durabilityClients: 10,
  durabilityOps: 200,
  killAfterMs: 1000,
  kills: 3,
};

export const QUICK: Sizes = {
  quick: true,
  oneBoardClients: 10,
  manyBoards: 5,
  clientsPerBoard: 4,
  opsPerSec: 2,
  rateMs: 4000,
  burstClients: 5,
  burstOps: 40,
  joinItems: 500,
  joins: 3,
  idleSockets: 200,
  idleBoards: 20,
  idleMs: 2000,
  idleUnloadMs: 1000,
  durabilityClients: 5,
  durabilityOps: 60,
  killAfterMs: 250,
  kills: 1,
};

export interface WriteResult {
  boards: number;
  clients: number;
  ops: number;
  skippedOps: number;
  deliveries: number;
  expectedDeliveries: number;
  missing: number;
  converged: boolean;
  divergentBoards: number;
  failedConnects: number;
  windowMs: number;
  deliveriesPerSec: number;
  serverCpuMs: number;
  cpuPerDeliveryUs: number;
  latencyMs: Summary;
  rssBeforeKb: number;
  rssConnectedKb: number;
  rssPerBoardKb: number;
  peakRssKb: number;
  closes: Record<string, number>;
  /** CPU the load workers used over the window, in % of one core (100 = the load core is saturated). */
  loadGenCpuPercent: number;
  /** Server CPU over the window by thread name: is it the event loop, GC helpers, the libuv pool? */
  serverThreadsCpuMs: Record<string, number>;
  afterLeave?: LeaveResult;
}

export interface LeaveResult {
  /** Boards still loaded after every client left and the idle delay passed. */
  loadedBoards: number | null;
  rssKb: number;
  /** RSS now minus RSS before any board had a client. */
  rssDeltaKb: number;
  waitedMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

interface Layout {
  boards: string[];
  specs: ClientSpec[];
  boardOf: Map<number, string>;
}

/** Boards and people: on the project each person joins through the REST API. */
async function layout(server: RunningServer, boards: number, perBoard: number, peoplePerBoard = perBoard): Promise<Layout> {
  const boardIds = await mapLimit(
    Array.from({ length: boards }, (_, i) => i),
    16,
    (i) => server.createBoard(`Bench board ${i}`),
  );
  const people = await mapLimit(boardIds, 16, async (b) =>
    mapLimit(
      Array.from({ length: peoplePerBoard }, (_, i) => i),
      4,
      // The first person seeds the board and opens the dot round: a Scrum Master.
      (i) => server.join(b, i === 0 ? 'Scrum Master' : `Dev ${i}`, i === 0 ? 'sm' : 'dev'),
    ),
  );
  const specs: ClientSpec[] = [];
  const boardOf = new Map<number, string>();
  boardIds.forEach((room, b) => {
    for (let i = 0; i < perBoard; i++) {
      const p: Person = people[b]![i % peoplePerBoard]!;
      const idx = specs.length;
      specs.push({
        idx,
        serverUrl: server.wsUrl,
        room,
        token: p.token,
        userId: p.userId,
        name: p.name,
        protocol: server.protocol,
      });
      boardOf.set(idx, room);
    }
  });
  return { boards: boardIds, specs, boardOf };
}

/** Waits until every board's clients hold the same state vector; false at the deadline. */
async function waitConverged(pool: LoadPool, boardOf: Map<number, string>, deadlineMs: number): Promise<boolean> {
  const end = performance.now() + deadlineMs;
  while (performance.now() < end) {
    const replies = await pool.all({ t: 'vectors' }, 'vectors');
    const perBoard = new Map<string, Set<string>>();
    for (const r of replies) {
      for (const [idx, sv] of Object.entries(r.vectors)) {
        const b = boardOf.get(Number(idx))!;
        const set = perBoard.get(b) ?? new Set();
        set.add(sv);
        perBoard.set(b, set);
      }
    }
    if ([...perBoard.values()].every((s) => s.size === 1)) return true;
    await sleep(200);
  }
  return false;
}

/** Boards whose clients' contents differ (sorted-key JSON digests). */
async function divergentBoards(pool: LoadPool, boardOf: Map<number, string>): Promise<number> {
  const replies = await pool.all({ t: 'digests' }, 'digests');
  const perBoard = new Map<string, Set<string>>();
  for (const r of replies) {
    for (const [idx, d] of Object.entries(r.digests)) {
      const b = boardOf.get(Number(idx))!;
      const set = perBoard.get(b) ?? new Set();
      set.add(d);
      perBoard.set(b, set);
    }
  }
  return [...perBoard.values()].filter((s) => s.size > 1).length;
}

/** After everyone leaves: does the server let go of the boards? */
async function afterLeave(server: RunningServer, rssBeforeKb: number, waitMs: number): Promise<LeaveResult> {
  const t0 = performance.now();
  const end = t0 + waitMs;
  let loaded = await server.loadedBoards();
  while (performance.now() < end && loaded !== 0) {
    await sleep(250);
    loaded = await server.loadedBoards();
  }
  // Give a collector a moment to return what the unloaded boards held.
  await sleep(500);
  const rssKb = memory(server.pid).rssKb;
  return { loadedBoards: loaded, rssKb, rssDeltaKb: rssKb - rssBeforeKb, waitedMs: performance.now() - t0 };
}

function fanoutLatencies(
  collected: Extract<FromWorker, { t: 'collected' }>[],
  clientIds: Map<number, number>,
  boardOf: Map<number, string>,
): { samples: number[]; missing: number; expected: number } {
  const writerIdx = new Map<number, number>();
  for (const [idx, id] of clientIds) writerIdx.set(id, idx);
  const members = new Map<string, number[]>();
  for (const [idx, b] of boardOf) members.set(b, [...(members.get(b) ?? []), idx]);
  const recvs = new Map<number, (typeof collected)[number]['recvs'][number]>();
  for (const c of collected) for (const [idx, log] of Object.entries(c.recvs)) recvs.set(Number(idx), log);

  const samples: number[] = [];
  const timeline: [number, number][] | null = process.env.BENCH_DEBUG ? [] : null;
  let missing = 0;
  let expected = 0;
  for (const c of collected) {
    for (const [writer, clock, t] of c.sends) {
      const w = writerIdx.get(writer);
      if (w === undefined) continue;
      for (const r of members.get(boardOf.get(w)!) ?? []) {
        if (r === w) continue;
        expected++;
        const log = recvs.get(r)?.[String(writer)];
        if (!log) {
          missing++;
          continue;
        }
        // First update at this receiver that covers the op's last struct.
        let lo = 0;
        let hi = log.clocks.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (log.clocks[mid]! >= clock) hi = mid;
          else lo = mid + 1;
        }
        if (lo < log.clocks.length) {
          samples.push(log.times[lo]! - t);
          if (timeline) timeline.push([t, log.times[lo]! - t]);
        } else missing++;
      }
    }
  }
  if (timeline && timeline.length > 0) {
    // Debug aid: median latency per second of send time shows a growing queue at a glance.
    const t0 = Math.min(...timeline.map(([t]) => t));
    const buckets = new Map<number, number[]>();
    for (const [t, l] of timeline) {
      const k = Math.floor((t - t0) / 1000);
      buckets.set(k, [...(buckets.get(k) ?? []), l]);
    }
    console.log(
      [...buckets].map(([k, ls]) => `${k}s:${summarize(ls).p50.toFixed(0)}`).join(' '),
    );
  }
  return { samples, missing, expected };
}

export interface WriteOpts {
  boards: number;
  clientsPerBoard: number;
  seedItems: number;
  load: { kind: 'rate'; opsPerSec: number; durationMs: number } | { kind: 'burst'; ops: number };
  leaveWaitMs?: number;
}

/** (a), (b), (c): everyone writes; every other client on the board must see every op. */
export async function writeScenario(server: RunningServer, pool: LoadPool, o: WriteOpts): Promise<WriteResult> {
  const lay = await layout(server, o.boards, o.clientsPerBoard);
  const rssBeforeKb = memory(server.pid).rssKb;
  const { clientIds, failed } = await pool.connect(lay.specs, 25);
  // The first client on each board writes its starting content; the reference has no
  // server-side defaults, so there it also writes the board's meta (as its clients would).
  const seeders = lay.boards.map((b) => lay.specs.find((s) => s.room === b)!.idx);
  await Promise.all(
    [...pool.byWorker(seeders)].map(async ([w, idxs]) => {
      for (const idx of idxs)
        await w.ask({ t: 'seed', idx, items: o.seedItems, init: server.kind !== 'project', chunk: 500 }, 'seeded');
    }),
  );
  if (!(await waitConverged(pool, lay.boardOf, 60_000))) throw new Error('clients never synced the seeded boards');
  await sleep(300);
  const rssConnectedKb = memory(server.pid).rssKb;

  await pool.all({ t: 'record', on: true }, 'ok');
  const cpu0 = cpuMicros(server.pid);
  const threads0 = cpuByThread(server.pid);
  const load0 = pool.cpuMicros();
  const t0 = performance.now();
  const all = lay.specs.map((s) => s.idx);
  const ran = await Promise.all(
    [...pool.byWorker(all)].map(([w, idxs]) =>
      o.load.kind === 'rate'
        ? w.ask({ t: 'rate', idxs, opsPerSec: o.load.opsPerSec, durationMs: o.load.durationMs }, 'ran')
        : w.ask({ t: 'burst', idxs, ops: o.load.ops }, 'ran'),
    ),
  );
  const converged = await waitConverged(pool, lay.boardOf, 60_000);
  const windowMs = performance.now() - t0;
  const cpu1 = cpuMicros(server.pid);
  const threads1 = cpuByThread(server.pid);
  const serverThreadsCpuMs: Record<string, number> = {};
  for (const [name, us] of Object.entries(threads1)) serverThreadsCpuMs[name] = (us - (threads0[name] ?? 0)) / 1000;
  const loadGenCpuPercent = ((pool.cpuMicros() - load0) / 1000 / windowMs) * 100;
  await pool.all({ t: 'record', on: false }, 'ok');
  const collected = await pool.all({ t: 'collect' }, 'collected');
  const divergent = await divergentBoards(pool, lay.boardOf);
  const peakRssKb = memory(server.pid).hwmKb;

  const { samples, missing, expected } = fanoutLatencies(collected, clientIds, lay.boardOf);
  const deliveries = collected.reduce((n, c) => n + c.deliveries, 0);
  const closes: Record<string, number> = {};
  for (const c of collected) for (const [k, v] of Object.entries(c.closes)) closes[k] = (closes[k] ?? 0) + v;
  const serverCpuMs = (cpu1 - cpu0) / 1000;

  await pool.disconnect();
  const leave = o.leaveWaitMs !== undefined ? await afterLeave(server, rssBeforeKb, o.leaveWaitMs) : undefined;
  return {
    boards: o.boards,
    clients: lay.specs.length,
    ops: ran.reduce((n, r) => n + r.ops, 0),
    skippedOps: ran.reduce((n, r) => n + r.skipped, 0),
    deliveries,
    expectedDeliveries: expected,
    missing,
    converged: converged && divergent === 0 && missing === 0 && failed === 0,
    divergentBoards: divergent,
    failedConnects: failed,
    windowMs,
    deliveriesPerSec: expected / (windowMs / 1000),
    serverCpuMs,
    // Per op delivered to one client: a server that merges updates sends fewer, larger
    // messages, and that must count in its favour, not against it.
    cpuPerDeliveryUs: (serverCpuMs * 1000) / Math.max(1, expected),
    latencyMs: summarize(samples),
    rssBeforeKb,
    rssConnectedKb,
    rssPerBoardKb: (rssConnectedKb - rssBeforeKb) / o.boards,
    peakRssKb,
    closes,
    loadGenCpuPercent,
    serverThreadsCpuMs,
    afterLeave: leave,
  };
}

export interface JoinResult {
  items: number;
  /** Provider created → synced, with another person keeping the board open. */
  joinMs: Summary;
  /** Provider created → socket open (HTTP upgrade done, token checked on the project). */
  socketOpenMs: Summary;
  /** Provider created → the server's sync step 2 arrived (before the client applies it). */
  step2Ms: Summary;
  /** Provider created → the doc holds every seeded item (after synced; later when a server sends the content after its step 2). */
  contentMs: Summary;
  /** Joins after everyone left (and, on the project, the board was unloaded). */
  coldJoinMs: Summary;
  coldContentMs: Summary;
  coldStep2Ms: Summary;
  loadedBeforeCold: number | null;
  rssWithBoardKb: number;
  peakRssKb: number;
  converged: boolean;
}

/** (d) a new client joining a board of `items` items. */
export async function joinScenario(
  server: RunningServer,
  pool: LoadPool,
  items: number,
  joins: number,
  unloadWaitMs: number,
): Promise<JoinResult> {
  const lay = await layout(server, 1, 2);
  const { failed } = await pool.connect(lay.specs, 2);
  // The second client keeps the board open while others join.
  const [seeder] = lay.specs;
  await pool
    .workerOf(seeder!.idx)
    .ask({ t: 'seed', idx: seeder!.idx, items, init: server.kind !== 'project', chunk: 500 }, 'seeded');
  // The keeper having it all means the server has it all.
  const converged = (await waitConverged(pool, lay.boardOf, 120_000)) && failed === 0;
  const joiner = await server.join(lay.boards[0]!, 'Late joiner');
  const spec: ClientSpec = { ...seeder!, idx: -1, token: joiner.token, userId: joiner.userId, name: joiner.name };
  const w = pool.workers[pool.workers.length - 1]!;
  const warm = await w.ask({ t: 'joins', spec, count: joins, expectItems: items }, 'joined');
  const rssWithBoardKb = memory(server.pid).rssKb;
  await pool.disconnect();
  const leave = await afterLeave(server, 0, unloadWaitMs);
  // One join only: it leaves again at once, so a second one would find the board loaded.
  const cold = await w.ask({ t: 'joins', spec, count: 1, expectItems: items }, 'joined');
  return {
    items,
    joinMs: summarize(warm.times),
    socketOpenMs: summarize(warm.openTimes),
    step2Ms: summarize(warm.step2Times),
    coldJoinMs: summarize(cold.times),
    contentMs: summarize(warm.contentTimes),
    coldContentMs: summarize(cold.contentTimes),
    coldStep2Ms: summarize(cold.step2Times),
    loadedBeforeCold: leave.loadedBoards,
    rssWithBoardKb,
    peakRssKb: memory(server.pid).hwmKb,
    converged,
  };
}

export interface IdleResult {
  sockets: number;
  boards: number;
  connected: number;
  connectMs: number;
  rssBeforeKb: number;
  rssConnectedKb: number;
  rssPerSocketKb: number;
  peakRssKb: number;
  idleCpuPercent: number;
  afterLeave: LeaveResult;
}

/** (e) many idle sockets over many boards; then everyone leaves. */
export async function idleScenario(
  server: RunningServer,
  pool: LoadPool,
  sockets: number,
  boards: number,
  idleMs: number,
  leaveWaitMs: number,
): Promise<IdleResult> {
  const perBoard = Math.ceil(sockets / boards);
  // As few people per board as the per-person socket cap allows (SRV-13), each with several
  // tabs open: that keeps the REST part of the setup short.
  const lay = await layout(server, boards, perBoard, Math.ceil(perBoard / LIMITS.maxSocketsPerUser));
  await sleep(500);
  const rssBeforeKb = memory(server.pid).rssKb;
  const t0 = performance.now();
  const { failed } = await pool.connect(lay.specs, 50);
  const connectMs = performance.now() - t0;
  await sleep(1000);
  const rssConnectedKb = memory(server.pid).rssKb;
  const cpu0 = cpuMicros(server.pid);
  const i0 = performance.now();
  await sleep(idleMs);
  const idleCpuPercent = ((cpuMicros(server.pid) - cpu0) / 1000 / (performance.now() - i0)) * 100;
  const peakRssKb = memory(server.pid).hwmKb;
  const connected = lay.specs.length - failed;
  await pool.disconnect();
  const leave = await afterLeave(server, rssBeforeKb, leaveWaitMs);
  return {
    sockets: lay.specs.length,
    boards,
    connected,
    connectMs,
    rssBeforeKb,
    rssConnectedKb,
    rssPerSocketKb: (rssConnectedKb - rssBeforeKb) / Math.max(1, connected),
    peakRssKb,
    idleCpuPercent,
    afterLeave: leave,
  };
}

export interface DurabilityResult {
  clients: number;
  /** Rounds summed here (kill, restart, count); `rounds` holds each. */
  kills?: number;
  rounds?: DurabilityResult[];
  /** The trigger fired: a client received an update and the server was killed at once. */
  killed: boolean;
  /** Ms from the burst's start to the kill. */
  killedAfterMs: number | null;
  /** Burst ops written before the kill (by their writers; not all had reached the server). */
  opsWrittenBeforeKill: number;
  /** Burst ops some client other than the writer had received before the kill. */
  opsSeen: number;
  /** Of those, ops the restarted server no longer has: the durability figure (0 = none lost). */
  opsLost: number;
  /** The same over the whole document (seed included), in Yjs clock units (structs). */
  structsSeen: number;
  structsLost: number;
  /** Kill → restarted server answering a fresh client's sync. */
  restartMs: number;
}

const decodeSv = (b64: string): Map<number, number> => Y.decodeStateVector(Buffer.from(b64, 'base64'));

/** Milliseconds on the clock the load workers stamp with (shared by every process here). */
const now = () => performance.timeOrigin + performance.now();

/**
 * Durability: during a burst, kill -9 the server right after a client received an update,
 * restart it on the same data, and count what some client had seen that the server lost.
 * `start` starts the server on the data directory it is given.
 */
export async function durabilityScenario(
  start: (dataDir: string) => Promise<RunningServer>,
  dataDir: string,
  pool: LoadPool,
  o: { clients: number; ops: number; killAfterMs: number },
): Promise<DurabilityResult> {
  const server = await start(dataDir);
  const lay = await layout(server, 1, o.clients);
  const { clientIds, failed } = await pool.connect(lay.specs, 25);
  if (failed > 0) throw new Error(`${failed} clients did not connect`);
  const [seeder] = lay.specs;
  await pool
    .workerOf(seeder!.idx)
    .ask({ t: 'seed', idx: seeder!.idx, items: 100, init: server.kind !== 'project', chunk: 500 }, 'seeded');
  if (!(await waitConverged(pool, lay.boardOf, 60_000))) throw new Error('clients never synced the seeded board');
  // Longer than Hocuspocus' 2 s store debounce: the seeded board is stored before the burst,
  // so the figures are about the burst.
  await sleep(3000);

  await pool.all({ t: 'record', on: true }, 'ok');
  const all = lay.specs.map((s) => s.idx);
  const t0 = now();
  const groups = [...pool.byWorker(all)];
  const ran = await Promise.all(
    groups.map(([w, idxs], k) =>
      w.ask(
        { t: 'burst', idxs, ops: o.ops, kill: k === 0 ? { pid: server.pid, afterMs: o.killAfterMs } : undefined },
        'ran',
      ),
    ),
  );
  const killedAt = ran.find((r) => r.killedAt !== undefined)?.killedAt;
  await server.stop(); // already dead when the trigger fired; otherwise a clean stop (no kill measured)
  const vectors = await pool.all({ t: 'vectors' }, 'vectors');
  await pool.all({ t: 'record', on: false }, 'ok');
  const collected = await pool.all({ t: 'collect' }, 'collected');
  await pool.disconnect();

  // What the server had relayed: per writer, the highest clock any other client holds.
  const idOf = new Map([...clientIds].map(([idx, id]) => [idx, id]));
  const seen = new Map<number, number>();
  for (const r of vectors) {
    for (const [idx, b64] of Object.entries(r.vectors)) {
      const own = idOf.get(Number(idx));
      for (const [writer, clock] of decodeSv(b64)) {
        if (writer === own) continue;
        seen.set(writer, Math.max(seen.get(writer) ?? 0, clock));
      }
    }
  }

  const restartT0 = now();
  const again = await start(dataDir);
  let held: Record<string, number>;
  try {
    // An existing person's token (the project keeps its signing secret in the data directory).
    const probe = await pool.workers[0]!.ask({ t: 'probe', spec: { ...lay.specs[1]!, idx: -1, serverUrl: again.wsUrl } }, 'probed');
    held = probe.stateVector;
  } finally {
    await again.stop();
  }
  const restartMs = now() - restartT0;

  let opsWrittenBeforeKill = 0;
  let opsSeen = 0;
  let opsLost = 0;
  for (const c of collected) {
    for (const [writer, clock, t] of c.sends) {
      if (killedAt !== undefined && t > killedAt) continue;
      opsWrittenBeforeKill++;
      if (clock > (seen.get(writer) ?? 0)) continue;
      opsSeen++;
      if (clock > (held[String(writer)] ?? 0)) opsLost++;
    }
  }
  let structsSeen = 0;
  let structsLost = 0;
  for (const [writer, clock] of seen) {
    structsSeen += clock;
    structsLost += Math.max(0, clock - (held[String(writer)] ?? 0));
  }
  return {
    clients: o.clients,
    killed: killedAt !== undefined,
    killedAfterMs: killedAt === undefined ? null : killedAt - t0,
    opsWrittenBeforeKill,
    opsSeen,
    opsLost,
    structsSeen,
    structsLost,
    restartMs,
  };
}

/** Several rounds as one: counts summed, times averaged; `killed` only if every round was. */
export function sumDurability(rounds: DurabilityResult[]): DurabilityResult {
  const sum = (f: (r: DurabilityResult) => number) => rounds.reduce((n, r) => n + f(r), 0);
  const killedTimes = rounds.map((r) => r.killedAfterMs).filter((t): t is number => t !== null);
  return {
    clients: rounds[0]?.clients ?? 0,
    kills: rounds.length,
    rounds,
    killed: rounds.length > 0 && rounds.every((r) => r.killed),
    killedAfterMs: killedTimes.length ? killedTimes.reduce((a, b) => a + b, 0) / killedTimes.length : null,
    opsWrittenBeforeKill: sum((r) => r.opsWrittenBeforeKill),
    opsSeen: sum((r) => r.opsSeen),
    opsLost: sum((r) => r.opsLost),
    structsSeen: sum((r) => r.structsSeen),
    structsLost: sum((r) => r.structsLost),
    restartMs: sum((r) => r.restartMs) / Math.max(1, rounds.length),
  };
}
