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
import { CloseCode, WS_PATH } from '../../shared/protocol.ts';
import type { TokenService } from '../auth/tokens.ts';
import { userFromClaims } from '../auth/tokens.ts';
import type { ServerConfig } from '../config.ts';
import type { RoomManager } from '../rooms/manager.ts';
import { Connection } from './connection.ts';

export interface SocketServerDeps {
  config: ServerConfig;
  tokens: TokenService;
  rooms: RoomManager;
  log: (message: string) => void;
}

export class SocketServer {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<Connection>();

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
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new Connection(ws, this.deps.config.limits, this.deps.config.pingIntervalMs);
      this.connections.add(conn);
      ws.on('close', () => this.connections.delete(conn));
      this.admit(conn, boardId, token).catch((err) => {
        this.deps.log(`socket for board ${boardId} failed: ${String(err)}`);
        conn.close(1011, 'internal error', { type: 'error', code: 1011, reason: 'internal error' });
      });
    });
    return true;
  }

  private async admit(conn: Connection, boardId: string, token: string | null): Promise<void> {
    const refuse = (code: number, reason: string) => conn.close(code, reason, { type: 'error', code, reason });
    const claims = await this.deps.tokens.verify(token);
    if (!claims) return refuse(CloseCode.unauthorized, 'missing or invalid token');
    if (claims.kind !== 'user') return refuse(CloseCode.unauthorized, 'join the board first (personal token needed)');
    if (claims.board !== boardId) return refuse(CloseCode.forbiddenBoard, 'token is for another board');
    if (!isIdLike(boardId)) return refuse(CloseCode.boardNotFound, 'no such board');
    if (!conn.isOpen) return;
    conn.authenticate(userFromClaims(claims));
    const result = await this.deps.rooms.join(boardId as BoardId, conn);
    if (!result.ok) {
      if (result.reason === 'not-found') return refuse(CloseCode.boardNotFound, 'no such board');
      if (result.reason === 'full') return refuse(CloseCode.boardFull, 'board has too many connections');
      return refuse(CloseCode.serviceRestart, 'server is shutting down');
    }
    conn.attach(result.room);
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
