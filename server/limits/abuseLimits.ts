/**
 * The per-address limits of one server [LIM-1]: which buckets a request or a WebSocket
 * upgrade draws from, and the 429 it gets past one. Numbers from LIMITS (server config).
 */
import type { IncomingMessage } from 'node:http';
import { routePatterns } from '../../shared/api.ts';
import { API_PATH } from '../../shared/protocol.ts';
import type { Limits } from '../config.ts';
import { AddressLimiter, type Refusal } from './addressLimiter.ts';
import { clientAddress } from './clientAddress.ts';

export type LimitKind = 'board-create' | 'join' | 'rest-write' | 'socket';

export interface LimitRefusal extends Refusal {
  kind: LimitKind;
}

const patternOf = (route: string): RegExp => new RegExp(`^${route.replace(/:[a-z]+/gi, '[^/]+')}/?$`);
const BOARDS = patternOf(routePatterns.boards);
const JOIN = patternOf(routePatterns.join);
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class AbuseLimits {
  private readonly limiters: Record<LimitKind, AddressLimiter>;

  constructor(
    limits: Limits,
    /** How many proxies append to X-Forwarded-For (TRUST_PROXY); 0 ignores the header. */
    private readonly trustedProxies: number,
    now: () => number = Date.now,
  ) {
    this.limiters = {
      'board-create': new AddressLimiter({ perMinute: limits.boardCreatesPerMinute, burst: limits.boardCreateBurst }, now),
      join: new AddressLimiter({ perMinute: limits.joinsPerMinute, burst: limits.joinBurst }, now),
      'rest-write': new AddressLimiter({ perMinute: limits.restWritesPerMinute, burst: limits.restWriteBurst }, now),
      socket: new AddressLimiter({ perMinute: limits.socketsPerMinute, burst: limits.socketBurst }, now),
    };
  }

  /** An HTTP request: null when it may proceed, else which limit refused it. */
  request(req: IncomingMessage, pathname: string): LimitRefusal | null {
    const method = req.method ?? 'GET';
    if (READS.has(method) || !(pathname === API_PATH || pathname.startsWith(`${API_PATH}/`))) return null;
    const address = clientAddress(req, this.trustedProxies);
    if (method === 'POST' && BOARDS.test(pathname)) {
      const refused = this.draw('board-create', address);
      if (refused) return refused;
    } else if (method === 'POST' && JOIN.test(pathname)) {
      const refused = this.draw('join', address);
      if (refused) return refused;
    }
    return this.draw('rest-write', address);
  }

  /** A WebSocket upgrade: null when it may proceed. */
  upgrade(req: IncomingMessage): LimitRefusal | null {
    return this.draw('socket', clientAddress(req, this.trustedProxies));
  }

  private draw(kind: LimitKind, address: string): LimitRefusal | null {
    const refused = this.limiters[kind].take(address);
    return refused ? { kind, ...refused } : null;
  }
}

/** What a refused client is told: people-readable, with the limit that refused it. */
export const LIMIT_MESSAGES: Record<LimitKind, string> = {
  'board-create': 'Too many boards created from your address; try again later',
  join: 'Too many joins from your address; try again later',
  'rest-write': 'Too many requests from your address; slow down',
  socket: 'Too many new connections from your address; try again later',
};
