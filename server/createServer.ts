/**
 * `createServer(config)`: one board server instance (http + ws on one port) with all its
 * state inside the returned object, so tests can run many in parallel.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BoardId } from '../shared/ids.ts';
import { API_PATH, CloseCode } from '../shared/protocol.ts';
import { recordMember } from './api/members.ts';
import { restRoutes } from './api/routes.ts';
import { loadSecret } from './auth/secret.ts';
import { TokenService } from './auth/tokens.ts';
import type { ServerConfig } from './config.ts';
import type { Fanout } from './fanout/types.ts';
import type { BoardHandle, UpdateGate } from './extensions.ts';
import { HttpError, sendError } from './http/errors.ts';
import { AsyncPokerService } from './estimation/asyncPoker.ts';
import { DeadlineScheduler } from './estimation/deadlines.ts';
import { PokerService } from './estimation/poker.ts';
import { PolicyGate } from './policy/gate.ts';
import { type AppServices, type Route, Router } from './http/router.ts';
import { StaticFiles } from './http/static.ts';
import { RoomManager } from './rooms/manager.ts';
import { BoardNotFoundError } from './rooms/room.ts';
import { openFanout, openStorage } from './storage/open.ts';
import { systemClock } from './rooms/clock.ts';
import { historyStoreOf } from './history/store.ts';
import type { DeadlineStore, MemberStore, PrivateStore, Storage } from './storage/types.ts';
import { SocketServer } from './ws/sockets.ts';

export interface ServerOptions {
  /** Decides which client updates may be applied. Default: the write policy (server/policy). */
  updateGate?: UpdateGate;
  /** Extra REST routes (in addition to server/api/routes.ts). */
  routes?: readonly Route[];
  /** Use this storage instead of the configured one (not closed by stop()). */
  storage?: Storage & PrivateStore & DeadlineStore & MemberStore;
  /** Use this fan-out instead of the configured one (not closed by stop()). */
  fanout?: Fanout;
}

export interface BoardServer {
  readonly config: ServerConfig;
  /** Listens; resolves with the bound port and base URL. */
  start(): Promise<{ port: number; url: string }>;
  /** SIGTERM path: stop accepting, close sockets with 1012, flush boards, close storage. */
  stop(): Promise<void>;
  /** Available after start(). */
  readonly storage: Storage & PrivateStore & DeadlineStore;
  readonly tokens: TokenService;
  readonly rooms: RoomManager;
  /** Runs `fn` with the board loaded (for server-side changes). Rejects for an unknown board. */
  withBoard<T>(boardId: BoardId, fn: (board: BoardHandle) => Promise<T> | T): Promise<T>;
  /** Open WebSocket connections (all boards). */
  readonly connectionCount: number;
}

interface Running {
  http: Server;
  storage: Storage & PrivateStore & DeadlineStore;
  ownsStorage: boolean;
  fanout: Fanout;
  ownsFanout: boolean;
  tokens: TokenService;
  rooms: RoomManager;
  sockets: SocketServer;
  deadlines: DeadlineScheduler;
}

export function createServer(config: ServerConfig, options: ServerOptions = {}): BoardServer {
  let running: Running | null = null;
  let stopping: Promise<void> | null = null;
  const log = (message: string) => {
    if (config.verbose) console.error(`[board-server] ${message}`);
  };
  const need = (): Running => {
    if (!running) throw new Error('server is not started');
    return running;
  };

  const withBoard = async <T>(boardId: BoardId, fn: (board: BoardHandle) => Promise<T> | T): Promise<T> => {
    const result = await need().rooms.withBoard(boardId, fn);
    if (result instanceof BoardNotFoundError) throw new HttpError(404, 'board_not_found', 'No such board');
    return result;
  };

  async function start(): Promise<{ port: number; url: string }> {
    if (running) throw new Error('server already started');
    const secret = await loadSecret(config.dataDir, config.tokenSecret);
    const storage = options.storage ?? (await openStorage(config));
    // Fan-out asks for a resync of boards whose messages it may have lost (Redis reconnect).
    let roomsForResync: RoomManager | null = null;
    const fanout = options.fanout ?? (await openFanout(config, (id) => roomsForResync?.resync(id)));
    const tokens = new TokenService(secret, { personalTtlSeconds: config.personalTokenTtlSeconds });
    const poker = new PokerService({ storage, withBoard });
    // Async rounds reveal at their stored deadline even with the board unloaded (EST-14).
    let deadlinesForPoker: DeadlineScheduler | null = null;
    const asyncPoker = new AsyncPokerService({
      storage,
      withBoard,
      now: () => systemClock.now(),
      scheduled: (dueAt) => deadlinesForPoker?.scheduled(dueAt),
    });
    const deadlines = new DeadlineScheduler({
      store: storage,
      clock: systemClock,
      handle: (d) => asyncPoker.deadlineDue(d.boardId, d.key),
      log,
    });
    deadlinesForPoker = deadlines;
    const rooms = new RoomManager({
      config,
      storage,
      fanout,
      gate: options.updateGate ?? new PolicyGate(),
      log,
      history: historyStoreOf(storage),
      onPresenceLeft: (room) => {
        poker.presenceLeft(room).catch((err: unknown) => log(`board ${room.boardId}: auto-reveal check failed: ${String(err)}`));
      },
    });
    roomsForResync = rooms;
    const sockets = new SocketServer({
      config,
      tokens,
      rooms,
      log,
      isRemoved: (user) => storage.memberRemoved(user.boardId, user.userId),
      onJoined: (user) => {
        recordMember(storage, user).catch((err: unknown) => log(`board ${user.boardId}: member not recorded: ${String(err)}`));
      },
    });
    const services: AppServices = {
      config,
      storage,
      tokens,
      poker,
      asyncPoker,
      withBoard,
      evictUser: (boardId, userId) => rooms.evictUser(boardId, userId),
    };
    const router = new Router([...restRoutes, ...(options.routes ?? [])], services);
    const files = new StaticFiles(config.clientDir);

    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        sendError(res, new HttpError(400, 'bad_path', 'Malformed URL'));
        return;
      }
      const isApi = url.pathname === API_PATH || url.pathname.startsWith(`${API_PATH}/`);
      if (isApi || router.matchesPath(url.pathname)) {
        void router.handle(req, res, url);
      } else {
        files.serve(req, res, url).catch((err) => {
          log(`static ${url.pathname} failed: ${String(err)}`);
          if (!res.headersSent) sendError(res, new HttpError(500, 'internal', 'Internal server error'));
          else res.destroy();
        });
      }
    };

    const http = createHttpServer(onRequest);
    http.on('upgrade', (req, socket, head) => {
      socket.on('error', () => {});
      if (!sockets.handleUpgrade(req, socket, head)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
    });
    http.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });

    try {
      await new Promise<void>((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => {
          http.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      // e.g. EADDRINUSE: release what start() opened so the caller can retry or exit.
      if (!options.fanout) await fanout.close().catch(() => {});
      if (!options.storage) await storage.close().catch(() => {});
      throw err;
    }
    running = {
      http,
      storage,
      ownsStorage: !options.storage,
      fanout,
      ownsFanout: !options.fanout,
      tokens,
      rooms,
      sockets,
      deadlines,
    };
    // Rounds whose deadline passed while the server was down reveal now (EST-14).
    await deadlines.start();
    const port = (http.address() as AddressInfo).port;
    const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    return { port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}` };
  }

  async function stop(): Promise<void> {
    if (!running) return;
    stopping ??= (async () => {
      const r = need();
      // Stop accepting first; existing keep-alive connections are closed below.
      const httpClosed = new Promise<void>((resolve) => r.http.close(() => resolve()));
      await r.deadlines.stop();
      r.sockets.closeAll(CloseCode.serviceRestart, 'server restarting');
      await r.rooms.shutdown(CloseCode.serviceRestart, 'server restarting');
      await r.sockets.close();
      r.http.closeAllConnections();
      await httpClosed;
      if (r.ownsFanout) await r.fanout.close().catch(() => {});
      if (r.ownsStorage) await r.storage.close();
      running = null;
    })();
    try {
      await stopping;
    } finally {
      stopping = null;
    }
  }

  return {
    config,
    start,
    stop,
    get storage() {
      return need().storage;
    },
    get tokens() {
      return need().tokens;
    },
    get rooms() {
      return need().rooms;
    },
    withBoard,
    get connectionCount() {
      return running?.sockets.connectionCount ?? 0;
    },
  };
}
