/**
 * kill -9 in a loop [SRV-2]: three writing y-websocket clients, the server (a child
 * process on a SQLite data dir) killed at a random moment 20 times and restarted on the
 * same data and port. After each kill, every item that any client had received from
 * another writer is on disk (read straight from the file while the server is dead), and
 * after each restart the clients reconnect by themselves and converge.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer } from '../helpers/process.ts';
import { connectClient, connectSynced, setupBoard, type TestClient, waitForConvergence } from '../helpers/server.ts';
import { addTitled, itemTitles } from '../helpers/board.ts';
import { storedTitles } from '../helpers/storedBoard.ts';
import { waitFor } from '../helpers/wait.ts';

const ROUNDS = 20;
/** Each writer adds an item this often (below the per-socket message rate limit). */
const WRITE_EVERY_MS = 60;

describe('faults: kill -9 in a loop (SQLite)', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('[SRV-2] 20 kills at random moments under 3 writers: nothing any client received is lost; clients reconnect by themselves', async () => {
    const started = Date.now();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'board-kill-loop-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const file = path.join(dataDir, 'boards.sqlite');
    let proc: ServerProcess | null = null;
    const spawn = async (port?: number) => {
      proc = await spawnServer({ dataDir, port, env: { IDLE_UNLOAD_MS: '60000' } });
      return proc;
    };
    cleanup.push(() => {
      if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    });

    const first = await spawn();
    const port = first.port;
    const { boardId, people } = await setupBoard(first.baseUrl);
    const writers = (['po', 'sm', 'dev'] as const).map((role, w) => {
      const c = connectClient(first.wsUrl, boardId, people[role].token, { reconnectAlways: true });
      cleanup.push(() => c.destroy());
      return { c, prefix: `w${w}-`, userId: people[role].userId, written: 0 };
    });
    await Promise.all(writers.map((w) => w.c.synced));
    const timer = setInterval(() => {
      // Writers keep writing while the server is down, like people do; those edits are sent on reconnect.
      for (const w of writers) addTitled(w.c.doc, w.userId, `${w.prefix}${w.written++}`);
    }, WRITE_EVERY_MS);
    cleanup.push(() => clearInterval(timer));

    const seenByOthers = (w: (typeof writers)[number]): string[] =>
      writers.filter((o) => o !== w).flatMap((o) => itemTitles(o.c.doc).filter((t) => t.startsWith(w.prefix)));

    let checked = 0;
    const restartMs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // A random moment while all three write and relay: after this server relayed
      // something new (a loaded machine can take seconds to get there), plus 0–400 ms.
      const before = writers.flatMap(seenByOthers).length;
      await waitFor(() => writers.flatMap(seenByOthers).length > before, {
        timeout: 30_000,
        interval: 20,
        message: `round ${round}: relaying again`,
      });
      await new Promise((r) => setTimeout(r, Math.random() * 400));
      // Taken in the same tick as the kill: no frame can arrive in between.
      const seen = new Set(writers.flatMap(seenByOthers));
      const victim: ServerProcess = proc!;
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');

      const onDisk = storedTitles(file, boardId);
      const lost = [...seen].filter((t) => !onDisk.has(t));
      expect(lost, `round ${round}: received by another client but not on disk`).toEqual([]);
      checked += seen.size;

      const t0 = Date.now();
      await spawn(port);
      // Nobody calls connect(): each provider's own reconnect finds the restarted server.
      await waitFor(() => writers.every((w) => w.c.provider.wsconnected && w.c.provider.synced), {
        timeout: 30_000,
        message: `round ${round}: writers reconnected`,
      });
      restartMs.push(Date.now() - t0);
      if (process.env.FAULTS_DEBUG) console.error(`round ${round}: seen ${seen.size}, reconnected in ${Date.now() - t0} ms`);
    }
    clearInterval(timer);

    // Quiet now: everyone converges, and a fresh reader gets every item every writer wrote.
    await waitForConvergence(
      writers.map((w) => w.c),
      15_000,
    );
    const fresh: TestClient = await connectSynced(proc!.wsUrl, boardId, people.viewer.token);
    cleanup.push(() => fresh.destroy());
    const all = new Set(itemTitles(fresh.doc));
    const total = writers.reduce((n, w) => n + w.written, 0);
    expect(all.size).toBe(total);
    for (const w of writers) for (let i = 0; i < w.written; i++) expect(all.has(`${w.prefix}${i}`)).toBe(true);

    restartMs.sort((a, b) => a - b);
    console.log(
      `kill-loop: ${ROUNDS} kills, ${checked} received-by-another checks, ${total} items written, ` +
        `restart→all reconnected p50 ${restartMs[ROUNDS >> 1]} ms max ${restartMs.at(-1)} ms, ` +
        `total ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 300_000);
});
