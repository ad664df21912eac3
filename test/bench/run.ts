/**
 * `npm run bench [-- --quick] [-- --only=a,b,c,d,e,f,browser] [-- --servers=project,floor] [-- --cpu-prof]
 *   [-- --boost] [-- --sqlite-normal]` (what-if: the project's SQLite at synchronous=NORMAL instead of FULL)
 * The same from the environment: BENCH_QUICK=1, BENCH_ONLY=a,b, BENCH_SERVERS=project,hocuspocus.
 *
 * Runs every scenario against the project's server, the reference (@y/websocket-server
 * 0.1.1 on ws 8, memory only), Hocuspocus 3 with its database extension on SQLite,
 * @y/websocket-server with y-leveldb, and the floor (a relay that keeps nothing), one fresh
 * server process per scenario, interleaved so a change in machine load hits all alike.
 * (f) kills each durable server with -9 mid-burst and counts what it lost. Prints the
 * comparison table and writes bench-results/<date>[-quick].json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BrowserResult, browserBench } from './browser.ts';
import { LoadPool } from './lib/pool.ts';
import {
  ALL_KINDS,
  boost,
  DURABLE,
  hasTaskset,
  LABELS,
  type RunningServer,
  type ServerKind,
  startServer,
} from './lib/servers.ts';
import {
  type DurabilityResult,
  durabilityScenario,
  FULL,
  sumDurability,
  type IdleResult,
  idleScenario,
  type JoinResult,
  joinScenario,
  QUICK,
  type Sizes,
  type WriteResult,
  writeScenario,
} from './scenarios.ts';
import { buildRows, formatTable } from './table.ts';

const args = process.argv.slice(2);
const envOf = (name: string) => process.env[`BENCH_${name.toUpperCase().replaceAll('-', '_')}`];
const flag = (name: string) => args.includes(`--${name}`) || ['1', 'true'].includes(envOf(name) ?? '');
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? envOf(name);

const sizes: Sizes = flag('quick') ? QUICK : FULL;
const only = new Set((option('only') ?? 'a,b,c,d,e,f,browser').split(','));
const kinds: ServerKind[] = (option('servers')?.split(',') as ServerKind[] | undefined) ?? [...ALL_KINDS];
for (const k of kinds) if (!ALL_KINDS.includes(k)) throw new Error(`unknown server ${k}; one of ${ALL_KINDS.join(', ')}`);
const root = path.resolve(new URL('../..', import.meta.url).pathname);
const outDir = path.join(root, 'bench-results');
const profDir = flag('cpu-prof') ? path.join(outDir, 'profiles') : undefined;
if (flag('boost')) boost.niceness = -20;

export interface BenchResults {
  a?: Partial<Record<ServerKind, WriteResult>>;
  b?: Partial<Record<ServerKind, WriteResult>>;
  c?: Partial<Record<ServerKind, WriteResult>>;
  d?: Partial<Record<ServerKind, JoinResult>>;
  e?: Partial<Record<ServerKind, IdleResult>>;
  f?: Partial<Record<ServerKind, DurabilityResult>>;
  browser?: BrowserResult | { error: string };
}

function version(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
      .version;
  } catch {
    return '?';
  }
}

function machine() {
  const cpus = os.cpus();
  let commit = '?';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim();
  } catch {}
  return {
    nproc: cpus.length,
    cpuModel: cpus[0]?.model ?? '?',
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    taskset: hasTaskset(),
    ulimitN: (() => {
      try {
        return execFileSync('sh', ['-c', 'ulimit -n']).toString().trim();
      } catch {
        return '?';
      }
    })(),
    versions: {
      yjs: version('yjs'),
      'y-websocket': version('y-websocket'),
      ws: version('ws'),
      '@y/websocket-server': version('@y/websocket-server'),
      '@hocuspocus/server': version('@hocuspocus/server'),
      '@hocuspocus/extension-database': version('@hocuspocus/extension-database'),
      'y-leveldb': version('y-leveldb'),
      'better-sqlite3': version('better-sqlite3'),
      chromium: '',
    },
    commit,
  };
}

async function withServer<T>(kind: ServerKind, fn: (s: RunningServer) => Promise<T>): Promise<T> {
  const server = await startServer(kind, {
    cpuProfDir: profDir ? path.join(profDir, kind) : undefined,
    env: {
      BENCH_IDLE_UNLOAD_MS: String(sizes.idleUnloadMs),
      BENCH_SQLITE_SYNCHRONOUS: flag('sqlite-normal') ? 'NORMAL' : 'FULL',
    },
  });
  try {
    return await fn(server);
  } finally {
    await server.stop();
    // The project's server deletes its data directory on stop; flush that (and its WAL
    // writes) to disk now, or the next scenario's fsyncs wait behind it.
    execFileSync('sync');
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const info = machine();
  const loadStart = os.loadavg();
  console.log(
    `bench${sizes.quick ? ' --quick' : ''}: ${info.nproc} cores (${info.cpuModel}), ${info.memoryGiB} GiB, node ${info.node}, ` +
      `taskset ${info.taskset ? 'on (server core 0, load core 1)' : 'unavailable'}${boost.niceness !== null ? `, nice ${boost.niceness}` : ''}, load avg ${loadStart.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const about: Record<ServerKind, string> = {
    project: `server/ with SQLite storage (synchronous=${flag('sqlite-normal') ? 'NORMAL — what-if run, not the shipped default' : 'FULL'}), signed tokens and write policy on`,
    reference: '@y/websocket-server utils (no auth, no persistence, never unloads boards)',
    hocuspocus: `@hocuspocus/server ${info.versions['@hocuspocus/server']} + extension-database on better-sqlite3 (whole state, debounce 2 s / max 10 s); clients: WebsocketProvider through hocuspocusSocket.ts`,
    ywsleveldb: `@y/websocket-server utils with YPERSISTENCE (y-leveldb ${info.versions['y-leveldb']}, every update, no fsync)`,
    floor: 'a relay that keeps no document (ws only; empty step 2; forwards frames)',
  };
  for (const k of kinds) console.log(`${LABELS[k].padEnd(20)} ${about[k]}`);
  console.log('');

  const pool = new LoadPool(4);
  const results: BenchResults = {};
  const log = (msg: string) => console.log(`  ${new Date().toISOString().slice(11, 19)} ${msg}`);
  const leaveWait = sizes.idleUnloadMs + 15_000;
  let scenarioCount = 0;

  const scenario = async <T>(
    key: 'a' | 'b' | 'c' | 'd' | 'e',
    title: string,
    fn: (s: RunningServer) => Promise<T>,
    skip: ReadonlySet<ServerKind> = new Set(),
  ) => {
    if (!only.has(key)) return;
    const out: Partial<Record<ServerKind, T>> = {};
    // Alternate the order, so a drift in machine load does not always favour one server.
    const mine = kinds.filter((k) => !skip.has(k));
    const order = ++scenarioCount % 2 === 0 ? [...mine].reverse() : mine;
    for (const kind of order) {
      log(`(${key}) ${title} — ${kind}`);
      try {
        out[kind] = await withServer(kind, fn);
      } catch (e) {
        console.error(`  (${key}) ${kind} failed: ${e instanceof Error ? e.message : e}`);
        await pool.disconnect().catch(() => {});
      }
    }
    (results as Record<string, unknown>)[key] = out;
  };

  try {
    await scenario('a', `1 board × ${sizes.oneBoardClients} clients at ${sizes.opsPerSec} ops/s`, (s) =>
      writeScenario(s, pool, {
        boards: 1,
        clientsPerBoard: sizes.oneBoardClients,
        seedItems: 100,
        load: { kind: 'rate', opsPerSec: sizes.opsPerSec, durationMs: sizes.rateMs },
      }),
    );
    await scenario('b', `${sizes.manyBoards} boards × ${sizes.clientsPerBoard} clients`, (s) =>
      writeScenario(s, pool, {
        boards: sizes.manyBoards,
        clientsPerBoard: sizes.clientsPerBoard,
        seedItems: 50,
        load: { kind: 'rate', opsPerSec: sizes.opsPerSec, durationMs: sizes.rateMs },
        leaveWaitMs: leaveWait,
      }),
    );
    await scenario('c', `burst: ${sizes.burstClients} clients × ${sizes.burstOps} ops, as fast as they can`, (s) =>
      writeScenario(s, pool, {
        boards: 1,
        clientsPerBoard: sizes.burstClients,
        seedItems: 100,
        load: { kind: 'burst', ops: sizes.burstOps },
      }),
    );
    // The floor holds no document, so it has nothing to give a late joiner.
    await scenario(
      'd',
      `join a ${sizes.joinItems}-item board (${sizes.joins} joins)`,
      (s) => joinScenario(s, pool, sizes.joinItems, sizes.joins, leaveWait),
      new Set(['floor']),
    );
    await scenario('e', `${sizes.idleSockets} idle sockets over ${sizes.idleBoards} boards`, (s) =>
      idleScenario(s, pool, sizes.idleSockets, sizes.idleBoards, sizes.idleMs, leaveWait),
    );
    if (only.has('f')) {
      const out: Partial<Record<ServerKind, DurabilityResult>> = {};
      for (const kind of kinds.filter((k) => DURABLE.has(k))) {
        log(
          `(f) kill -9 during a burst of ${sizes.durabilityClients} × ${sizes.durabilityOps}, restart on the same data, ${sizes.kills}× — ${kind}`,
        );
        const rounds: DurabilityResult[] = [];
        for (let round = 0; round < sizes.kills; round++) {
          const dataDir = mkdtempSync(path.join(os.tmpdir(), `bench-durability-${kind}-`));
          try {
            rounds.push(
              await durabilityScenario(
                (dir) => startServer(kind, { env: { BENCH_DATA_DIR: dir, BENCH_IDLE_UNLOAD_MS: String(sizes.idleUnloadMs) } }),
                dataDir,
                pool,
                { clients: sizes.durabilityClients, ops: sizes.durabilityOps, killAfterMs: sizes.killAfterMs },
              ),
            );
          } catch (e) {
            console.error(`  (f) ${kind} round ${round + 1} failed: ${e instanceof Error ? e.message : e}`);
            await pool.disconnect().catch(() => {});
          } finally {
            rmSync(dataDir, { recursive: true, force: true });
          }
        }
        if (rounds.length) out[kind] = sumDurability(rounds);
      }
      results.f = out;
    }
  } finally {
    await pool.close();
  }

  if (only.has('browser') && kinds.includes('project')) {
    log('browser: first render of a 5,000-item board, reloads (the returning member) and a keyboard drag across it — project');
    try {
      results.browser = await browserBench(sizes.quick);
      info.versions.chromium = results.browser.chromium;
    } catch (e) {
      results.browser = { error: e instanceof Error ? e.message : String(e) };
      console.error(`  browser failed: ${results.browser.error}`);
    }
  }

  const loadEnd = os.loadavg();
  const rows = buildRows(results, sizes, kinds);
  console.log(`\n${formatTable(rows, kinds)}`);
  console.log(`\nload avg at start ${loadStart.map((l) => l.toFixed(2)).join(' ')}, at end ${loadEnd.map((l) => l.toFixed(2)).join(' ')}`);

  mkdirSync(outDir, { recursive: true });
  const stamp = started.toISOString().replaceAll(':', '-').slice(0, 19);
  const file = path.join(outDir, `${stamp}${sizes.quick ? '-quick' : ''}.json`);
  const record = {
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench${args.length ? ` -- ${args.join(' ')}` : ''}`,
    sizes,
    machine: info,
    loadAvg: { start: loadStart, end: loadEnd },
    rows,
    results,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`results: ${path.relative(root, file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
