/** The storage contract against the SQLite adapter; two opens share one database file. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from './sqlite.ts';
import { describeStorageContract } from './storage.contract.ts';
import type { Storage } from './types.ts';

describeStorageContract('sqlite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sqlite-contract-'));
  const file = path.join(dir, 'boards.sqlite');
  const opened: Storage[] = [];
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
