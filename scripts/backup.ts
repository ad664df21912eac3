/**
 * `npm run backup -- <file>`: an online backup of the SQLite store while the server runs.
 * Reads DATA_DIR / SQLITE_FILE / STORAGE from the environment exactly like the server
 * (server/config.ts), so run it with the server's environment. PostgreSQL: use pg_dump
 * (docs/operations.md, "Backup and restore").
 */
import { ConfigError, configFromEnv } from '../server/config.ts';
import { BackupError, backupSqlite } from '../server/storage/sqlite-backup.ts';

const [dest, ...rest] = process.argv.slice(2);
if (!dest || rest.length > 0 || dest.startsWith('-')) {
  console.error('usage: npm run backup -- <backup file>');
  process.exit(2);
}
try {
  const config = configFromEnv();
  if (config.storage.kind !== 'sqlite') {
    console.error('STORAGE=postgres: back up the database with pg_dump (see docs/operations.md, "Backup and restore")');
    process.exit(2);
  }
  const s = await backupSqlite({ file: config.storage.file, dataDir: config.dataDir }, dest);
  console.log(
    `backup written to ${s.file}: ${s.boards} boards, ${s.updates} updates not yet compacted, ${s.bytes} bytes, ` +
      `${s.secretIncluded ? 'token secret included' : 'no generated token secret (TOKEN_SECRET set?)'}, ${s.ms} ms`,
  );
} catch (err) {
  if (err instanceof BackupError || err instanceof ConfigError) {
    console.error(`backup failed: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
