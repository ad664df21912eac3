#!/usr/bin/env node
// `npm run cluster -- [N] [--port 8080]`: N local instances (default 3) on PostgreSQL +
// Redis behind a small round-robin TCP balancer, to try several instances on one machine
// (docs/operations.md, "Deployment"). Needs DATABASE_URL and REDIS_URL. The balancer is
// not sticky on purpose: any instance serves any socket of any board.
// Instances listen on PORT+1 … PORT+N; the balancer on PORT. Ctrl-C stops them all cleanly.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const portFlag = args.indexOf('--port');
const basePort = portFlag >= 0 ? Number(args[portFlag + 1]) : Number(process.env.PORT || 8080);
const count = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--port') ?? 3);
if (!Number.isInteger(count) || count < 1 || count > 16 || !Number.isInteger(basePort)) {
  console.error('usage: npm run cluster -- [N (1-16)] [--port PORT]');
  process.exit(2);
}
for (const name of ['DATABASE_URL', 'REDIS_URL']) {
  if (!process.env[name]) {
    console.error(`${name} is required (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/boards REDIS_URL=redis://127.0.0.1:6379)`);
    process.exit(2);
  }
}
if (!existsSync(path.join(root, 'dist', 'client', 'index.html'))) {
  console.error('note: no built client in dist/client; run `npm run build` first to use the UI');
}

// One secret for all: a link made on one instance is checked by another.
const secret = process.env.TOKEN_SECRET || randomBytes(32).toString('hex');
const ports = Array.from({ length: count }, (_, i) => basePort + 1 + i);
const children = ports.map((port, i) => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'main.ts')], {
    cwd: root,
    env: {
      ...process.env,
      STORAGE: 'postgres',
      TOKEN_SECRET: secret,
      PORT: String(port),
      HOST: process.env.HOST || '127.0.0.1',
      // Each instance its own DATA_DIR: nothing is shared through the file system.
      DATA_DIR: path.join(root, 'data', `cluster-${i + 1}`),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = (stream, out) =>
    stream.on('data', (chunk) => {
      for (const line of chunk.toString().split('\n')) if (line) out.write(`[${i + 1}] ${line}\n`);
    });
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  return child;
});
const alive = new Set(children);

let stopping = false;
let balancer = null;
function stop(signal) {
  if (stopping) return;
  stopping = true;
  balancer?.close();
  for (const c of alive) c.kill(signal);
}
for (const c of children) {
  c.on('exit', (code, signal) => {
    alive.delete(c);
    if (!stopping) {
      console.error(`an instance exited (${code ?? signal}); stopping the cluster`);
      process.exitCode = 1;
      stop('SIGTERM');
    }
    if (alive.size === 0) process.exit(process.exitCode ?? 0);
  });
}
process.on('SIGINT', () => stop('SIGTERM'));
process.on('SIGTERM', () => stop('SIGTERM'));

// Round-robin TCP balancer: each new connection (HTTP or WebSocket) to the next instance
// that accepts it, so a dead instance is skipped.
let next = 0;
balancer = net.createServer((down) => {
  down.on('error', () => {});
  down.pause();
  const start = next++ % count;
  const tryAt = (k) => {
    if (k === count) return down.destroy();
    const up = net.connect(ports[(start + k) % count], '127.0.0.1');
    const retry = () => tryAt(k + 1);
    up.once('error', retry);
    up.once('connect', () => {
      up.off('error', retry);
      up.on('error', () => down.destroy());
      down.on('close', () => up.destroy());
      up.on('close', () => down.destroy());
      down.pipe(up);
      up.pipe(down);
      down.resume();
    });
  };
  tryAt(0);
});
balancer.listen(basePort, process.env.HOST || '127.0.0.1', () => {
  console.log(`cluster: ${count} instances on ports ${ports.join(', ')}; balancer on http://127.0.0.1:${basePort}`);
});
