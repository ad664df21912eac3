/**
 * Mentions and For me markers against a modified client over a real socket [MEN-2, MEN-4,
 * POL-14]: a comment mentioning 10,000 people is refused (4422, rule MEN-2) and reaches
 * nobody; so is one that writes a short list and, concurrently, the long one. Inbox markers
 * are the writer's own; an honest one reaches the same person's other device.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../../shared/ids.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { addItem, getItem, getItemMap, setItemTitle } from '../../shared/schema/board.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { inboxAllKey, readInboxMarkers } from '../../shared/schema/inboxReads.ts';
import { readsMap } from '../../shared/schema/reads.ts';
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
  tb = await setupBoard(srv.baseUrl, 'Mentions');
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
const manyIds = (n: number) => Array.from({ length: n }, (_, i) => `user${String(i).padStart(8, '0')}`);

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
}

const noComments = (d: Y.Doc) => getItem(d, itemId)?.comments.length === 0;

describe('[MEN-2] mentions from a modified client', () => {
  it('[MEN-2] a comment mentioning 10,000 ids is refused; nobody gets it', async () => {
    const update = diffOf(scratchDoc(serverState(), 55_555), (d) =>
      getItemMap(d, itemId)!
        .get('comments')!
        .push([
          createCommentMap({ id: 'comment0001' as never, text: '@everyone', authorId: devId(), authorName: dev().name, createdAt: 1, mentions: manyIds(10_000) as never }) as unknown as Y.Map<unknown>,
        ]),
    );
    await expectRefused(update, 'MEN-2', noComments);
  });

  it('[MEN-2] a short list written concurrently with the 10,000-id list is refused', async () => {
    const a = scratchDoc(serverState(), 1_000);
    const first = diffOf(a, (d) => {
      addComment(d, itemId, { userId: devId(), name: dev().name, role: 'dev' }, '@PO', 1, undefined, 'comment0002' as never, [tb.people.po.userId]);
    });
    const comment = getItemMap(a, itemId)!.get('comments')!.get(0) as Y.Map<unknown>;
    const client = 4_000_000_000;
    const struct = new Y.Item(Y.createID(client, 0), null, null, null, null, comment._item!.id, 'mentions', new Y.ContentAny([manyIds(10_000)]));
    await expectRefused(Y.mergeUpdates([first, encodeStructs(client, 0, [struct])]), 'MEN-2', noComments);
  });

  it('[MEN-1] an honest mention reaches everyone with the id list', async () => {
    const devClient = await connectSynced(srv.wsUrl, tb.boardId, dev().token);
    clients.push(devClient);
    addComment(devClient.doc, itemId, { userId: devId(), name: dev().name, role: 'dev' }, '@PO look', Date.now(), undefined, undefined, [tb.people.po.userId]);
    await waitFor(() => getItem(observer.doc, itemId)?.comments.length === 1, { message: 'comment relayed' });
    expect(getItem(observer.doc, itemId)!.comments[0]!.mentions).toEqual([tb.people.po.userId]);
  });
});

describe('[MEN-4] For me markers over the wire [POL-14]', () => {
  it('[MEN-4] another person’s inbox marker is refused', async () => {
    const update = diffOf(scratchDoc(serverState(), 66_666), (d) => readsMap(d).set(inboxAllKey(tb.people.po.userId), 9_999_999_999_999));
    await expectRefused(update, 'POL-14', (d) => readsMap(d).get(inboxAllKey(tb.people.po.userId)) === undefined);
  });

  it('[MEN-4] my own marker reaches my other device', async () => {
    const laptop = await connectSynced(srv.wsUrl, tb.boardId, dev().token);
    const phone = await connectSynced(srv.wsUrl, tb.boardId, dev().token);
    clients.push(laptop, phone);
    readsMap(laptop.doc).set(inboxAllKey(devId()), 1_700_000_000_000);
    await waitFor(() => readInboxMarkers(phone.doc, devId()).all === 1_700_000_000_000, { message: 'marker on the phone' });
  });
});
