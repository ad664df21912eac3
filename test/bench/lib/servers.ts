/**
 * The servers under test, each in its own process pinned to its own core, behind one
 * interface: start, make a board, admit a person, read stats, stop.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { CreateBoardResponse, JoinResponse } from '../../../shared/api.ts';
import { apiPaths, joinPagePath } from '../../../shared/api.ts';
import { WS_PATH } from '../../../shared/protocol.ts';

export type ServerKind = 'project' | 'reference' | 'hocuspocus' | 'ywsleveldb' | 'floor';

/** Every server, in the order the table prints them. */
export const ALL_KINDS: readonly ServerKind[] = ['project', 'reference', 'hocuspocus', 'ywsleveldb', 'floor'];

export const LABELS: Record<ServerKind, string> = {
  project: 'project',
  reference: 'reference',
  hocuspocus: 'hocuspocus+sqlite',
  ywsleveldb: 'y-websocket+leveldb',
  floor: 'floor',
};

/** Servers that keep the documents across a restart: the durability check runs on these. */
export const DURABLE: ReadonlySet<ServerKind> = new Set(['project', 'hocuspocus', 'ywsleveldb']);

export const SERVER_CORE = '0';
export const LOAD_CORES = '1';

export function hasTaskset(): boolean {
  try {
    execFileSync('which', ['taskset'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * `--boost`: run the servers and the load at the highest priority (nice -20, needs root) so
 * other work on a shared machine disturbs the measurement less. Both servers get the same.
 */
export const boost: { niceness: number | null } = { niceness: null };

/** `node --import tsx file`, pinned with taskset when available. Node itself is the pid we watch. */
export function spawnNode(
  file: string,
  cores: string | null,
  opts: { env?: NodeJS.ProcessEnv; ipc?: boolean; nodeArgs?: string[] } = {},
): ChildProcess {
  const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', file];
  let [cmd, argv]: [string, string[]] =
    cores && hasTaskset() ? ['taskset', ['-c', cores, process.execPath, ...args]] : [process.execPath, args];
  if (boost.niceness !== null) [cmd, argv] = ['nice', ['-n', String(boost.niceness), cmd, ...argv]];
  // nice and taskset exec in place, so the child's pid is node's pid.
  return spawn(cmd, argv, {
    env: { ...process.env, ...opts.env },
    stdio: opts.ipc ? ['ignore', 'inherit', 'inherit', 'ipc'] : ['ignore', 'pipe', 'inherit'],
  });
}

export interface Person {
  userId: string;
  token?: string;
  name: string;
}

export interface RunningServer {
  kind: ServerKind;
  /** How its clients frame messages. */
  protocol: 'y-websocket' | 'hocuspocus';
  pid: number;
  httpUrl: string;
  wsUrl: string;
  createBoard(title: string): Promise<string>;
  /** A person on the board (the project: the role's link → personal token). */
  join(boardId: string, name: string, role?: 'dev' | 'sm'): Promise<Person>;
  /** The join page URL of a role's link (project only). */
  linkUrl(boardId: string, role: string): string;
  /** Loaded boards right now, if the server tells. */
  loadedBoards(): Promise<number | null>;
  stop(): Promise<void>;
}

function waitForPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not print its port within 30 s')), 30_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { port?: number };
        if (typeof msg.port === 'number') {
          clearTimeout(timer);
          resolve(msg.port);
        }
      } catch {
        // other output is the server's own logging
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited early with ${code}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  // Already gone: exited, or killed by a signal (the durability check's kill -9).
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function json<T>(res: Response): Promise<T> {
  if (!res.ok) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function startServer(
  kind: ServerKind,
  opts: { cpuProfDir?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<RunningServer> {
  const file = new URL(`../servers/${kind}.ts`, import.meta.url).pathname;
  const nodeArgs = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const child = spawnNode(file, SERVER_CORE, { nodeArgs, env: opts.env });
  const port = await waitForPort(child);
  const httpUrl = `http://127.0.0.1:${port}`;
  const wsUrl = `ws://127.0.0.1:${port}${WS_PATH}`;
  const protocol = kind === 'hocuspocus' ? ('hocuspocus' as const) : ('y-websocket' as const);
  const base = { kind, protocol, pid: child.pid!, httpUrl, wsUrl, stop: () => stopChild(child) };

  if (kind !== 'project') {
    return {
      ...base,
      // The peers have no board creation: the first client creates the document.
      createBoard: async () => `b${randomUUID().replaceAll('-', '').slice(0, 15)}`,
      join: async (_boardId, name) => ({ userId: randomUUID().replaceAll('-', '').slice(0, 16), name }),
      linkUrl: () => {
        throw new Error(`${kind} has no join links`);
      },
      loadedBoards: async () => (await json<{ loadedBoards: number }>(await fetch(`${httpUrl}/stats`))).loadedBoards,
    };
  }

  const linkTokens = new Map<string, Map<string, string>>();
  return {
    ...base,
    async createBoard(title) {
      const res = await fetch(`${httpUrl}${apiPaths.boards()}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      const board = await json<CreateBoardResponse>(res);
      linkTokens.set(board.boardId, new Map(board.links.map((l) => [l.role, l.token])));
      return board.boardId;
    },
    async join(boardId, name, role = 'dev') {
      const res = await fetch(`${httpUrl}${apiPaths.join(boardId)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${linkTokens.get(boardId)?.get(role)}` },
        body: JSON.stringify({ name }),
      });
      const me = await json<JoinResponse>(res);
      return { userId: me.userId, token: me.token, name };
    },
    linkUrl(boardId, role) {
      return `${httpUrl}${joinPagePath(boardId)}#t=${linkTokens.get(boardId)?.get(role)}`;
    },
    async loadedBoards() {
      const res = await fetch(`${httpUrl}/api/bench/stats`).catch(() => null);
      if (!res?.ok) return null;
      const body = (await res.json()) as { loadedBoards?: number };
      return typeof body.loadedBoards === 'number' ? body.loadedBoards : null;
    },
  };
}
