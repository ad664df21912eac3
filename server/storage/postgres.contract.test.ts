/**
 * The storage contract against PostgreSQL. Each run uses its own schema, dropped after,
 * so parallel runs (and other test files) never see each other's rows.
 */
import pg from 'pg';
import { randomId } from '../../shared/ids.ts';
import { createPostgresStorage } from './postgres.ts';
import { describeStorageContract } from '../../test/storage/contract.ts';
import type { StorageAdapter } from './types.ts';

const url = process.env.DATABASE_URL;
if (!url) console.log('skipped: DATABASE_URL not set, PostgreSQL storage contract not run');

describeStorageContract(
  'postgres',
  async () => {
    const schema = `sto_${randomId(10).toLowerCase()}`;
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
  },
  { skip: !url },
);
