/** One-off PostgreSQL connections for tests: setting up and dropping what a test made. */
import pg from 'pg';

/** Runs `fn` on a connection of its own to `url`, closed after. */
export async function withPgClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops a test's schema and everything in it (no error when it is not there). */
export const dropSchema = (url: string, schema: string): Promise<unknown> =>
  withPgClient(url, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
