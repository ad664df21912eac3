/**
 * Test helpers: a real server on port 0 with its own data directory, REST shortcuts, and
 * real y-websocket WebsocketProvider clients. Shared by every integration test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { BoardInfoResponse, CreateBoardResponse, JoinResponse } from '../../shared/api.ts';
import { apiPaths } from '../../shared/api.ts';
import type { BoardId, ItemId } from '../../shared/ids.ts';
import { decodeServerFrame, encodeSyncUpdate, readControlMessage } from '../../shared/codec.ts';
import type { ControlMessage } from '../../shared/protocol.ts';
import { CONTROL_PARAM, MessageType, WS_PATH } from '../../shared/protocol.ts';
import type { Role } from '../../shared/roles.ts';
import { type AddItemInput, appendItems } from '../../shared/schema/board.ts';
import type { ConfigOverrides } from '../../server/config.ts';
import { defineConfig } from '../../server/config.ts';
import type { BoardServer, ServerOptions } from '../../server/createServer.ts';
import { createServer } from '../../server/createServer.ts';
import { waitFor, withTimeout } from './wait.ts';

export interface TestServer {
  server: BoardServer;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** ws://127.0.0.1:PORT/ws — the WebsocketProvider serverUrl. */
  wsUrl: string;
  port: number;
  dataDir: string;
  /** Stops the server; removes the data directory if this helper created it. */
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** Reuse a data directory (restart tests); it is then not removed on stop. */
  dataDir?: string;
  /** Config overrides; defaults: 127.0.0.1, port 0, idleUnloadMs 0, fixed test secret. */
  config?: ConfigOverrides;
  /** Hooks (updateGate, extra routes, storage, fanout). */
  options?: ServerOptions;
}

export const TEST_SECRET = 'test-secret-0123456789-0123456789-abcdef';

/**
 * Every test client comes from 127.0.0.1, so the per-address limits [LIM-1] stay on but
 * far above what a test does; a test of the limits sets its own.
 */
export const TEST_ADDRESS_LIMITS = {
  boardCreatesPerMinute: 60_000,
  boardCreateBurst: 10_000,
  joinsPerMinute: 60_000,
  joinBurst: 10_000,
  restWritesPerMinute: 600_000,
  restWriteBurst: 100_000,
  socketsPerMinute: 60_000,
  socketBurst: 10_000,
} as const;

export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
  const ownDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'board-test-')));
  const config = defineConfig({
    host: '127.0.0.1',
    port: 0,
    idleUnloadMs: 0,
    tokenSecret: TEST_SECRET,
    // Quiet unless a test asks for its logs (LOG_LEVEL=debug to see them all).
    logLevel: (process.env.LOG_LEVEL as ConfigOverrides['logLevel']) ?? 'silent',
    ...opts.config,
    limits: { ...TEST_ADDRESS_LIMITS, ...opts.config?.limits },
    dataDir,
  });
  const server = createServer(config, opts.options);
  const { port } = await server.start();
  const baseUrl = `http://127.0.0.1:${port}`;
  let stopped = false;
  return {
    server,
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}${WS_PATH}`,
    port,
    dataDir,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (ownDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** JSON request helper that returns status and parsed body (no throw on non-2xx). */
export async function api<T = unknown>(
  baseUrl: string,
  route: string,
  init: { method?: string; token?: string; body?: unknown; rawBody?: string } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + route, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text so the test can show it
  }
  return { status: res.status, body: parsed as T };
}

export async function createBoard(baseUrl: string, title = 'Test board'): Promise<CreateBoardResponse> {
  const { status, body } = await api<CreateBoardResponse>(baseUrl, apiPaths.boards(), { body: { title } });
  if (status !== 201) throw new Error(`create board: ${status} ${JSON.stringify(body)}`);
  return body;
}

export function linkToken(board: CreateBoardResponse, role: Role): string {
  const link = board.links.find((l) => l.role === role);
  if (!link) throw new Error(`no ${role} link`);
  return link.token;
}

export async function joinBoard(
  baseUrl: string,
  boardId: BoardId | string,
  linkTokenValue: string,
  name: string,
): Promise<JoinResponse> {
  const { status, body } = await api<JoinResponse>(baseUrl, apiPaths.join(boardId), {
    token: linkTokenValue,
    body: { name },
  });
  if (status !== 200) throw new Error(`join: ${status} ${JSON.stringify(body)}`);
  return body;
}

export async function boardInfo(baseUrl: string, boardId: string, token: string): Promise<BoardInfoResponse> {
  const { status, body } = await api<BoardInfoResponse>(baseUrl, apiPaths.board(boardId), { token });
  if (status !== 200) throw new Error(`board info: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** A board with many items, written by the server in one change (like a big imported backlog). */
export interface SeededBoard {
  board: CreateBoardResponse;
  boardId: BoardId;
  /** Item ids in backlog order. */
  ids: ItemId[];
  /** The role's join link, pointing at this test server. */
  link(role: Role): string;
}

export async function createBoardWithItems(
  ts: TestServer,
  title: string,
  items: readonly Omit<AddItemInput, 'placement'>[],
): Promise<SeededBoard> {
  const board = await createBoard(ts.baseUrl, title);
  const boardId = board.boardId as BoardId;
  let ids: ItemId[] = [];
  await ts.server.withBoard(boardId, (b) =>
    b.change((doc) => {
      ids = appendItems(doc, items) as ItemId[];
    }),
  );
  const link = (role: Role) => {
    const found = board.links.find((l) => l.role === role);
    if (!found) throw new Error(`no ${role} link`);
    return found.url.replace(/^https?:\/\/[^/]+/, ts.baseUrl);
  };
  return { board, boardId, ids, link };
}

/** A board plus one joined person per role: `people.dev.token` is a personal token. */
export interface TestBoard {
  board: CreateBoardResponse;
  boardId: BoardId;
  people: Record<Role, JoinResponse>;
}

export async function setupBoard(baseUrl: string, title = 'Test board'): Promise<TestBoard> {
  const board = await createBoard(baseUrl, title);
  const names: Record<Role, string> = { po: 'Paula PO', sm: 'Sam SM', dev: 'Dana Dev', stakeholder: 'Stella Stakeholder', viewer: 'Vic Viewer' };
  const entries = await Promise.all(
    (Object.keys(names) as Role[]).map(
      async (role) => [role, await joinBoard(baseUrl, board.boardId, linkToken(board, role), names[role])] as const,
    ),
  );
  return { board, boardId: board.boardId, people: Object.fromEntries(entries) as Record<Role, JoinResponse> };
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves on the first sync with the server. */
  synced: Promise<void>;
  /** Control messages (MessageType.control) received so far, in order. */
  controls: ControlMessage[];
  /** Close codes of every connection this provider lost, in order. */
  closeCodes: number[];
  /** Resolves with the first close code. */
  firstClose: Promise<number>;
  destroy(): void;
}

export interface ConnectOptions {
  doc?: Y.Doc;
  /** Keep reconnecting after a close the server marks final (default: stop, like the app). */
  reconnectAlways?: boolean;
  /** Initial awareness state (besides what the server pins). */
  awareness?: Record<string, unknown>;
}

/**
 * A real, unmodified WebsocketProvider (plus a control-message reader) on one board. It
 * asks for control messages (CONTROL_PARAM), like the app's client.
 */
export function connectClient(
  wsUrl: string,
  boardId: BoardId | string,
  token: string,
  opts: ConnectOptions = {},
): TestClient {
  const doc = opts.doc ?? new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, boardId, doc, {
    params: { token, [CONTROL_PARAM.name]: CONTROL_PARAM.value },
    disableBc: true,
    // biome-ignore lint/suspicious/noExplicitAny: ws is a WebSocket polyfill with the DOM shape
    WebSocketPolyfill: WebSocket as any,
    connect: false,
    maxBackoffTime: 500,
    ...(opts.reconnectAlways && { shouldReconnect: () => true }),
  });
  if (opts.awareness) provider.awareness.setLocalState(opts.awareness);
  const controls: ControlMessage[] = [];
  provider.messageHandlers[MessageType.control] = (_encoder, decoder) => {
    controls.push(readControlMessage(decoder));
  };
  const closeCodes: number[] = [];
  let resolveClose: (code: number) => void = () => {};
  const firstClose = new Promise<number>((resolve) => {
    resolveClose = resolve;
  });
  provider.on('connection-close', (event) => {
    const code = event?.code ?? 0;
    closeCodes.push(code);
    resolveClose(code);
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    provider.on('sync', (isSynced: boolean) => {
      if (isSynced) resolve();
    });
  });
  provider.connect();
  return {
    doc,
    provider,
    synced,
    controls,
    closeCodes,
    firstClose,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** connectClient and wait for the first sync. */
export async function connectSynced(
  wsUrl: string,
  boardId: BoardId | string,
  token: string,
  opts: ConnectOptions = {},
): Promise<TestClient> {
  const client = connectClient(wsUrl, boardId, token, opts);
  await withTimeout(client.synced, 5000, `sync of ${boardId}`);
  return client;
}

export interface RawSocket {
  ws: WebSocket;
  /** Binary frames received so far. */
  messages: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
}

/**
 * A bare `ws` socket on a board's path, for sending hand-made (or broken) frames. It asks
 * for control messages unless `opts.control` is false.
 */
export function rawSocket(wsUrl: string, boardId: string, token?: string, opts: { control?: boolean } = {}): RawSocket {
  const params = new URLSearchParams();
  if (token !== undefined) params.set('token', token);
  if (opts.control !== false) params.set(CONTROL_PARAM.name, CONTROL_PARAM.value);
  const query = params.toString();
  const url = `${wsUrl}/${encodeURIComponent(boardId)}${query ? `?${query}` : ''}`;
  const ws = new WebSocket(url);
  const messages: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => messages.push(new Uint8Array(data)));
  ws.on('error', () => {
    // a refused or reset socket reports through `closed`
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('close', () => reject(new Error('closed before open')));
  });
  opened.catch(() => {});
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  return { ws, messages, opened, closed };
}

/** Decodes the control messages among a raw socket's frames. */
export function controlMessages(frames: readonly Uint8Array[]): ControlMessage[] {
  const out: ControlMessage[] = [];
  for (const frame of frames) {
    const message = decodeServerFrame(frame);
    if (message.type === 'control') out.push(message.message);
  }
  return out;
}

/** Encodes a y-websocket sync "update" frame carrying `update`. */
export const updateFrame = (update: Uint8Array): Uint8Array => encodeSyncUpdate(update);

/** Waits until every client's document has the same state as the first one. */
export async function waitForConvergence(clients: readonly TestClient[], timeout = 5000): Promise<void> {
  await waitFor(
    () => {
      const [first, ...rest] = clients.map((c) => Y.encodeStateVector(c.doc));
      return rest.every((sv) => Buffer.compare(Buffer.from(sv), Buffer.from(first!)) === 0);
    },
    { timeout, message: 'clients converge' },
  );
}
