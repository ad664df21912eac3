/**
 * Server configuration: one typed object built from the environment (or by tests).
 * Limits start from shared/limits.ts [SRV-7]; tests may override them here and nowhere else.
 */
import path from 'node:path';
import { LIMITS } from '../shared/limits.ts';

export type Limits = { -readonly [K in keyof typeof LIMITS]: number };

export type StorageConfig =
  | { kind: 'sqlite'; file: string; synchronous?: 'FULL' | 'NORMAL' }
  | { kind: 'postgres'; url: string };

export interface ServerConfig {
  /** TCP port; 0 picks a free one (tests). */
  port: number;
  host: string;
  /** Where the SQLite file and the generated token secret live. */
  dataDir: string;
  /** HS256 signing secret; when absent one is generated once into DATA_DIR/secret.key. */
  tokenSecret: string | null;
  /** Lifetime of a personal token, renewable while valid (AUTH-8, AUTH-9). Link tokens do not expire. */
  personalTokenTtlSeconds: number;
  storage: StorageConfig;
  /** Redis for fan-out between several instances sharing one PostgreSQL store. */
  redisUrl: string | null;
  /** Built client (vite output) served as static files. */
  clientDir: string;
  /** Base URL for join links; by default taken from the request's Host header. */
  publicUrl: string | null;
  /** How long a board stays loaded after its last socket leaves (0 = unload at once). */
  idleUnloadMs: number;
  /** Appended updates since the last snapshot that trigger a background compaction. */
  compactionThreshold: number;
  /**
   * Once compaction is due it waits for this long without new appends (it re-merges the
   * whole snapshot, so it waits for a quiet moment)...
   */
  compactQuietMs: number;
  /** ...or runs at once when the log reaches this many times compactionThreshold. */
  compactNowFactor: number;
  /**
   * How long a board's first load waits, before building its doc, for a just-joined
   * socket's first frame (its sync step 1), so a fresh joiner is answered from the stored
   * bytes instead of after the build. A y-websocket client sends step 1 as soon as the
   * socket opens.
   */
  coldFirstFrameWaitMs: number;
  /** Interval of WebSocket pings; a socket that misses one pong is dropped. */
  pingIntervalMs: number;
  limits: Limits;
  /** Print request/room events to stderr. */
  verbose: boolean;
  /** Structured log level (pino): trace, debug, info, warn, error, fatal or silent. */
  logLevel: LogLevel;
  /** When set, GET /metrics answers only `Authorization: Bearer <metricsToken>`; unset: loopback only. */
  metricsToken: string | null;
  /** Proxies in front of the server that append to X-Forwarded-For (0: the header is ignored) [LIM-1]. */
  trustProxy: number;
  /** Per-address limits on (LIMITS board creation, join, REST writes, sockets) [LIM-1]. */
  addressLimits: boolean;
  /** On stop, /readyz answers 503 for this long before connections close, so a load balancer drains first. */
  drainMs: number;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export type ConfigOverrides = Partial<Omit<ServerConfig, 'limits'>> & { limits?: Partial<Limits> };

const DEFAULTS = {
  port: 8080,
  host: '0.0.0.0',
  dataDir: './data',
  idleUnloadMs: 30_000,
  compactionThreshold: 500,
  compactQuietMs: 1000,
  compactNowFactor: 4,
  coldFirstFrameWaitMs: 25,
  pingIntervalMs: 30_000,
  personalTokenTtlSeconds: 30 * 24 * 3600,
  logLevel: 'info',
  drainMs: 0,
} as const;

/** A full config from explicit values; anything missing gets its default. */
export function defineConfig(overrides: ConfigOverrides = {}): ServerConfig {
  const dataDir = path.resolve(overrides.dataDir ?? DEFAULTS.dataDir);
  return {
    port: overrides.port ?? DEFAULTS.port,
    host: overrides.host ?? DEFAULTS.host,
    dataDir,
    tokenSecret: overrides.tokenSecret ?? null,
    personalTokenTtlSeconds: overrides.personalTokenTtlSeconds ?? DEFAULTS.personalTokenTtlSeconds,
    storage: overrides.storage ?? { kind: 'sqlite', file: path.join(dataDir, 'boards.sqlite') },
    redisUrl: overrides.redisUrl ?? null,
    clientDir: path.resolve(overrides.clientDir ?? 'dist/client'),
    publicUrl: overrides.publicUrl ?? null,
    idleUnloadMs: overrides.idleUnloadMs ?? DEFAULTS.idleUnloadMs,
    compactionThreshold: overrides.compactionThreshold ?? DEFAULTS.compactionThreshold,
    compactQuietMs: overrides.compactQuietMs ?? DEFAULTS.compactQuietMs,
    compactNowFactor: overrides.compactNowFactor ?? DEFAULTS.compactNowFactor,
    coldFirstFrameWaitMs: overrides.coldFirstFrameWaitMs ?? DEFAULTS.coldFirstFrameWaitMs,
    pingIntervalMs: overrides.pingIntervalMs ?? DEFAULTS.pingIntervalMs,
    limits: { ...LIMITS, ...overrides.limits },
    verbose: overrides.verbose ?? false,
    logLevel: overrides.logLevel ?? DEFAULTS.logLevel,
    metricsToken: overrides.metricsToken ?? null,
    trustProxy: overrides.trustProxy ?? 0,
    addressLimits: overrides.addressLimits ?? true,
    drainMs: overrides.drainMs ?? DEFAULTS.drainMs,
  };
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, min: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new ConfigError(`${name} must be an integer >= ${min}, got "${raw}"`);
  return n;
}

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw ? raw : undefined;
}

/** Reads the environment variables documented in docs/operations.md. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = nonEmpty(env, 'DATA_DIR') ?? DEFAULTS.dataDir;
  // DATABASE_URL alone does not switch storage: CI sets it for the Postgres tests.
  const kind = (nonEmpty(env, 'STORAGE') ?? 'sqlite').toLowerCase();
  let storage: StorageConfig;
  if (kind === 'postgres') {
    const url = nonEmpty(env, 'DATABASE_URL');
    if (!url) throw new ConfigError('STORAGE=postgres needs DATABASE_URL');
    storage = { kind: 'postgres', url };
  } else if (kind === 'sqlite') {
    const sync = (nonEmpty(env, 'SQLITE_SYNCHRONOUS') ?? 'FULL').toUpperCase();
    if (sync !== 'FULL' && sync !== 'NORMAL') throw new ConfigError('SQLITE_SYNCHRONOUS must be FULL or NORMAL');
    storage = {
      kind: 'sqlite',
      file: path.resolve(nonEmpty(env, 'SQLITE_FILE') ?? path.join(dataDir, 'boards.sqlite')),
      synchronous: sync,
    };
  } else {
    throw new ConfigError(`STORAGE must be sqlite or postgres, got "${kind}"`);
  }
  const secret = nonEmpty(env, 'TOKEN_SECRET');
  if (secret !== undefined && secret.length < 32) throw new ConfigError('TOKEN_SECRET must be at least 32 characters');
  const maxFrame = intFrom(env, 'MAX_FRAME_BYTES', 1024);
  const maxBoard = intFrom(env, 'MAX_BOARD_BYTES', 1024);
  const maxConn = intFrom(env, 'MAX_CONNECTIONS_PER_BOARD', 1);
  const rate = intFrom(env, 'MESSAGES_PER_SECOND', 1);
  const burst = intFrom(env, 'MESSAGE_BURST', 1);
  const socketsPerUser = intFrom(env, 'MAX_SOCKETS_PER_USER', 1);
  const logLevel = (nonEmpty(env, 'LOG_LEVEL') ?? DEFAULTS.logLevel).toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const metricsToken = nonEmpty(env, 'METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 16) throw new ConfigError('METRICS_TOKEN must be at least 16 characters');
  const addressLimits = (nonEmpty(env, 'ADDRESS_LIMITS') ?? 'on').toLowerCase();
  if (addressLimits !== 'on' && addressLimits !== 'off') throw new ConfigError('ADDRESS_LIMITS must be on or off');
  return defineConfig({
    port: intFrom(env, 'PORT', 0),
    host: nonEmpty(env, 'HOST'),
    dataDir,
    tokenSecret: secret,
    personalTokenTtlSeconds: intFrom(env, 'PERSONAL_TOKEN_TTL_SECONDS', 60),
    storage,
    redisUrl: nonEmpty(env, 'REDIS_URL'),
    clientDir: nonEmpty(env, 'CLIENT_DIR'),
    publicUrl: nonEmpty(env, 'PUBLIC_URL')?.replace(/\/+$/, ''),
    idleUnloadMs: intFrom(env, 'IDLE_UNLOAD_MS', 0),
    compactionThreshold: intFrom(env, 'COMPACTION_THRESHOLD', 1),
    pingIntervalMs: intFrom(env, 'PING_INTERVAL_MS', 1000),
    verbose: env.VERBOSE === '1' || env.VERBOSE === 'true',
    logLevel,
    metricsToken,
    trustProxy: trustProxyFrom(env),
    addressLimits: addressLimits === 'on',
    drainMs: intFrom(env, 'SHUTDOWN_DRAIN_MS', 0),
    limits: {
      ...(maxFrame !== undefined && { maxFrameBytes: maxFrame }),
      ...(maxBoard !== undefined && { maxBoardBytes: maxBoard }),
      ...(maxConn !== undefined && { maxConnectionsPerBoard: maxConn }),
      ...(rate !== undefined && { messagesPerSecond: rate }),
      ...(burst !== undefined && { messageBurst: burst }),
      ...(socketsPerUser !== undefined && { maxSocketsPerUser: socketsPerUser }),
    },
  });
}

/** TRUST_PROXY: unset/false/0 → 0; true → 1 proxy; N → N proxies appending to X-Forwarded-For. */
function trustProxyFrom(env: NodeJS.ProcessEnv): number {
  const raw = nonEmpty(env, 'TRUST_PROXY')?.toLowerCase();
  if (raw === undefined || raw === 'false') return 0;
  if (raw === 'true') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10) throw new ConfigError(`TRUST_PROXY must be true, false or a number of proxies 0..10, got "${raw}"`);
  return n;
}
