/**
 * The project's board server as the bench runs it: SQLite storage in a fresh temporary
 * DATA_DIR (or BENCH_DATA_DIR, kept), signed tokens, the write policy gate, default limits (rate limit included).
 * Only the idle unload delay is shortened (BENCH_IDLE_UNLOAD_MS) so "a board nobody has
 * open is unloaded" can be observed within the run. GET /api/bench/stats reports the
 * loaded boards. Prints {"port": n} once listening; SIGTERM stops it cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '../../../server/config.ts';
import { createServer } from '../../../server/createServer.ts';
import { PolicyGate } from '../../../server/policy/gate.ts';

// BENCH_DATA_DIR: a directory to keep (the durability check restarts on it), else a fresh one.
const keep = process.env.BENCH_DATA_DIR;
const dataDir = keep ?? mkdtempSync(path.join(os.tmpdir(), 'board-bench-'));
// FULL (the default, fsync per group commit) unless a what-if run asks for NORMAL.
const synchronous = process.env.BENCH_SQLITE_SYNCHRONOUS === 'NORMAL' ? 'NORMAL' : 'FULL';
const config = defineConfig({
  port: 0,
  host: '127.0.0.1',
  dataDir,
  idleUnloadMs: Number(process.env.BENCH_IDLE_UNLOAD_MS ?? 3000),
  storage: { kind: 'sqlite', file: path.join(dataDir, 'boards.sqlite'), synchronous },
  // Every bench client comes from 127.0.0.1: per-address limits (LIM-1) would measure themselves.
  addressLimits: false,
});

// A holder, not module state the server reads: the route needs the instance it belongs to.
const holder: { server?: ReturnType<typeof createServer> } = {};
const server = createServer(config, {
  updateGate: new PolicyGate(),
  routes: [
    {
      method: 'GET',
      path: '/api/bench/stats',
      handler: () => ({
        status: 200,
        body: {
          loadedBoards: holder.server?.rooms.loadedBoardIds().length ?? 0,
          connections: holder.server?.connectionCount ?? 0,
        },
      }),
    },
  ],
});
holder.server = server;

const { port } = await server.start();
process.stdout.write(`${JSON.stringify({ port, dataDir })}\n`);

process.on('SIGTERM', () => {
  server
    .stop()
    .catch((err: unknown) => console.error('bench server stop failed:', err))
    .finally(() => {
      if (!keep) rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
});
