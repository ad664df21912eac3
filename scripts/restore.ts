/**
 * `npm run restore -- <file> [--force]`: puts a backup made by `npm run backup` into the
 * data dir the server's environment names (DATA_DIR / SQLITE_FILE). Refuses while a
 * running server has the database open, unless --force.
 */
import { ConfigError, configFromEnv } from '../server/config.ts';
import { BackupError, restoreSqlite } from '../server/storage/sqlite-backup.ts';

const args = process.argv.slice(2);
const force = args.includes('--force');
const files = args.filter((a) => a !== '--force');
if (files.length !== 1 || files[0]!.startsWith('-')) {
  console.error('usage: npm run restore -- <backup file> [--force]');
  process.exit(2);
}
try {
  const config = configFromEnv();
  if (config.storage.kind !== 'sqlite') {
    console.error('STORAGE=postgres: restore with pg_restore / psql (see docs/operations.md, "Backup and restore")');
    process.exit(2);
  }
  const s = await restoreSqlite(files[0]!, { file: config.storage.file, dataDir: config.dataDir }, { force });
  console.log(
    `restored ${s.boards} boards (${s.updates} updates not yet compacted) into ${s.file}` +
      `${s.secretRestored ? ', token secret restored' : ''}${s.forced ? ' (forced)' : ''}`,
  );
} catch (err) {
  if (err instanceof BackupError || err instanceof ConfigError) {
    console.error(`restore failed: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
