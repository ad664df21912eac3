/**
 * Backup and restore of the SQLite store (`npm run backup` / `npm run restore`,
 * docs/operations.md "Backup and restore").
 *
 * Backup uses SQLite's online backup API (better-sqlite3 `backup()`), from a connection of
 * its own, while the server keeps running: WAL readers do not block the server's writer,
 * and the copy is one consistent read (the remaining pages go in one step, so concurrent
 * commits cannot make it restart forever). The generated token secret (DATA_DIR/secret.key)
 * travels inside the backup file, so links and personal tokens still work after a restore.
 *
 * Restore copies the backup into the data dir through the same API (which also discards a
 * stale -wal of the old file), refusing while another connection (a running server) has
 * the database open, unless forced.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Table that carries DATA_DIR/secret.key inside a backup file (never in a live database). */
const SECRET_TABLE = 'backup_secret';
/** After the first (empty) step, every remaining page in one step: one consistent read. */
const ALL_AT_ONCE = { progress: () => 0x7fffffff };

export interface SqliteLocation {
  /** The database file (SQLITE_FILE, default DATA_DIR/boards.sqlite). */
  file: string;
  /** DATA_DIR: where secret.key lives. */
  dataDir: string;
}

export interface BackupSummary {
  file: string;
  boards: number;
  updates: number;
  bytes: number;
  secretIncluded: boolean;
  ms: number;
}

export class BackupError extends Error {}

function counts(db: Database.Database): { boards: number; updates: number } {
  const one = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return { boards: one('SELECT count(*) AS n FROM boards'), updates: one('SELECT count(*) AS n FROM updates') };
}

function checkIntegrity(db: Database.Database, what: string): void {
  const result = db.pragma('integrity_check', { simple: true });
  if (result !== 'ok') throw new BackupError(`${what} failed its integrity check: ${String(result)}`);
}

/** Online backup of `from` into `dest` (written beside it, then renamed: never half a file). */
export async function backupSqlite(from: SqliteLocation, dest: string): Promise<BackupSummary> {
  const t0 = Date.now();
  if (!existsSync(from.file)) throw new BackupError(`no database at ${from.file} (check DATA_DIR / SQLITE_FILE)`);
  const target = path.resolve(dest);
  if (target === path.resolve(from.file)) throw new BackupError('the backup file must not be the database itself');
  await mkdir(path.dirname(target), { recursive: true });
  const partial = `${target}.partial-${process.pid}`;
  await rm(partial, { force: true });
  const source = new Database(from.file, { fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    await source.backup(partial, ALL_AT_ONCE);
  } finally {
    source.close();
  }
  let secretIncluded = false;
  const copy = new Database(partial);
  let summary: { boards: number; updates: number };
  try {
    checkIntegrity(copy, 'the backup');
    summary = counts(copy);
    const secret = await readFile(path.join(from.dataDir, 'secret.key'), 'utf8').catch(() => null);
    if (secret?.trim()) {
      copy.exec(`CREATE TABLE ${SECRET_TABLE} (value TEXT NOT NULL)`);
      copy.prepare(`INSERT INTO ${SECRET_TABLE} (value) VALUES (?)`).run(secret.trim());
      secretIncluded = true;
    }
    // One self-contained file: no -wal beside it.
    copy.pragma('journal_mode = DELETE');
  } catch (err) {
    copy.close();
    await rm(partial, { force: true });
    throw err;
  }
  copy.close();
  await rename(partial, target);
  const bytes = (await readFile(target)).byteLength;
  return { file: target, ...summary, bytes, secretIncluded, ms: Date.now() - t0 };
}

/**
 * Whether another connection has the database open. A WAL database can leave WAL mode
 * only when this is its sole connection, so the switch doubles as the check (the file is
 * about to be replaced, and the restore puts WAL back).
 */
function inUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    return String(mode).toLowerCase() !== 'delete';
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
    throw err;
  } finally {
    db.close();
  }
}

export interface RestoreSummary {
  file: string;
  boards: number;
  updates: number;
  secretRestored: boolean;
  forced: boolean;
}

/** Copies the backup `src` into `to`; refuses while a server has it open unless `force`. */
export async function restoreSqlite(src: string, to: SqliteLocation, opts: { force?: boolean } = {}): Promise<RestoreSummary> {
  if (!existsSync(src)) throw new BackupError(`no backup file at ${src}`);
  const backup = new Database(src, { readonly: true, fileMustExist: true });
  let secret: string | null = null;
  let summary: { boards: number; updates: number };
  try {
    checkIntegrity(backup, 'the backup file');
    summary = counts(backup);
    const hasSecret = backup.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(SECRET_TABLE);
    if (hasSecret) secret = (backup.prepare(`SELECT value FROM ${SECRET_TABLE}`).get() as { value: string }).value;
  } catch (err) {
    backup.close();
    throw err instanceof BackupError ? err : new BackupError(`${src} is not a board backup: ${String(err)}`);
  }
  const forced = Boolean(opts.force);
  try {
    if (inUse(to.file) && !forced) {
      throw new BackupError(
        `${to.file} is open by another process (a running server?). Stop the server first, or pass --force to overwrite it anyway.`,
      );
    }
    await mkdir(path.dirname(to.file), { recursive: true });
    // Through the backup API, not a file copy: the target's own -wal/-shm stay consistent.
    await backup.backup(to.file, ALL_AT_ONCE);
  } finally {
    backup.close();
  }
  const restored = new Database(to.file);
  try {
    restored.exec(`DROP TABLE IF EXISTS ${SECRET_TABLE}`);
    restored.pragma('journal_mode = WAL');
    checkIntegrity(restored, 'the restored database');
  } finally {
    restored.close();
  }
  if (secret) {
    const key = path.join(to.dataDir, 'secret.key');
    await mkdir(to.dataDir, { recursive: true });
    await writeFile(`${key}.tmp`, `${secret}\n`, { mode: 0o600 });
    await rename(`${key}.tmp`, key);
  }
  return { file: to.file, ...summary, secretRestored: secret !== null, forced };
}
