/**
 * `npm run backup` while the server runs under write load, then `npm run restore` into a
 * fresh data dir: every update acknowledged before the backup started (relayed to another
 * client, so stored [SRV-2]) is in the restored board, the old tokens still work (the
 * generated secret travels in the backup), and restore refuses a running server's data.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { addTitled, itemTitles } from '../helpers/board.ts';
import { type ServerProcess, spawnServer } from '../helpers/process.ts';
import { connectClient, connectSynced, setupBoard } from '../helpers/server.ts';
import { integrity, storedTitles } from '../helpers/storedBoard.ts';
import { waitFor } from '../helpers/wait.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

/** `npm run <script> -- ...args` with DATA_DIR set, as an operator would type it. */
async function npmRun(script: string, args: string[], dataDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, STORAGE: 'sqlite' };
  delete env.SQLITE_FILE;
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env, timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

describe('backup and restore (SQLite)', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const tempDir = async (name: string) => {
    const dir = await mkdtemp(path.join(os.tmpdir(), `board-${name}-`));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  };
  const spawn = async (dataDir: string): Promise<ServerProcess> => {
    const proc = await spawnServer({ dataDir, env: { IDLE_UNLOAD_MS: '60000', COMPACTION_THRESHOLD: '50' } });
    cleanup.push(() => {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    });
    return proc;
  };

  it('[FLT-5] backup under write load, restore into a fresh data dir: every acknowledged update is there', async () => {
    const liveDir = await tempDir('live');
    const live = await spawn(liveDir);
    const { boardId, people } = await setupBoard(live.baseUrl);
    const writers = (['po', 'dev'] as const).map((role) => {
      const c = connectClient(live.wsUrl, boardId, people[role].token);
      cleanup.push(() => c.destroy());
      return { c, role, userId: people[role].userId, n: 0 };
    });
    const reader = await connectSynced(live.wsUrl, boardId, people.viewer.token);
    cleanup.push(() => reader.destroy());
    await Promise.all(writers.map((w) => w.c.synced));
    const timer = setInterval(() => {
      for (const w of writers) addTitled(w.c.doc, w.userId, `${w.role}-${w.n++}`);
    }, 20);
    cleanup.push(() => clearInterval(timer));
    // Enough for a few compactions (threshold 50) to run during the load.
    await waitFor(() => itemTitles(reader.doc).length >= 200, { timeout: 20_000, message: 'load reached 200 items' });

    // Acknowledged = relayed to the reader, so stored before it left the server.
    const acknowledged = itemTitles(reader.doc);
    const backupFile = path.join(await tempDir('backups'), 'board.backup');
    const t0 = Date.now();
    const backup = await npmRun('backup', [backupFile], liveDir);
    const backupMs = Date.now() - t0;
    expect(backup.out).toMatch(/backup written to .*1 boards.*token secret included/);
    expect(backup.code).toBe(0);
    const writtenDuringBackup = itemTitles(reader.doc).length - acknowledged.length;
    expect(writtenDuringBackup, 'writes went on during the backup').toBeGreaterThan(0);
    expect(integrity(backupFile)).toBe('ok');
    expect(existsSync(`${backupFile}-wal`)).toBe(false);

    // Restoring over the running server's data is refused; the server keeps serving.
    const refused = await npmRun('restore', [backupFile], liveDir);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/open by another process \(a running server\?\).*--force/);
    const before = itemTitles(reader.doc).length;
    await waitFor(() => itemTitles(reader.doc).length > before, { message: 'live server still relays after the refusal' });
    clearInterval(timer);

    const freshDir = await tempDir('restored');
    const restore = await npmRun('restore', [backupFile], freshDir);
    expect(restore.out).toMatch(/restored 1 boards .*token secret restored/);
    expect(restore.code).toBe(0);
    const onDisk = storedTitles(path.join(freshDir, 'boards.sqlite'), boardId);
    expect(acknowledged.filter((t) => !onDisk.has(t))).toEqual([]);

    // A server on the restored dir accepts the tokens issued before the backup.
    const restored = await spawn(freshDir);
    const again = await connectSynced(restored.wsUrl, boardId, people.sm.token);
    cleanup.push(() => again.destroy());
    const titles = new Set(itemTitles(again.doc));
    expect(acknowledged.filter((t) => !titles.has(t))).toEqual([]);

    // --force over the data of a server that still runs: the file is the backup's, and a
    // restart (a kill, so the old process writes nothing more) serves exactly that board.
    const storedAtBackup = storedTitles(path.join(freshDir, 'boards.sqlite'), boardId);
    const liveBefore = storedTitles(path.join(liveDir, 'boards.sqlite'), boardId);
    expect(liveBefore.size, 'the live board grew past the backup').toBeGreaterThan(storedAtBackup.size);
    const forced = await npmRun('restore', ['--force', backupFile], liveDir);
    expect(forced.out).toMatch(/restored 1 boards .*\(forced\)/);
    expect(forced.code).toBe(0);
    live.child.kill('SIGKILL');
    await new Promise((r) => live.child.once('exit', r));
    const relaunched = await spawn(liveDir);
    const back = await connectSynced(relaunched.wsUrl, boardId, people.po.token);
    cleanup.push(() => back.destroy());
    expect(new Set(itemTitles(back.doc))).toEqual(storedAtBackup);

    console.log(
      `backup-restore: ${acknowledged.length} acknowledged items at backup start, ${writtenDuringBackup} more relayed ` +
        `during the backup, npm run backup took ${backupMs} ms, ${titles.size} items in the restored board`,
    );
  }, 90_000);
});
