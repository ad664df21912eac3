/**
 * The write gate against a modified client, whose writes the server cannot trust:
 * hand-built Yjs structs under chosen clientIDs, merged into one update and sent as one
 * sync frame from a developer's token. Each attack is refused (update-rejected naming the rule, close 4422),
 * nothing of it reaches anyone or storage, and honest edits keep flowing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { addItem, getItem, getItemMap, setItemTitle } from '../../shared/schema/board.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { openDotRound } from '../../shared/schema/dots.ts';
import { createQuestionMap } from '../../shared/schema/question.ts';
import { diffOf, encodeStructs, scratchDoc, sendRaw } from '../helpers/hostile.ts';
import { connectSynced, setupBoard, startTestServer, type TestBoard, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
let po: TestClient;
let observer: TestClient;
let itemId: ItemId;
const clients: TestClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'Gate attacks');
  po = await connectSynced(srv.wsUrl, tb.boardId, tb.people.po.token);
  observer = await connectSynced(srv.wsUrl, tb.boardId, tb.people.sm.token);
  clients.push(po, observer);
  itemId = addItem(po.doc, { title: 'Existing', createdBy: tb.people.po.userId });
  await waitFor(() => getItem(serverDoc(), itemId) && getItem(observer.doc, itemId), { message: 'item synced' });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await srv.stop();
});

const serverDoc = () => srv.server.rooms.get(tb.boardId)!.doc;
const serverState = () => Y.encodeStateAsUpdate(serverDoc());
const dev = () => tb.people.dev;
const devId = () => dev().userId as UserId;

/** Refused with `rule` and 4422; then an honest edit still reaches the observer, and the attack did not. */
async function expectRefused(update: Uint8Array, rule: string, unseen: (doc: Y.Doc) => boolean) {
  const verdict = await sendRaw(srv.wsUrl, tb.boardId, dev().token, update);
  expect(verdict.code).toBe(CloseCode.policyViolation);
  expect(verdict.rejection).toEqual(expect.objectContaining({ rule }));
  const marker = `fence ${Math.random()}`;
  setItemTitle(po.doc, itemId, marker);
  await waitFor(() => getItem(observer.doc, itemId)?.title === marker, { message: 'honest edit relayed after the attack' });
  expect(unseen(serverDoc())).toBe(true);
  expect(unseen(observer.doc)).toBe(true);
  return verdict;
}

/**
 * One update that writes `key` of a map twice, concurrently (both with no origin, as two
 * peers who had not seen each other's write): `create` writes the harmless value under a
 * low clientID, and a hand-made struct writes `forbidden` under a high one. Yjs keeps the
 * higher clientID's; a gate that judges the last struct it sees judges the harmless one.
 */
function concurrentWrite(create: (doc: Y.Doc) => void, target: (doc: Y.Doc) => Y.Map<unknown>, key: string, forbidden: unknown): Uint8Array {
  const a = scratchDoc(serverState(), 1_000);
  const first = diffOf(a, create);
  const map = target(a);
  const client = 4_000_000_000;
  const item = new Y.Item(Y.createID(client, 0), null, null, null, null, map._item!.id, key, new Y.ContentAny([forbidden]));
  return Y.mergeUpdates([first, encodeStructs(client, 0, [item])]);
}

describe('the gate admits only what the schema describes [POL-16]', () => {
  it('[POL-16] an unknown key holding 12,000 nested maps is refused; the board keeps working', async () => {
    const doc = scratchDoc(serverState(), 77_777);
    let poisonId = '' as ItemId;
    const update = diffOf(doc, (d) => {
      poisonId = addItem(d, { title: 'Poison', createdBy: devId() });
      let m = getItemMap(d, poisonId) as unknown as Y.Map<unknown>;
      for (let i = 0; i < 12_000; i++) {
        const next = new Y.Map<unknown>();
        m.set('x', next);
        m = next;
      }
    });
    const verdict = await expectRefused(update, 'POL-16', (d) => getItem(d, poisonId) === null);
    expect(verdict.rejection?.reason).toMatch(/deeper|not part of the board format/);
  });

  // Before the shape check the gate walked every struct to the root, so a frame this deep
  // blocked the event loop (and /healthz) for its whole check. Now its cost is Yjs decoding
  // it once.
  it('[POL-16] a 40,000-deep frame is refused without stalling the server: /healthz keeps answering', async () => {
    const doc = scratchDoc(serverState(), 88_888);
    const update = diffOf(doc, (d) => {
      const id = addItem(d, { title: 'Deep', createdBy: devId() });
      let m = getItemMap(d, id) as unknown as Y.Map<unknown>;
      for (let i = 0; i < 40_000; i++) {
        const next = new Y.Map<unknown>();
        m.set('labels', next);
        m = next;
      }
    });
    expect(update.length).toBeGreaterThan(400_000);
    const refused = sendRaw(srv.wsUrl, tb.boardId, dev().token, update);
    const slowest = { ms: 0 };
    let done = false;
    void refused.finally(() => {
      done = true;
    });
    while (!done) {
      const t0 = performance.now();
      expect((await fetch(`${srv.baseUrl}/healthz`)).status).toBe(200);
      slowest.ms = Math.max(slowest.ms, performance.now() - t0);
    }
    const verdict = await refused;
    expect(verdict.rejection?.rule).toBe('POL-16');
    expect(slowest.ms).toBeLessThan(1000);
  });

  it('[POL-16] unknown item keys, shared types for plain values and Y.Text for plain fields are refused', async () => {
    const attacks: Array<(d: Y.Doc) => void> = [
      (d) => (getItemMap(d, itemId) as unknown as Y.Map<unknown>).set('pwned', 'x'),
      (d) => (getItemMap(d, itemId) as unknown as Y.Map<unknown>).set('status', new Y.Map()),
      (d) => (getItemMap(d, itemId) as unknown as Y.Map<unknown>).set('rank', new Y.Text('a0')),
      (d) => (getItemMap(d, itemId) as unknown as Y.Map<unknown>).set('title', 'plain string title'),
      (d) => (getItemMap(d, itemId)!.get('questions') as unknown as Y.Array<unknown>).push(['not a map']),
      (d) => (getItemMap(d, itemId) as unknown as Y.Map<unknown>).set('blob', new Uint8Array([1, 2, 3])),
      (d) => (getItemMap(d, itemId)!.get('description') as Y.Text).insertEmbed(0, { image: 'x' }),
    ];
    for (const [i, attack] of attacks.entries()) {
      const update = diffOf(scratchDoc(serverState(), 10_000 + i), attack);
      await expectRefused(update, 'POL-16', (d) => {
        const m = getItemMap(d, itemId) as unknown as Y.Map<unknown>;
        return !m.has('pwned') && !m.has('blob') && typeof m.get('status') === 'string' && typeof m.get('rank') === 'string' && m.get('title') instanceof Y.Text;
      });
    }
  });

  it('[POL-16][POL-15] status written as a ContentEmbed("ready") is refused, not read as ready', async () => {
    const status = (getItemMap(serverDoc(), itemId) as unknown as Y.Map<unknown>)._map.get('status')!;
    const client = 55_555;
    const embed = new Y.Item(Y.createID(client, 0), null, status.lastId, null, null, null, 'status', new Y.ContentEmbed('ready' as never));
    await expectRefused(encodeStructs(client, 0, [embed]), 'POL-16', (d) => getItem(d, itemId)?.status === 'new');
  });
});

describe('[POL-18] every struct is judged, not the last one seen', () => {
  it('[POL-4] a new item whose createdBy is written twice (you, and concurrently the PO) is refused', async () => {
    const id = 'mine000001' as ItemId;
    const update = concurrentWrite(
      (d) => addItem(d, { title: 'Mine?', createdBy: devId(), id }),
      (d) => getItemMap(d, id) as unknown as Y.Map<unknown>,
      'createdBy',
      tb.people.po.userId,
    );
    await expectRefused(update, 'POL-4', (d) => getItem(d, id) === null);
  });

  it('[POL-9] a comment whose authorId is written twice (you, and concurrently another developer) is refused', async () => {
    const update = concurrentWrite(
      (d) =>
        getItemMap(d, itemId)!
          .get('comments')!
          .push([createCommentMap({ id: 'comment0001' as never, text: 'hi', authorId: devId(), authorName: dev().name, createdAt: 1 }) as unknown as Y.Map<unknown>]),
      (d) => getItemMap(d, itemId)!.get('comments')!.get(0) as Y.Map<unknown>,
      'authorId',
      tb.people.sm.userId,
    );
    await expectRefused(update, 'POL-9', (d) => getItem(d, itemId)?.comments.length === 0);
  });

  it('[POL-9] authorName is the token name: a comment signed as someone else is refused', async () => {
    const update = diffOf(scratchDoc(serverState(), 31_337), (d) =>
      getItemMap(d, itemId)!
        .get('comments')!
        .push([createCommentMap({ id: 'comment0002' as never, text: 'hi', authorId: devId(), authorName: 'The PO', createdAt: 1 }) as unknown as Y.Map<unknown>]),
    );
    await expectRefused(update, 'POL-9', (d) => getItem(d, itemId)?.comments.length === 0);
  });

  it('[POL-8] 50 of your own dots written concurrently with a harmless 1, with a budget of 3, are refused', async () => {
    openDotRound(po.doc, { budget: 3 });
    await waitFor(() => serverDoc().getMap('session').get('dotVoting'), { message: 'round open on the server' });
    const update = concurrentWrite(
      (d) => (getItemMap(d, itemId)!.get('dots') as Y.Map<number>).set(devId(), 1),
      (d) => getItemMap(d, itemId)!.get('dots') as unknown as Y.Map<unknown>,
      devId(),
      50,
    );
    await expectRefused(update, 'POL-8', (d) => getItem(d, itemId)?.dotTotal === 0);
  });

  it('[POL-15] a new item cannot be created already ready with an open question', async () => {
    let id = '' as ItemId;
    const update = diffOf(scratchDoc(serverState(), 42_424), (d) => {
      id = addItem(d, { title: 'Ready?', createdBy: devId() });
      const item = getItemMap(d, id)!;
      item.get('questions')!.push([
        createQuestionMap({ id: 'question001' as never, text: 'Why?', authorId: devId(), authorName: dev().name, createdAt: 1 }) as unknown as Y.Map<unknown>,
      ]);
      item.set('status', 'ready');
    });
    await expectRefused(update, 'POL-15', (d) => getItem(d, id) === null);
  });
});

describe('limits and field types are the server’s to enforce [POL-17]', () => {
  const big = (n: number) => 'x'.repeat(n);
  const cases: Array<[string, (d: Y.Doc, id: ItemId) => void]> = [
    ['a 3 MB comment', (d, id) =>
      getItemMap(d, id)!.get('comments')!.push([createCommentMap({ id: 'comment0003' as never, text: big(3_000_000), authorId: devId(), authorName: dev().name, createdAt: 1 }) as unknown as Y.Map<unknown>])],
    ['a 1 MB label', (d, id) => (getItemMap(d, id)!.get('labels') as Y.Map<true>).set(big(1_000_000), true)],
    ['a 100,000-character title', (d, id) => (getItemMap(d, id)!.get('title') as Y.Text).insert(0, big(100_000))],
    ['a 3 MB description', (d, id) => (getItemMap(d, id)!.get('description') as Y.Text).insert(0, big(3_000_000))],
    ["status 'pwned'", (d, id) => (getItemMap(d, id) as unknown as Y.Map<unknown>).set('status', 'pwned')],
    ['a numeric rank', (d, id) => (getItemMap(d, id) as unknown as Y.Map<unknown>).set('rank', 42)],
    [`label number ${LIMITS.maxLabelsPerItem + 1}`, (d, id) => {
      const labels = getItemMap(d, id)!.get('labels') as Y.Map<true>;
      for (let i = 0; i <= LIMITS.maxLabelsPerItem; i++) labels.set(`l${i}`, true);
    }],
  ];
  for (const [what, attack] of cases) {
    it(`[POL-17] ${what} is refused`, async () => {
      const update = diffOf(scratchDoc(serverState(), 20_202), (d) => attack(d, itemId));
      await expectRefused(update, 'POL-17', (d) => {
        const item = getItem(d, itemId)!;
        return item.status === 'new' && item.labels.length === 0 && item.comments.length === 0 && item.description === '' && !item.title.includes('xxx');
      });
    });
  }

  it('[POL-17] a new item with a 100,000-character title is refused too', async () => {
    let id = '' as ItemId;
    const update = diffOf(scratchDoc(serverState(), 20_203), (d) => {
      id = addItem(d, { title: 'short', createdBy: devId() });
      (getItemMap(d, id)!.get('title') as Y.Text).insert(0, big(100_000));
    });
    await expectRefused(update, 'POL-17', (d) => getItem(d, id) === null);
  });

  it('[POL-17] an honest rename of a full-length title passes: deletes count against the limit', async () => {
    const full = 'a'.repeat(LIMITS.maxTitleLength);
    setItemTitle(po.doc, itemId, full);
    await waitFor(() => getItem(observer.doc, itemId)?.title === full, { message: 'long title relayed' });
    const other = 'b'.repeat(LIMITS.maxTitleLength);
    setItemTitle(po.doc, itemId, other);
    await waitFor(() => getItem(observer.doc, itemId)?.title === other, { message: 'replaced title relayed' });
    expect(po.closeCodes).toEqual([]);
  });
});
