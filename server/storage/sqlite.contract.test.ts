/**
 * The storage contract against the SQLite adapter (two opens share one database file),
 * plus what only the SQLite adapter promises: its worker thread keeps fsyncs off the event
 * loop, groups concurrent appends into one commit in request order, and fails loudly.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BoardId, newBoardId } from '../../shared/ids.ts';
import * as Y from 'yjs';
import { createSqliteStorage, openSqliteStorage } from './sqlite.ts';
import { describeStorageContract, docFromState } from '../../test/storage/contract.ts';
import type { StorageAdapter } from './types.ts';

describeStorageContract('sqlite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sqlite-contract-'));
  const file = path.join(dir, 'boards.sqlite');
  const opened: StorageAdapter[] = [];
  return {
    async open() {
      const s = openSqliteStorage(file);
      opened.push(s);
      return s;
    },
    async destroy() {
      for (const s of opened) await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const bytes = (...b: number[]) => new Uint8Array(b);
const record = (id: BoardId) => ({ id, title: 'SQLite worker', createdAt: 1_764_000_000_000 });

describe('sqlite storage on its worker thread', () => {
  let dir: string;
  const opened: StorageAdapter[] = [];
  const open = (name = 'boards.sqlite') => {
    const s = openSqliteStorage(path.join(dir, name));
    opened.push(s);
    return s;
  };
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sqlite-worker-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('many appends to several boards requested at once land in request order with consecutive seqs', async () => {
    const s = open();
    const boards = Array.from({ length: 4 }, () => newBoardId());
    for (const id of boards) await s.createBoard(record(id), bytes(0, 0));
    const unknown = newBoardId();
    const calls: Array<{ id: BoardId; data: Uint8Array; result: Promise<number> }> = [];
    for (let i = 0; i < 400; i++) {
      const id = i === 150 ? unknown : boards[i % boards.length]!;
      // A subarray of a larger buffer: only its own bytes may be stored.
      const data = new Uint8Array([255, i & 0xff, i >> 8, 7]).subarray(1, 3);
      calls.push({ id, data, result: s.appendUpdates(id, [data]) });
    }
    // Requested after every append and before any settles: it must see all of them.
    const loadedEarly = s.loadBoard(boards[0]!);
    const settled = await Promise.allSettled(calls.map((c) => c.result));

    const seqs = new Map<BoardId, number[]>(boards.map((id) => [id, []]));
    settled.forEach((r, i) => {
      const { id } = calls[i]!;
      if (id === unknown) {
        expect(r.status).toBe('rejected');
        expect((r as PromiseRejectedResult).reason.message).toMatch(/unknown board/);
      } else {
        expect(r.status).toBe('fulfilled');
        seqs.get(id)!.push((r as PromiseFulfilledResult<number>).value);
      }
    });
    for (const id of boards) {
      const got = seqs.get(id)!;
      expect(got).toEqual(got.map((_, i) => i + 1));
      const mine = calls.filter((c) => c.id === id);
      const loaded = (await s.loadBoard(id))!;
      expect(loaded.updates.map((u) => u.seq)).toEqual(got);
      expect(loaded.updates.map((u) => u.data)).toEqual(mine.map((c) => c.data));
    }
    expect((await loadedEarly)!.updates).toHaveLength(calls.filter((c) => c.id === boards[0]).length);
    expect(await s.getBoard(unknown)).toBeNull();
  });

  it('the event loop keeps running while a large commit is written and fsynced (synchronous=FULL)', async () => {
    const s = open();
    const id = newBoardId();
    await s.createBoard(record(id), bytes(0, 0));
    // ~16 MiB in one group commit: a write and fsync long enough that a blocked main thread
    // would show as a gap between ticks.
    const chunk = new Uint8Array(512 * 1024).fill(42);
    let ticks = 0;
    let maxGapMs = 0;
    let done = false;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
      ticks++;
      if (!done) setImmediate(tick);
    };
    const started = performance.now();
    const appends = Array.from({ length: 32 }, () => s.appendUpdates(id, [chunk]));
    setImmediate(tick);
    await Promise.all(appends);
    done = true;
    const commitMs = performance.now() - started;
    // On the main thread the whole commit ran inside one event-loop turn (a tick or two);
    // off it, the loop turns many times while the worker writes.
    expect(ticks, `${ticks} turns, longest gap ${maxGapMs.toFixed(1)} ms in a ${commitMs.toFixed(0)} ms commit`).toBeGreaterThan(20);
    expect((await s.loadBoard(id))!.updates).toHaveLength(32);
  });

  it('close() commits appends still queued, and a new connection reads them', async () => {
    const s = open();
    const id = newBoardId();
    await s.createBoard(record(id), bytes(0, 0));
    const appends = [1, 2, 3].map((n) => s.appendUpdates(id, [bytes(n)]));
    await s.close();
    expect(await Promise.all(appends)).toEqual([1, 2, 3]);
    await expect(s.appendUpdates(id, [bytes(4)])).rejects.toThrow(/closed/);
    const again = open();
    expect((await again.loadBoard(id))!.updates.map((u) => u.data)).toEqual([bytes(1), bytes(2), bytes(3)]);
  });

  it('a worker that cannot open its database rejects every operation with its error and is unhealthy', async () => {
    const notADir = path.join(dir, 'not-a-dir');
    await writeFile(notADir, 'a file where the data directory should be');
    const bad = openSqliteStorage(path.join(notADir, 'boards.sqlite'));
    opened.push(bad);
    const id = newBoardId();
    await expect(bad.createBoard(record(id), bytes(0, 0))).rejects.toThrow(/SQLite storage worker failed/);
    await expect(bad.appendUpdates(id, [bytes(1)])).rejects.toThrow(/SQLite storage worker failed/);
    await expect(bad.loadBoard(id)).rejects.toThrow(/SQLite storage worker failed/);
    expect(await bad.healthy()).toBe(false);
    // The server's startup path fails instead of starting without storage.
    await expect(createSqliteStorage(path.join(notADir, 'other.sqlite'))).rejects.toThrow(/SQLite storage worker failed/);
  });

  it('starts under tsx in a plain process, which exits by itself after close (and with a storage left open)', async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const script = path.join(dir, 'child.mts');
    await writeFile(
      script,
      `import { openSqliteStorage } from ${JSON.stringify(path.join(root, 'server/storage/sqlite.ts'))};
const a = openSqliteStorage(${JSON.stringify(path.join(dir, 'a.sqlite'))});
await a.createBoard({ id: 'childboard01', title: 't', createdAt: 1 }, new Uint8Array([0, 0]));
const seq = await a.appendUpdates('childboard01', [new Uint8Array([1])]);
await a.close();
const idle = openSqliteStorage(${JSON.stringify(path.join(dir, 'b.sqlite'))});
console.log('seq', seq, await idle.healthy());
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`child did not exit within 15 s:\n${out}`));
      }, 15_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toContain('seq 1 true');
    expect(code, out).toBe(0);
  });

  /** A board whose log holds `n` item updates on top of a snapshot of `items` items. */
  async function bigBoard(s: StorageAdapter, items: number, n: number): Promise<{ id: BoardId; doc: Y.Doc }> {
    const id = newBoardId();
    const doc = new Y.Doc();
    const list = doc.getArray<string>('items');
    list.push(Array.from({ length: items }, (_, i) => `story ${i}: a title as long as a real one`));
    await s.createBoard(record(id), Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < n; i++) list.insert(i % items, [`added ${i}`]);
    await s.appendUpdates(id, updates);
    return { id, doc };
  }

  it('appends to other boards are not held up while a big board is compacted', async () => {
    const s = open();
    const big = await bigBoard(s, 60_000, 2_000);
    const small = newBoardId();
    await s.createBoard(record(small), bytes(0, 0));
    const order: string[] = [];
    const compaction = s.compact(big.id).then((r) => {
      order.push('compacted');
      return r;
    });
    // Give the worker time to hand the merge to the compactor.
    await new Promise((r) => setTimeout(r, 5));
    await s.appendUpdates(small, [bytes(1, 2, 3)]).then(() => order.push('appended'));
    const result = await compaction;
    expect(order).toEqual(['appended', 'compacted']);
    expect(result.updatesFolded).toBe(2_000);
    const stored = (await s.loadBoard(big.id))!;
    expect(stored.updates).toEqual([]);
    expect(docFromState(stored).getArray('items').toJSON()).toEqual(big.doc.getArray('items').toJSON());
  });

  it('[STO-5] an in-memory database (no compactor thread) folds on the worker and swaps the same way', async () => {
    const s = openSqliteStorage(':memory:');
    opened.push(s);
    const { id, doc } = await bigBoard(s, 50, 10);
    const read = await s.readFolded(id);
    expect(read.folded?.range).toEqual({ firstSeq: 1, lastSeq: 10, count: 10 });
    expect(await s.compact(id)).toEqual({ updatesFolded: 10, snapshotBytes: read.folded!.snapshot.byteLength });
    // The first read's range is folded already: its swap is refused.
    expect((await s.replaceSnapshot(id, read.folded!.range, read.folded!.snapshot)).replaced).toBe(false);
    const stored = (await s.loadBoard(id))!;
    expect(stored.updates).toEqual([]);
    expect(docFromState(stored).getArray('items').toJSON()).toEqual(doc.getArray('items').toJSON());
  });

  it('two connections compacting one board while it is appended to keep every update', async () => {
    const a = open();
    const b = open();
    const { id, doc } = await bigBoard(a, 5_000, 300);
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const list = doc.getArray<string>('items');
    const appends: Promise<number>[] = [];
    const compactions: Promise<unknown>[] = [];
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 20; i++) list.insert(0, [`round ${round} #${i}`]);
      appends.push((round % 2 ? a : b).appendUpdates(id, updates.splice(0)));
      compactions.push(a.compact(id), b.compact(id));
    }
    await Promise.all(appends);
    await Promise.all(compactions);
    for (const s of [a, b]) {
      expect(docFromState((await s.loadBoard(id))!).getArray('items').toJSON()).toEqual(list.toJSON());
    }
    await a.compact(id);
    expect(await b.pendingUpdateCount(id)).toBe(0);
    expect(docFromState((await b.loadBoard(id))!).getArray('items').toJSON()).toEqual(list.toJSON());
  });
});
