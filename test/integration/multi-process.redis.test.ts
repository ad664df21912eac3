/**
 * Two real server processes configured only through the environment (STORAGE=postgres,
 * DATABASE_URL, REDIS_URL, TOKEN_SECRET), as an operator would run them [STO-14]. One is
 * killed with SIGKILL right after the other instance's client saw its update.
 * Uses a database of its own, dropped after, since the processes use schema `public`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { randomId } from '../../shared/ids.ts';
import { addItem, listItems } from '../../shared/schema/board.ts';
import { type ServerProcess, spawnServer } from '../helpers/process.ts';
import { connectSynced, setupBoard, type TestClient } from '../helpers/server.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

const dbUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const enabled = Boolean(dbUrl && redisUrl);
if (!enabled) console.log('skipped: DATABASE_URL or REDIS_URL not set, multi-process test not run');

const titles = (c: TestClient) => listItems(c.doc).map((i) => i.title);

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe.skipIf(!enabled)('instances as separate processes, configured from the environment', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('[STO-14] kill -9 of one instance right after the other relayed its update: nothing is lost', async () => {
    const dbName = `mp_${randomId(10).toLowerCase()}`;
    await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
    cleanup.push(() => admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)));
    const url = new URL(dbUrl!);
    url.pathname = `/${dbName}`;
    const env = {
      STORAGE: 'postgres',
      DATABASE_URL: url.toString(),
      REDIS_URL: redisUrl!,
      TOKEN_SECRET: `multi-process-${randomId(32)}`,
      IDLE_UNLOAD_MS: '60000',
    };
    const spawn = async (): Promise<ServerProcess> => {
      // Separate data dirs: nothing may be shared through the file system.
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-mp-'));
      const proc = await spawnServer({ dataDir, env });
      cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
      cleanup.push(() => {
        if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      });
      return proc;
    };
    const client = async (proc: ServerProcess, boardId: string, token: string) => {
      const c = await connectSynced(proc.wsUrl, boardId, token);
      cleanup.push(() => c.destroy());
      return c;
    };

    const [p1, p2] = await Promise.all([spawn(), spawn()]);
    const { boardId, people } = await setupBoard(p1.baseUrl);
    const on1 = await client(p1, boardId, people.po.token);
    const on2 = await client(p2, boardId, people.dev.token);

    for (let i = 0; i < 5; i++) addItem(on1.doc, { title: `warm-up ${i}`, createdBy: people.po.userId });
    await waitFor(() => titles(on2).length === 5, { message: 'warm-up crossed to p2' });
    addItem(on1.doc, { title: 'seen on the other instance', createdBy: people.po.userId });
    await waitFor(() => titles(on2).includes('seen on the other instance'), { interval: 1 });
    p1.child.kill('SIGKILL');
    expect((await p1.exited).signal).toBe('SIGKILL');
    // p1's client must not be able to resend: only the store may bring the item back.
    on1.destroy();

    addItem(on2.doc, { title: 'written while p1 was dead', createdBy: people.dev.userId });
    const p1b = await spawn();
    const fresh = await client(p1b, boardId, people.sm.token);
    await waitFor(() => titles(fresh).includes('written while p1 was dead'), { message: 'p2 item on restarted p1' });
    expect(titles(fresh)).toContain('seen on the other instance');
    expect(titles(fresh)).toHaveLength(7);

    addItem(fresh.doc, { title: 'from the restarted instance', createdBy: people.sm.userId });
    await waitFor(() => titles(on2).includes('from the restarted instance'), { message: 'restarted p1 item on p2' });
    expect(titles(on2)).toEqual(titles(fresh));

    for (const p of [p1b, p2]) p.child.kill('SIGTERM');
    for (const p of [p1b, p2]) expect((await withTimeout(p.exited, 15_000, 'exit after SIGTERM')).code).toBe(0);
  });
});
