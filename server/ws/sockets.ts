/**
 * WebSocket entry: `/ws/<boardId>?token=<personal token>`. Every upgrade on that path is
 * accepted, then refused with a documented close code if it must be (docs/protocol.md),
 * so browsers see the reason instead of a bare failed handshake.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { BoardId } from '../../shared/ids.ts';
import { isIdLike } from '../../shared/ids.ts';
import { CloseCode, CONTROL_PARAM, WS_PATH } from '../../shared/protocol.ts';
import type { TokenService } from '../auth/tokens.ts';
import { userFromClaims } from '../auth/tokens.ts';
import type { ServerConfig } from '../config.ts';
import type { AuthUser } from '../extensions.ts';
import type { RoomManager } from '../rooms/manager.ts';
import { Connection } from './connection.ts';

export interface SocketServerDeps {
  config: ServerConfig;
  tokens: TokenService;
  rooms: RoomManager;
  log: (message: string) => void;
  /** Called once a person's socket is in its room (the member list's lastSeenAt, MEM-1). */
  onJoined?: (user: AuthUser) => void;
  /** True when the PO removed this person from the board (MEM-4): their socket is refused. */
  isRemoved?: (user: AuthUser) => Promise<boolean>;
}

export class SocketServer {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();
  /** Authenticated sockets per board and person, for LIMITS.maxSocketsPerUser [SRV-13]. */
  private readonly byUser = new Map<string, Set<Connection>>();

  constructor(private readonly deps: SocketServerDeps) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: deps.config.limits.maxFrameBytes,
      // Yjs updates compress well, but deflate costs CPU and memory per socket; keep it off.
      perMessageDeflate: false,
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Handles an http 'upgrade'; returns false if the path is not ours. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const prefix = `${WS_PATH}/`;
    if (!url.pathname.startsWith(prefix)) return false;
    let boardId: string;
    try {
      boardId = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      boardId = '';
    }
    const token = url.searchParams.get('token');
    const wantsControl = url.searchParams.get(CONTROL_PARAM.name) === CONTROL_PARAM.value;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(ws, this.deps.config.limits, this.deps.config.pingIntervalMs, wantsControl);
      this.connections.add(conn);
      ws.on('close', () => {
        this.connections.delete(conn);
        this.forgetUser(conn);
      });
      this.admit(conn, boardId, token).catch((err) => {
        this.deps.log(`socket for board ${boardId} failed: ${String(err)}`);
        const code = CloseCode.internalError;
        conn.close(code, 'internal error', { type: 'error', code, reason: 'internal error' });
      });
    });
    return true;
  }

  private async admit(conn: Connection, boardId: string, token: string | null): Promise<void> {
    const refuse = (code: number, reason: string) => conn.close(code, reason, { type: 'error', code, reason });
    const checked = await this.deps.tokens.check(token);
    if (!checked.ok && checked.reason === 'expired') {
      return refuse(CloseCode.unauthorized, 'token expired: open the join link again');
    }
    if (!checked.ok) return refuse(CloseCode.unauthorized, 'missing or invalid token');
    const { claims } = checked;
    if (claims.kind !== 'user') return refuse(CloseCode.unauthorized, 'join the board first (personal token needed)');
    if (claims.board !== boardId) return refuse(CloseCode.forbiddenBoard, 'token is for another board');
    if (!isIdLike(boardId)) return refuse(CloseCode.boardNotFound, 'no such board');
    const user = userFromClaims(claims);
    const removed = () => this.deps.isRemoved?.(user) ?? Promise.resolve(false);
    if (await removed()) return refuse(CloseCode.unauthorized, 'you were removed from this board');
    if (!conn.isOpen) return;
    // Counted and registered in one synchronous step, so sockets arriving together cannot
    // all slip under the cap. Only open sockets count: a closed tab frees its slot at once.
    const key = userKey(user.boardId, user.userId);
    const mine = this.byUser.get(key) ?? new Set<Connection>();
    let open = 0;
    for (const other of mine) if (other.isOpen) open++;
    const cap = this.deps.config.limits.maxSocketsPerUser;
    if (open >= cap) {
      return refuse(CloseCode.tooManySockets, `you already have ${cap} connections to this board; close a tab or device`);
    }
    mine.add(conn);
    this.byUser.set(key, mine);
    conn.authenticate(user);
    const result = await this.deps.rooms.join(boardId as BoardId, conn);
    if (!result.ok) {
      if (result.reason === 'not-found') return refuse(CloseCode.boardNotFound, 'no such board');
      if (result.reason === 'full') return refuse(CloseCode.boardFull, 'board has too many connections');
      return refuse(CloseCode.serviceRestart, 'server is shutting down');
    }
    conn.attach(result.room);
    // Asked again once in the room: a removal between the first check and now has already
    // sent its eviction, which this socket would have missed.
    if (await removed()) return refuse(CloseCode.unauthorized, 'you were removed from this board');
    this.deps.onJoined?.(user);
  }

  private forgetUser(conn: Connection): void {
    const user = conn.authenticatedUser;
    if (!user) return;
    const key = userKey(user.boardId, user.userId);
    const mine = this.byUser.get(key);
    if (!mine) return;
    mine.delete(conn);
    if (mine.size === 0) this.byUser.delete(key);
  }

  /** Closes every socket (those not in a room yet too). */
  closeAll(code: number, reason: string): void {
    for (const conn of this.connections) conn.close(code, reason, { type: 'error', code, reason });
  }

  /** Gives closing sockets up to `graceMs` to finish the close handshake, then cuts them. */
  async close(graceMs = 1000): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.wss.clients.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

const userKey = (boardId: string, userId: string): string => `${boardId}\n${userId}`;
