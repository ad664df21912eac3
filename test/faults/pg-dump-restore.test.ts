/**
 * The PostgreSQL backup recipe of docs/operations.md ("Backup and restore", PostgreSQL),
 * run as written: `pg_dump --format=custom --no-owner` while the server keeps writing, then
 * `pg_restore --no-owner` into a new, empty database, and a server started on it [FLT-5].
 * Every item another client had received before the dump started is there, and the old
 * personal tokens still work (the token secret is kept beside the dump, as the recipe says).
 * The dump is limited to this test's schema (`--schema`), so other tests sharing the
 * database are neither copied nor disturbed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../../server/storage/postgres.ts';
import { randomId } from '../../shared/ids.ts';
import { addItem, listItems } from '../../shared/schema/board.ts';
import { dropSchema, withPgClient } from '../helpers/postgres.ts';
import { connectSynced, setupBoard, startTestServer, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const run = promisify(execFile);
const dbUrl = process.env.DATABASE_URL;

async function onPath(cmd: string): Promise<boolean> {
  try {
    await run(cmd, ['--version']);
    return true;
  } catch {
    return false;
  }
}
const tools = dbUrl ? (await onPath('pg_dump')) && (await onPath('pg_restore')) : false;
if (!dbUrl) console.log('skipped: DATABASE_URL not set, the pg_dump recipe test not run');
else if (!tools) console.log('skipped: pg_dump/pg_restore not on PATH, the pg_dump recipe test not run');

/** DATABASE_URL with another database name. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

describe.skipIf(!tools)('[FLT-5] PostgreSQL: the documented pg_dump / pg_restore recipe', () => {
  const schema = `dump_${randomId(10).toLowerCase()}`;
  const restoredDb = `restored_${randomId(10).toLowerCase()}`;
  const cleanups: Array<() => Promise<unknown> | unknown> = [];

  afterEach(async () => {
    for (const fn of cleanups.reverse()) await fn();
    await dropSchema(dbUrl!, schema);
    await withPgClient(dbUrl!, (c) => c.query(`DROP DATABASE IF EXISTS "${restoredDb}"`));
  });

  it('a dump taken under write load restores into an empty database with every acknowledged item and the old tokens', async () => {
    const storage = await createPostgresStorage(dbUrl!, { schema, maxConnections: 4 });
    const live: TestServer = await startTestServer({ options: { storage } });
    cleanups.push(() => storage.close(), () => live.stop());
    const { boardId, people } = await setupBoard(live.baseUrl, 'Dumped while busy');
    const writer = await connectSynced(live.wsUrl, boardId, people.dev.token);
    const reader = await connectSynced(live.wsUrl, boardId, people.po.token);
    cleanups.push(() => writer.destroy(), () => reader.destroy());

    // One edit every 10 ms until the dump is done; what the reader has is acknowledged (SRV-2).
    let writing = true;
    let n = 0;
    const writes = (async () => {
      while (writing) {
        addItem(writer.doc, { title: `edit ${n++}`, createdBy: people.dev.userId });
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await waitFor(() => listItems(reader.doc).length >= 30, { timeout: 10_000, message: 'writes flowing' });

    const seenBeforeDump = new Set(listItems(reader.doc).map((i) => i.title));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pg-dump-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'boards.dump');
    await run('pg_dump', ['--format=custom', '--no-owner', `--schema=${schema}`, `--dbname=${dbUrl}`, `--file=${file}`]);
    writing = false;
    await writes;
    expect(listItems(reader.doc).length).toBeGreaterThan(seenBeforeDump.size); // the dump ran while writing went on

    // "restore into an empty database, with every instance stopped"
    await live.stop();
    await withPgClient(dbUrl!, (c) => c.query(`CREATE DATABASE "${restoredDb}"`));
    const restoredUrl = withDatabase(dbUrl!, restoredDb);
    await run('pg_restore', ['--no-owner', `--dbname=${restoredUrl}`, file]);

    const restoredStorage = await createPostgresStorage(restoredUrl, { schema, maxConnections: 2 });
    // The same TOKEN_SECRET as before (the test servers share one), kept with the dump.
    const restored = await startTestServer({ options: { storage: restoredStorage } });
    cleanups.push(() => restoredStorage.close(), () => restored.stop());
    const after: TestClient = await connectSynced(restored.wsUrl, boardId, people.po.token);
    cleanups.push(() => after.destroy());
    const titles = new Set(listItems(after.doc).map((i) => i.title));
    const missing = [...seenBeforeDump].filter((t) => !titles.has(t));
    expect(missing).toEqual([]);
    expect(titles.size).toBeGreaterThanOrEqual(seenBeforeDump.size);
  });
});
