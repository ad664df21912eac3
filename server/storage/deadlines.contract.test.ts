/**
 * DeadlineStore (types.ts) against both adapters: SQLite (two opens share one file) and
 * PostgreSQL (own schema; skipped without DATABASE_URL). Async poker reveals rest on it
 * (EST-14): a deadline survives a reopen, is found without loading its board, and is taken
 * by exactly one of several connections.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BoardId, newBoardId, randomId } from '../../shared/ids.ts';
import { createPostgresStorage } from './postgres.ts';
import { openSqliteStorage } from './sqlite.ts';
import type { StorageAdapter } from './types.ts';

interface Harness {
  open(): Promise<StorageAdapter>;
  destroy(): Promise<void>;
}

const url = process.env.DATABASE_URL;
if (!url) console.log('skipped: DATABASE_URL not set, PostgreSQL deadline contract not run');

async function sqliteHarness(): Promise<Harness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deadlines-'));
  const opened: StorageAdapter[] = [];
  return {
    async open() {
      const s = openSqliteStorage(path.join(dir, 'boards.sqlite'));
      opened.push(s);
      return s;
    },
    async destroy() {
      for (const s of opened) await s.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function postgresHarness(): Promise<Harness> {
  const schema = `dl_${randomId(10).toLowerCase()}`;
  const opened: StorageAdapter[] = [];
  return {
    async open() {
      const s = await createPostgresStorage(url!, { schema, maxConnections: 4 });
      opened.push(s);
      return s;
    },
    async destroy() {
      for (const s of opened) await s.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

function contract(name: string, makeHarness: () => Promise<Harness>, skip = false) {
  describe.skipIf(skip)(`deadline store contract: ${name}`, () => {
    let harness: Harness;
    let a: StorageAdapter;
    beforeAll(async () => {
      harness = await makeHarness();
      a = await harness.open();
    });
    afterAll(() => harness?.destroy());

    async function board(): Promise<BoardId> {
      const id = newBoardId();
      await a.createBoard({ id, title: 'Deadlines', createdAt: 1 }, new Uint8Array([0, 0]));
      return id;
    }

    it('[EST-14] stores, moves and deletes deadlines; finds the due ones across boards, earliest first', async () => {
      const b1 = await board();
      const b2 = await board();
      const base = 5_000_000_000_000 + Math.floor(Math.random() * 1e9);
      await a.putDeadline(b1, 'poker:async:1', base + 30);
      await a.putDeadline(b2, 'poker:async:1', base + 10);
      await a.putDeadline(b1, 'poker:async:2', base + 99_999);
      const due = (await a.dueDeadlines(base + 50, 10)).filter((d) => d.boardId === b1 || d.boardId === b2);
      expect(due).toEqual([
        { boardId: b2, key: 'poker:async:1', dueAt: base + 10 },
        { boardId: b1, key: 'poker:async:1', dueAt: base + 30 },
      ]);
      await a.putDeadline(b1, 'poker:async:1', base + 100_000);
      expect((await a.dueDeadlines(base + 50, 10)).filter((d) => d.boardId === b1)).toEqual([]);
      await a.deleteDeadline(b2, 'poker:async:1');
      expect((await a.dueDeadlines(base + 50, 10)).filter((d) => d.boardId === b2)).toEqual([]);
      expect(await a.nextDeadlineAt()).not.toBeNull();
    });

    it('[EST-14] a deadline survives closing and reopening the store', async () => {
      const id = await board();
      await a.putDeadline(id, 'poker:async:7', 42);
      const again = await harness.open();
      expect((await again.dueDeadlines(43, 1000)).find((d) => d.boardId === id)).toEqual({ boardId: id, key: 'poker:async:7', dueAt: 42 });
    });

    it('[EST-14] of two connections claiming one due deadline, exactly one takes it', async () => {
      const id = await board();
      await a.putDeadline(id, 'poker:async:3', 1000);
      const b = await harness.open();
      const claims = await Promise.all([a.claimDeadline(id, 'poker:async:3', 1000, 61_000), b.claimDeadline(id, 'poker:async:3', 1000, 62_000)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      // Leased: no longer due at once, due again when the lease runs out.
      expect((await a.dueDeadlines(2000, 1000)).find((d) => d.boardId === id)).toBeUndefined();
      expect((await a.dueDeadlines(70_000, 1000)).find((d) => d.boardId === id)?.key).toBe('poker:async:3');
    });

    it('[EST-14] a deadline belongs to a board: unknown boards are refused', async () => {
      await expect(a.putDeadline(newBoardId(), 'poker:async:1', 1)).rejects.toThrow();
    });
  });
}

contract('sqlite', sqliteHarness);
contract('postgres', postgresHarness, !url);
