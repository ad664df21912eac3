/**
 * The REST router: a table of routes, one module per area (server/api/*.ts), each
 * handler given a RouteContext with the parsed params, body reader, verified user and
 * loaded boards. Adding an area is one line in server/api/routes.ts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BoardId } from '../../shared/ids.ts';
import type { TokenClaims, TokenService } from '../auth/tokens.ts';
import type { ServerConfig } from '../config.ts';
import type { AsyncPokerService } from '../estimation/asyncPoker.ts';
import type { PokerService } from '../estimation/poker.ts';
import type { AuthUser, BoardHandle } from '../extensions.ts';
import type { DeadlineStore, MemberStore, PrivateStore, Storage } from '../storage/types.ts';
import { asObject, readJsonBody } from './body.ts';
import { HttpError, sendError, sendJson } from './errors.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What the server lends to route handlers. */
export interface AppServices {
  readonly config: ServerConfig;
  readonly storage: Storage & PrivateStore & DeadlineStore & MemberStore;
  readonly tokens: TokenService;
  /** Planning poker: the server's one instance, also told when someone's presence ends (EST-4). */
  readonly poker: PokerService;
  /** Async planning poker: rounds with a deadline (EST-12…17). */
  readonly asyncPoker: AsyncPokerService;
  /**
   * Runs `fn` with the board loaded (loading it if needed) and keeps it loaded until `fn`
   * settles. Rejects with 404 for an unknown board.
   */
  withBoard<T>(boardId: BoardId, fn: (board: BoardHandle) => Promise<T> | T): Promise<T>;
  /** Closes a removed person's sockets on every instance (MEM-4). */
  evictUser(boardId: BoardId, userId: string): void;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Readonly<Record<string, string>>;
  services: AppServices;
  /** Parsed JSON object body (400 bad JSON, 413 too large). */
  json(): Promise<Record<string, unknown>>;
  /** Verified claims of the Bearer token (link or personal), or 401. */
  claims(): Promise<TokenClaims>;
  /**
   * The user behind a personal Bearer token, or 401; 403 when `boardId` is given and the
   * token is for another board.
   */
  user(boardId?: string): Promise<AuthUser>;
}

/** A handler returns a JSON result, or undefined if it wrote the response itself. */
export type RouteResult = { status: number; body: unknown; headers?: Record<string, string> } | undefined;

export interface Route {
  method: Method;
  /** Path pattern, e.g. `/api/boards/:id/join`; `:name` matches one path segment. */
  path: string;
  handler(ctx: RouteContext): Promise<RouteResult> | RouteResult;
}

interface CompiledRoute extends Route {
  pattern: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(segment.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { ...route, pattern: new RegExp(`^${source}/?$`), names };
}

export function bearerToken(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1]! : null;
}

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(
    routes: readonly Route[],
    private readonly services: AppServices,
  ) {
    this.routes = routes.map(compile);
  }

  /** True if some route's path matches (so the caller need not try static files). */
  matchesPath(pathname: string): boolean {
    return this.routes.some((r) => r.pattern.test(pathname));
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    try {
      const result = await this.dispatch(req, res, url);
      if (result) sendJson(res, result.status, result.body, result.headers);
    } catch (err) {
      if (err instanceof HttpError) sendError(res, err);
      else {
        console.error('request failed:', req.method, url.pathname, err);
        sendError(res, new HttpError(500, 'internal', 'Internal server error'));
      }
    }
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, url: URL): Promise<RouteResult> {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      for (const [i, name] of route.names.entries()) {
        try {
          params[name] = decodeURIComponent(match[i + 1]!);
        } catch {
          throw new HttpError(400, 'bad_path', 'Malformed path');
        }
      }
      return route.handler(this.context(req, res, url, params));
    }
    if (allowed.length > 0) {
      throw new HttpError(405, 'method_not_allowed', `Use ${allowed.join(', ')}`, { allow: allowed.join(', ') });
    }
    throw new HttpError(404, 'not_found', 'No such endpoint');
  }

  private context(req: IncomingMessage, res: ServerResponse, url: URL, params: Record<string, string>): RouteContext {
    const services = this.services;
    let claimsPromise: Promise<TokenClaims> | undefined;
    const claims = () => {
      claimsPromise ??= services.tokens.check(bearerToken(req)).then((c) => {
        if (c.ok) return c.claims;
        if (c.reason === 'expired') {
          // A genuine personal token past its lifetime [AUTH-8]: the person joins again.
          throw new HttpError(401, 'token_expired', 'Your access to this board has expired; open the join link again', {
            'www-authenticate': 'Bearer error="invalid_token", error_description="token expired"',
          });
        }
        throw new HttpError(401, 'unauthorized', 'Missing or invalid token', { 'www-authenticate': 'Bearer' });
      });
      return claimsPromise;
    };
    return {
      req,
      res,
      url,
      params,
      services,
      json: async () => asObject(await readJsonBody(req, services.config.limits.maxJsonBodyBytes)),
      claims,
      async user(boardId) {
        const c = await claims();
        if (c.kind !== 'user') throw new HttpError(401, 'personal_token_required', 'Join the board first');
        if (boardId !== undefined && c.board !== boardId) {
          throw new HttpError(403, 'wrong_board', 'This token is for another board');
        }
        // A person the PO removed keeps a signed token that must no longer work (MEM-4).
        if (await services.storage.memberRemoved(c.board, c.userId)) {
          throw new HttpError(401, 'member_removed', 'You were removed from this board', { 'www-authenticate': 'Bearer' });
        }
        return { boardId: c.board, userId: c.userId, role: c.role, name: c.name };
      },
    };
  }
}
