/**
 * Builds the configured Storage and Fanout. The PostgreSQL and Redis adapters are
 * imported lazily so a SQLite deployment never loads `pg` or `ioredis`.
 */
import type { BoardId } from '../../shared/ids.ts';
import type { ServerConfig } from '../config.ts';
import { createLocalFanout } from '../fanout/local.ts';
import type { Fanout } from '../fanout/types.ts';
import type { RedisFanoutOptions } from '../fanout/redis.ts';
import { createSqliteStorage } from './sqlite.ts';
import type { StorageAdapter } from './types.ts';

export async function openStorage(config: ServerConfig): Promise<StorageAdapter> {
  if (config.storage.kind === 'postgres') {
    const { createPostgresStorage } = await import('./postgres.ts');
    return createPostgresStorage(config.storage.url);
  }
  return createSqliteStorage(config.storage.file, { synchronous: config.storage.synchronous });
}

/**
 * `onResync` is called when Redis messages for a board may have been lost (reconnect).
 * Redis fan-out only matters when several instances share one PostgreSQL store; a SQLite
 * file belongs to one instance, so REDIS_URL is ignored there.
 */
export async function openFanout(
  config: ServerConfig,
  onResync: (boardId: BoardId) => void = () => {},
  /** Errors, reconnects and timings (metrics and logs, OBS-1/2). */
  observe: Pick<RedisFanoutOptions, 'onError' | 'onReconnect' | 'timing'> = {},
): Promise<Fanout> {
  if (config.redisUrl && config.storage.kind === 'postgres') {
    const { createRedisFanout } = await import('../fanout/redis.ts');
    return createRedisFanout(config.redisUrl, { onResync, ...observe });
  }
  return createLocalFanout();
}
