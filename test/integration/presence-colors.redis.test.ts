/**
 * Distinct colours for the people on one board, also when two server instances serve it
 * [UX-12]: each instance only knows its own sockets, so the colour a person is shown in is
 * worked out by every client from everyone present (boardColors), not taken from one
 * instance's pin. Needs PostgreSQL and Redis, like multi-instance.redis.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PresenceStore } from '../../client/hooks/presenceStore.ts';
import { createRedisFanout } from '../../server/fanout/redis.ts';
import { createPostgresStorage } from '../../server/storage/postgres.ts';
import type { JoinResponse } from '../../shared/api.ts';
import { colorForUser } from '../../shared/colors.ts';
import { randomId } from '../../shared/ids.ts';
import { dropSchema } from '../helpers/postgres.ts';
import { connectSynced, createBoard, joinBoard, linkToken, startTestServer, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const dbUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const enabled = Boolean(dbUrl && redisUrl);
if (!enabled) console.log('skipped: DATABASE_URL or REDIS_URL not set, presence colour tests across instances not run');

describe.skipIf(!enabled)('presence colours across instances', () => {
  let schema = '';
  let prefix = '';
  let cleanups: Array<() => Promise<void> | void> = [];

  beforeEach(() => {
    schema = `pc_${randomId(10).toLowerCase()}`;
    prefix = `rbtest:${randomId(8)}:`;
    cleanups = [];
  });

  afterEach(async () => {
    for (const fn of cleanups.reverse()) await fn();
    await dropSchema(dbUrl!, schema);
  });

  async function instance(): Promise<TestServer> {
    const storage = await createPostgresStorage(dbUrl!, { schema, maxConnections: 4 });
    let ts: TestServer | null = null;
    const fanout = await createRedisFanout(redisUrl!, { channelPrefix: prefix, onResync: (boardId) => ts?.server.rooms.resync(boardId) });
    ts = await startTestServer({ options: { storage, fanout } });
    cleanups.push(async () => {
      await ts!.stop();
      await fanout.close();
      await storage.close();
    });
    return ts;
  }

  it('[UX-12] two people whose ids prefer the same colour, on two instances, are shown in different colours, the same on both screens', async () => {
    const a = await instance();
    const b = await instance();
    const board = await createBoard(a.baseUrl, 'Colours across instances');
    // Join people until two of them prefer the same colour (10 colours: a few joins).
    const joined: JoinResponse[] = [];
    let pair: [JoinResponse, JoinResponse] | null = null;
    for (let i = 0; i < 60 && !pair; i++) {
      const p = await joinBoard(a.baseUrl, board.boardId, linkToken(board, 'dev'), `Dev ${i}`);
      const twin = joined.find((q) => colorForUser(q.userId) === colorForUser(p.userId));
      if (twin) pair = [twin, p];
      joined.push(p);
    }
    expect(pair).not.toBeNull();
    const [ann, ben] = pair!;
    // As the app does: the client's own state names the person and their preferred colour.
    const state = (p: JoinResponse) => ({ user: { id: p.userId, name: p.name, role: p.role, color: colorForUser(p.userId) } });
    const onA = await connectSynced(a.wsUrl, board.boardId, ann.token, { awareness: state(ann) });
    const onB = await connectSynced(b.wsUrl, board.boardId, ben.token, { awareness: state(ben) });
    cleanups.push(
      () => onA.destroy(),
      () => onB.destroy(),
    );
    const storeA = new PresenceStore(onA.provider.awareness);
    const storeB = new PresenceStore(onB.provider.awareness);
    cleanups.push(
      () => storeA.destroy(),
      () => storeB.destroy(),
    );
    // Both announce themselves once both are connected (an instance that loads the board
    // later hears the earlier one at its next heartbeat otherwise).
    onA.provider.awareness.setLocalStateField('viewing', null);
    onB.provider.awareness.setLocalStateField('viewing', null);
    const colours = (store: PresenceStore) => new Map(store.getPeople().map((p) => [p.user.id as string, p.user.color]));
    await waitFor(() => colours(storeA).size === 2 && colours(storeB).size === 2, { message: 'each sees both people' });
    const seenOnA = colours(storeA);
    const seenOnB = colours(storeB);
    expect(seenOnA.get(ann.userId)).not.toBe(seenOnA.get(ben.userId));
    // Everyone sees each person in one colour, themselves included.
    expect(seenOnB.get(ann.userId)).toBe(seenOnA.get(ann.userId));
    expect(seenOnB.get(ben.userId)).toBe(seenOnA.get(ben.userId));
  });
});
