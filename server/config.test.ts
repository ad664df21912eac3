import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LIMITS } from '../shared/limits.ts';
import { ConfigError, configFromEnv } from './config.ts';

describe('config from the environment', () => {
  it('has working defaults: port 8080, ./data, SQLite there, limits from shared/limits.ts', () => {
    const c = configFromEnv({});
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe(path.resolve('data'));
    expect(c.storage).toEqual({ kind: 'sqlite', file: path.resolve('data/boards.sqlite'), synchronous: 'FULL' });
    expect(c.limits).toEqual(LIMITS);
    expect(c.tokenSecret).toBeNull();
  });

  it('DATABASE_URL alone keeps SQLite; STORAGE=postgres uses it', () => {
    expect(configFromEnv({ DATABASE_URL: 'postgres://x/y' }).storage.kind).toBe('sqlite');
    expect(configFromEnv({ STORAGE: 'postgres', DATABASE_URL: 'postgres://x/y' }).storage).toEqual({
      kind: 'postgres',
      url: 'postgres://x/y',
    });
  });

  it('reads overrides and refuses nonsense with a clear message', () => {
    const c = configFromEnv({ PORT: '0', HOST: '127.0.0.1', IDLE_UNLOAD_MS: '0', MAX_FRAME_BYTES: '65536' });
    expect([c.port, c.host, c.idleUnloadMs, c.limits.maxFrameBytes]).toEqual([0, '127.0.0.1', 0, 65536]);
    expect(() => configFromEnv({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => configFromEnv({ STORAGE: 'postgres' })).toThrow(/DATABASE_URL/);
    expect(() => configFromEnv({ STORAGE: 'mongo' })).toThrow(ConfigError);
    expect(() => configFromEnv({ TOKEN_SECRET: 'short' })).toThrow(/32/);
  });

  it('[AUTH-8] [SRV-13] personal token lifetime (30 days) and sockets per person come from the environment', () => {
    expect(configFromEnv({}).personalTokenTtlSeconds).toBe(30 * 24 * 3600);
    const c = configFromEnv({ PERSONAL_TOKEN_TTL_SECONDS: '86400', MAX_SOCKETS_PER_USER: '3' });
    expect([c.personalTokenTtlSeconds, c.limits.maxSocketsPerUser]).toEqual([86400, 3]);
    expect(() => configFromEnv({ PERSONAL_TOKEN_TTL_SECONDS: '5' })).toThrow(/PERSONAL_TOKEN_TTL_SECONDS/);
  });
});
