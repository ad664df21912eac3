/**
 * Redis fan-out against a real Redis (REDIS_URL). Every test uses its own channel prefix,
 * so parallel runs and other test files never hear each other.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { type BoardId, newBoardId, randomId } from '../../shared/ids.ts';
import { createRedisFanout, type RedisFanout, type RedisFanoutOptions } from './redis.ts';
import type { FanoutKind } from './types.ts';

const url = process.env.REDIS_URL;
if (!url) console.log('skipped: REDIS_URL not set, Redis fan-out tests not run');

type Received = { kind: FanoutKind; payload: number[] };

async function until(what: string, check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe.skipIf(!url)('redis fan-out', () => {
  const open: RedisFanout[] = [];
  const admins: Redis[] = [];
  let prefix = '';

  async function instance(opts: RedisFanoutOptions = {}): Promise<RedisFanout> {
    const f = await createRedisFanout(url!, { channelPrefix: prefix, ...opts });
    open.push(f);
    return f;
  }

  /** Follows a board and records what arrives. */
  async function listen(f: RedisFanout, board: BoardId) {
    const got: Received[] = [];
    const off = await f.subscribe(board, (kind, payload) => got.push({ kind, payload: Array.from(payload) }));
    return { got, off };
  }

  /** Kills one of an instance's connections from the server side, as a network failure would. */
  async function killConnection(name: string): Promise<void> {
    const admin = new Redis(url!);
    admins.push(admin);
    const list = (await admin.call('CLIENT', 'LIST')) as string;
    const line = list.split('\n').find((l) => l.includes(` name=${name} `));
    if (!line) throw new Error(`no redis client named ${name}`);
    const id = /\bid=(\d+)/.exec(line)![1]!;
    await admin.call('CLIENT', 'KILL', 'ID', id);
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((f) => f.close()));
    await Promise.all(admins.splice(0).map((a) => a.quit()));
  });

  // A fresh prefix per test: set before each test body runs.
  const test = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      prefix = `rbtest:${randomId(8)}:`;
      await fn();
    });

  test('[STO-12] a message reaches every other subscribed instance byte for byte, never its publisher', async () => {
    const [a, b, c] = [await instance(), await instance(), await instance()];
    const board = newBoardId();
    const fromA = await listen(a, board);
    const atB = await listen(b, board);
    const atC = await listen(c, board);

    const every = Uint8Array.from({ length: 512 }, (_, i) => (i * 7) % 256);
    a.publish(board, 'update', every);
    a.publish(board, 'awareness', new Uint8Array([0, 0xff, 0]));
    a.publish(board, 'update', new Uint8Array(0));
    await until('b and c to receive three messages', () => atB.got.length === 3 && atC.got.length === 3);
    const expected: Received[] = [
      { kind: 'update', payload: Array.from(every) },
      { kind: 'awareness', payload: [0, 0xff, 0] },
      { kind: 'update', payload: [] },
    ];
    expect(atB.got).toEqual(expected);
    expect(atC.got).toEqual(expected);

    // B's marker is published after A's messages reached B, so Redis already delivered
    // A's messages to A's own subscription, in order, before the marker: if A heard its
    // own echo, it would be there now.
    b.publish(board, 'update', new Uint8Array([42]));
    await until('a to receive the marker', () => fromA.got.length > 0);
    expect(fromA.got).toEqual([{ kind: 'update', payload: [42] }]);
  });

  test('[STO-12] messages stay on their board, and an unsubscribed instance hears nothing more', async () => {
    const [a, b] = [await instance(), await instance()];
    const one = newBoardId();
    const two = newBoardId();
    const bOne = await listen(b, one);
    const bTwo = await listen(b, two);
    const second: Received[] = [];
    const offSecond = await b.subscribe(one, (kind, payload) => second.push({ kind, payload: Array.from(payload) }));

    a.publish(two, 'update', new Uint8Array([2]));
    a.publish(one, 'update', new Uint8Array([1]));
    await until('both boards', () => bOne.got.length === 1 && bTwo.got.length === 1 && second.length === 1);
    expect(bOne.got).toEqual([{ kind: 'update', payload: [1] }]);
    expect(bTwo.got).toEqual([{ kind: 'update', payload: [2] }]);

    await bOne.off();
    await offSecond();
    a.publish(one, 'update', new Uint8Array([3]));
    a.publish(two, 'update', new Uint8Array([4]));
    await until('board two marker', () => bTwo.got.length === 2);
    expect(bOne.got).toHaveLength(1);
    expect(second).toHaveLength(1);

    // Re-subscribing works after a full unsubscribe.
    const again = await listen(b, one);
    a.publish(one, 'update', new Uint8Array([5]));
    await until('re-subscribed board', () => again.got.length === 1);
    expect(again.got).toEqual([{ kind: 'update', payload: [5] }]);
  });

  test('[STO-13] after its subscriber connection drops, an instance resubscribes and asks to resync', async () => {
    const resynced: BoardId[] = [];
    const a = await instance();
    const b = await instance({ onResync: (id) => resynced.push(id) });
    const board = newBoardId();
    const atB = await listen(b, board);

    await killConnection(`rb-sub-${b.instanceId}`);
    await until('b to resync the board', () => resynced.includes(board));
    // The resync fires only once B is subscribed again, so this message must arrive.
    a.publish(board, 'update', new Uint8Array([9, 9]));
    await until('b to hear a after reconnecting', () => atB.got.length > 0);
    expect(atB.got).toEqual([{ kind: 'update', payload: [9, 9] }]);
  });

  test('[STO-13] after its publisher connection drops, an instance tells the others to resync', async () => {
    const resyncedAtB: BoardId[] = [];
    const a = await instance();
    const b = await instance({ onResync: (id) => resyncedAtB.push(id) });
    const board = newBoardId();
    await listen(a, board);
    const atB = await listen(b, board);

    await killConnection(`rb-pub-${a.instanceId}`);
    a.publish(board, 'update', new Uint8Array([7]));
    await until('b to be told to resync', () => resyncedAtB.includes(board));
    await until('a publish after the drop to arrive', () => atB.got.length > 0);
    expect(atB.got).toContainEqual({ kind: 'update', payload: [7] });
  });

  test('close stops delivery and a closed instance no longer publishes', async () => {
    const [a, b] = [await instance(), await instance()];
    const board = newBoardId();
    const atB = await listen(b, board);
    const atA = await listen(a, board);
    await a.close();
    a.publish(board, 'update', new Uint8Array([1]));
    const c = await instance();
    c.publish(board, 'update', new Uint8Array([2]));
    await until('b to hear c', () => atB.got.length > 0);
    expect(atB.got).toEqual([{ kind: 'update', payload: [2] }]);
    expect(atA.got).toEqual([]);
    await expect(a.subscribe(board, () => {})).rejects.toThrow();
  });
});
