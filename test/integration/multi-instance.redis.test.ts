/**
 * Several server instances sharing one PostgreSQL store and one Redis [STO-13, STO-14]:
 * people connected to different instances work on one board as if there were one server.
 * Each test gets its own PostgreSQL schema and Redis channel prefix, dropped after.
 */
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Awareness } from 'y-protocols/awareness';
import { createRedisFanout, type RedisFanout } from '../../server/fanout/redis.ts';
import { createPostgresStorage } from '../../server/storage/postgres.ts';
import type { Storage } from '../../server/storage/types.ts';
import { memberPath } from '../../shared/api.ts';
import type { BoardId } from '../../shared/ids.ts';
import { randomId } from '../../shared/ids.ts';
import type { AwarenessState } from '../../shared/protocol.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { addItem, listItems } from '../../shared/schema/board.ts';
import { dropSchema } from '../helpers/postgres.ts';
import {
  connectSynced,
  joinBoard,
  linkToken,
  setupBoard,
  startTestServer,
  type TestClient,
  type TestServer,
} from '../helpers/server.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';
import { docFromState } from '../storage/contract.ts';

const dbUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const enabled = Boolean(dbUrl && redisUrl);
if (!enabled) console.log('skipped: DATABASE_URL or REDIS_URL not set, multi-instance tests not run');

interface Instance {
  ts: TestServer;
  storage: Storage;
  fanout: RedisFanout;
  stop(): Promise<void>;
}

const titles = (c: TestClient) => listItems(c.doc).map((i) => i.title);

function othersState(awareness: Awareness, name: string): AwarenessState | undefined {
  for (const [id, state] of awareness.getStates()) {
    if (id === awareness.clientID) continue;
    const s = state as Partial<AwarenessState>;
    if (s.user?.name === name) return s as AwarenessState;
  }
  return undefined;
}

describe.skipIf(!enabled)('several instances on one PostgreSQL store and Redis', () => {
  let schema = '';
  let prefix = '';
  let cleanups: Array<() => Promise<void> | void> = [];

  beforeEach(() => {
    schema = `mi_${randomId(10).toLowerCase()}`;
    prefix = `rbtest:${randomId(8)}:`;
    cleanups = [];
  });

  afterEach(async () => {
    for (const fn of cleanups.reverse()) await fn();
    await dropSchema(dbUrl!, schema);
  });

  /** One server instance with its own pool and Redis connections, like a separate process. */
  async function instance(compactionThreshold = 500): Promise<Instance> {
    const storage = await createPostgresStorage(dbUrl!, { schema, maxConnections: 4 });
    let ts: TestServer | null = null;
    const fanout = await createRedisFanout(redisUrl!, {
      channelPrefix: prefix,
      onResync: (boardId) => ts?.server.rooms.resync(boardId),
    });
    ts = await startTestServer({ options: { storage, fanout }, config: { compactionThreshold } });
    let stopped = false;
    const inst: Instance = {
      ts,
      storage,
      fanout,
      async stop() {
        if (stopped) return;
        stopped = true;
        await ts!.stop();
        await fanout.close();
        await storage.close();
      },
    };
    cleanups.push(() => inst.stop());
    return inst;
  }

  async function client(inst: Instance, boardId: BoardId, token: string, name?: string): Promise<TestClient> {
    const c = await connectSynced(inst.ts.wsUrl, boardId, token, name ? { awareness: { dragging: null } } : {});
    cleanups.push(() => c.destroy());
    return c;
  }

  /** A board's stored state read through a fresh connection, as a restarted instance would. */
  async function storedTitles(boardId: BoardId): Promise<string[]> {
    const s = await createPostgresStorage(dbUrl!, { schema, maxConnections: 1 });
    try {
      const state = await s.loadBoard(boardId);
      return listItems(docFromState(state!)).map((i) => i.title);
    } finally {
      await s.close();
    }
  }

  it('[MEM-4] a person removed on one instance is cut off on the other: their socket there closes with 4401', async () => {
    const a = await instance();
    const b = await instance();
    const { boardId, people } = await setupBoard(a.ts.baseUrl, 'Removal across instances');
    const dev = await client(b, boardId, people.dev.token);
    await a.ts.server.withBoard(boardId, () => {}); // loaded on A too, like a busy board
    const res = await fetch(a.ts.baseUrl + memberPath(boardId, people.dev.userId), {
      method: 'DELETE',
      headers: { authorization: `Bearer ${people.po.token}` },
    });
    expect(res.status).toBe(200);
    expect(await withTimeout(dev.firstClose, 5000, 'eviction on the other instance')).toBe(CloseCode.unauthorized);
  });

  it('[STO-14] an item added on either instance appears on the other, and so does presence', async () => {
    const a = await instance();
    const b = await instance();
    const { boardId, board, people } = await setupBoard(a.ts.baseUrl, 'Sprint 7 refinement');
    // Joining through B works too: the link was signed by A and the board is in the shared store.
    const viaB = await joinBoard(b.ts.baseUrl, boardId, linkToken(board, 'dev'), 'Bo Dev');
    const ca = await client(a, boardId, people.po.token, 'po');
    const cb = await client(b, boardId, viaB.token, 'dev');

    addItem(ca.doc, { title: 'Export backlog as CSV', createdBy: people.po.userId });
    await waitFor(() => titles(cb).includes('Export backlog as CSV'), { message: 'A item on B' });
    addItem(cb.doc, { title: 'Keyboard drag', createdBy: viaB.userId, placement: 'top' });
    await waitFor(() => titles(ca).includes('Keyboard drag'), { message: 'B item on A' });
    expect(titles(ca)).toEqual(['Keyboard drag', 'Export backlog as CSV']);
    expect(titles(cb)).toEqual(titles(ca));

    // Presence crosses instances, with the name and role the server took from the token.
    const itemId = listItems(ca.doc)[1]!.id;
    ca.provider.awareness.setLocalStateField('dragging', itemId);
    const seenOnB = await waitFor(
      () => {
        const s = othersState(cb.provider.awareness, 'Paula PO');
        return s?.dragging === itemId ? s : undefined;
      },
      { message: "A's drag visible on B" },
    );
    expect(seenOnB.user.role).toBe('po');
    cb.provider.awareness.setLocalStateField('editing', itemId);
    await waitFor(() => othersState(ca.provider.awareness, 'Bo Dev')?.editing === itemId, {
      message: "B's editing visible on A",
    });

    // Leaving B removes the person from A's presence too.
    cb.provider.disconnect();
    await waitFor(() => othersState(ca.provider.awareness, 'Bo Dev') === undefined, {
      message: 'B user gone from A',
    });
  });

  it('[STO-14] concurrent edits on both instances while both compact: stored state holds all of them', async () => {
    // A low threshold makes both instances compact the same board while the other appends.
    const a = await instance(7);
    const b = await instance(7);
    const { boardId, people } = await setupBoard(a.ts.baseUrl);
    const ca = await client(a, boardId, people.po.token);
    const cb = await client(b, boardId, people.dev.token);

    const perClient = 40;
    for (let i = 0; i < perClient; i++) {
      addItem(ca.doc, { title: `a${i}`, createdBy: people.po.userId });
      addItem(cb.doc, { title: `b${i}`, createdBy: people.dev.userId, placement: 'top' });
    }
    await waitFor(() => titles(ca).length === 2 * perClient && titles(cb).length === 2 * perClient, {
      timeout: 15_000,
      message: 'both clients have every item',
    });
    expect(titles(cb)).toEqual(titles(ca));
    const expected = [...titles(ca)].sort();

    // Every relayed update was stored first, so the store already holds all of them.
    expect((await storedTitles(boardId)).sort()).toEqual(expected);
    // Compactions ran (the log is shorter than the 80+ updates written).
    expect(await a.storage.pendingUpdateCount(boardId)).toBeLessThan(2 * perClient);
    // A final compaction from each instance keeps everything.
    await a.storage.compact(boardId);
    await b.storage.compact(boardId);
    expect(await b.storage.pendingUpdateCount(boardId)).toBe(0);
    expect((await storedTitles(boardId)).sort()).toEqual(expected);
  });

  it('[STO-14] restarting one instance loses nothing, including edits made while it was down', async () => {
    const a = await instance();
    let b = await instance();
    const { boardId, people } = await setupBoard(a.ts.baseUrl);
    const ca = await client(a, boardId, people.po.token);
    const cb = await client(b, boardId, people.dev.token);

    addItem(cb.doc, { title: 'written on B', createdBy: people.dev.userId });
    await waitFor(() => titles(ca).includes('written on B'), { message: 'B item on A' });
    await b.stop();
    cb.destroy();

    addItem(ca.doc, { title: 'written on A while B was down', createdBy: people.po.userId });
    await waitFor(async () => (await storedTitles(boardId)).includes('written on A while B was down'), {
      message: 'A item stored',
    });

    b = await instance();
    const cb2 = await client(b, boardId, people.dev.token);
    expect(titles(cb2).sort()).toEqual(['written on A while B was down', 'written on B']);
    addItem(cb2.doc, { title: 'written on restarted B', createdBy: people.dev.userId });
    await waitFor(() => titles(ca).includes('written on restarted B'), { message: 'restarted B item on A' });
    expect(titles(ca)).toEqual(titles(cb2));
  });

  it('[STO-13] an instance whose Redis subscription dropped catches up from storage', async () => {
    const a = await instance();
    const b = await instance();
    const { boardId, people } = await setupBoard(a.ts.baseUrl);
    const ca = await client(a, boardId, people.po.token);
    const cb = await client(b, boardId, people.dev.token);

    // Cut B's subscriber connection, as a network blip would, and edit on A at once:
    // B's subscriber reconnects after a backoff, so the publish is lost to it.
    const admin = new Redis(redisUrl!);
    cleanups.push(() => void admin.disconnect());
    const list = (await admin.call('CLIENT', 'LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=rb-sub-${b.fanout.instanceId} `));
    const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
    expect(id).toBeDefined();
    await admin.call('CLIENT', 'KILL', 'ID', id!);
    addItem(ca.doc, { title: 'sent while B was deaf', createdBy: people.po.userId });

    await waitFor(() => titles(cb).includes('sent while B was deaf'), { message: 'B catches up' });
    // And live fan-out works again afterwards.
    addItem(ca.doc, { title: 'after the blip', createdBy: people.po.userId });
    await waitFor(() => titles(cb).includes('after the blip'), { message: 'live again' });
    expect(titles(cb)).toEqual(titles(ca));
  });
});
