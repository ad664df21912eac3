/**
 * `npm run cluster` (scripts/cluster.mjs): two instances on PostgreSQL + Redis behind its
 * round-robin balancer; an edit made through one socket reaches a socket the balancer
 * gave to the other instance; Ctrl-C stops everything cleanly.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { randomId } from '../../shared/ids.ts';
import { addTitled, hasItem } from '../helpers/board.ts';
import { connectSynced, setupBoard } from '../helpers/server.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

const dbUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const enabled = Boolean(dbUrl && redisUrl);
if (!enabled) console.log('skipped: DATABASE_URL or REDIS_URL not set, cluster script test not run');
const ROOT = path.resolve(import.meta.dirname, '../..');

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** A free port P such that P+1 and P+2 were free a moment ago too. */
async function freeBasePort(): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<boolean>((resolve) => {
      const s = net.createServer().once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await tryListen(base)) && (await tryListen(base + 1)) && (await tryListen(base + 2))) return base;
  }
}

describe.skipIf(!enabled)('npm run cluster', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('starts two instances behind a balancer; edits cross instances; Ctrl-C stops them cleanly', async () => {
    const dbName = `cluster_${randomId(10).toLowerCase()}`;
    await admin(`CREATE DATABASE "${dbName}"`);
    cleanup.push(() => admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`));
    const url = new URL(dbUrl!);
    url.pathname = `/${dbName}`;
    const base = await freeBasePort();
    const child = spawn(process.execPath, ['scripts/cluster.mjs', '2', '--port', String(base)], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url.toString(), REDIS_URL: redisUrl!, IDLE_UNLOAD_MS: '60000' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanup.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    await waitFor(() => /\[1\] listening/.test(out) && /\[2\] listening/.test(out) && /balancer on/.test(out), {
      timeout: 30_000,
      message: `cluster up:\n${out}`,
    });

    const front = `http://127.0.0.1:${base}`;
    const { boardId, people } = await setupBoard(front);
    // Round robin: consecutive sockets land on different instances.
    const a = await connectSynced(`ws://127.0.0.1:${base}/ws`, boardId, people.po.token);
    const b = await connectSynced(`ws://127.0.0.1:${base}/ws`, boardId, people.dev.token);
    cleanup.push(() => a.destroy(), () => b.destroy());
    addTitled(a.doc, people.po.userId, 'through the balancer');
    await waitFor(() => hasItem(b.doc, 'through the balancer'), { message: 'edit crossed instances' });
    for (const port of [base + 1, base + 2]) expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    a.destroy();
    b.destroy();
    child.kill('SIGINT');
    expect(await withTimeout(exited, 15_000, 'cluster exit after Ctrl-C')).toBe(0);
    expect(out.match(/stopped cleanly/g)).toHaveLength(2);
  }, 60_000);
});
