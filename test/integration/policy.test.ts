/**
 * The write policy end to end: a modified client (an unmodified WebsocketProvider whose
 * document is written directly, bypassing the UI's checks) breaking a POL rule is told
 * why (control 'update-rejected' with the rule, then close 4422), and its change is
 * neither applied nor relayed: every other client and the server keep their state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { addItem, getItem, getItemMap, setItemTitle } from '../../shared/schema/board.ts';
import { changeMyDots, openDotRound } from '../../shared/schema/dots.ts';
import { readPoker } from '../../shared/schema/estimation.ts';
import { addComment } from '../../shared/schema/comments.ts';
import {
  connectSynced,
  joinBoard,
  linkToken,
  setupBoard,
  startTestServer,
  type TestBoard,
  type TestClient,
  type TestServer,
} from '../helpers/server.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
const clients: TestClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'Policy');
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await srv.stop();
});

async function connect(token: string): Promise<TestClient> {
  const c = await connectSynced(srv.wsUrl, tb.boardId, token);
  clients.push(c);
  return c;
}

const serverDoc = () => srv.server.rooms.get(tb.boardId)!.doc;

/** Waits until a client's change has reached the server (accepted). */
async function accepted(check: (serverDoc: Y.Doc) => boolean) {
  await waitFor(() => check(serverDoc()), { message: 'server accepted the change' });
}

/** The offender is told the rule and closed with 4422. */
async function expectRejected(offender: TestClient, rule: string) {
  const code = await withTimeout(offender.firstClose, 5000, 'offender closed');
  expect(code).toBe(CloseCode.policyViolation);
  expect(offender.controls).toContainEqual(expect.objectContaining({ type: 'update-rejected', rule }));
  offender.destroy(); // a real client resyncs from scratch; this one just leaves
}

/**
 * Proves "not relayed": a later, allowed change from `po` reaches `observer`, so anything
 * relayed before it would have arrived too.
 */
async function fence(po: TestClient, observer: TestClient, itemId: ItemId, marker: string) {
  setItemTitle(po.doc, itemId, marker);
  await waitFor(() => getItem(observer.doc, itemId)?.title === marker, { message: 'fence change relayed' });
}

describe('server-enforced write policy', () => {
  it('[POL-2] a modified client writing estimation.results is refused and nobody sees it', async () => {
    const po = await connect(tb.people.po.token);
    const observer = await connect(tb.people.sm.token);
    const itemId = addItem(po.doc, { title: 'Item', createdBy: tb.people.po.userId });
    await accepted((d) => getItem(d, itemId) !== null);
    const cheat = await connect(tb.people.dev.token);
    (cheat.doc.getMap('estimation').get('results') as Y.Map<string>).set(tb.people.dev.userId, '1');
    cheat.doc.getMap('estimation').set('state', 'revealed');
    await expectRejected(cheat, 'POL-2');
    await fence(po, observer, itemId, 'after cheat');
    for (const doc of [observer.doc, po.doc, serverDoc()]) {
      expect(readPoker(doc).results).toEqual({});
      expect(readPoker(doc).state).toBe('voting');
    }
  });

  it('[POL-7] placing dots under someone else’s id is refused; own dots are fine', async () => {
    const sm = await connect(tb.people.sm.token);
    const itemId = addItem(sm.doc, { title: 'Dot me', createdBy: tb.people.sm.userId });
    openDotRound(sm.doc, { budget: 3 });
    await accepted((d) => getItem(d, itemId) !== null && d.getMap('session').get('dotVoting') !== undefined);
    const dev = await connect(tb.people.dev.token);
    expect(changeMyDots(dev.doc, itemId, tb.people.dev.userId, 1)).toBeNull();
    await accepted((d) => getItem(d, itemId)?.dots[tb.people.dev.userId] === 1);
    await waitFor(() => getItem(sm.doc, itemId)?.dotTotal === 1);

    getItemMap(dev.doc, itemId)!.get('dots')!.set(tb.people.sm.userId, 2);
    await expectRejected(dev, 'POL-7');
    await fence(sm, sm, itemId, 'fenced');
    const observer = await connect(tb.people.po.token);
    for (const doc of [sm.doc, observer.doc, serverDoc()]) {
      expect(getItem(doc, itemId)?.dots).toEqual({ [tb.people.dev.userId]: 1 });
    }
  });

  it('[POL-8] dots beyond the round budget are refused by the server, not only the UI', async () => {
    const sm = await connect(tb.people.sm.token);
    const a = addItem(sm.doc, { title: 'A', createdBy: tb.people.sm.userId });
    const b = addItem(sm.doc, { title: 'B', createdBy: tb.people.sm.userId });
    openDotRound(sm.doc, { budget: 2 });
    await accepted((d) => getItem(d, b) !== null && d.getMap('session').get('dotVoting') !== undefined);
    const dev = await connect(tb.people.dev.token);
    getItemMap(dev.doc, a)!.get('dots')!.set(tb.people.dev.userId, 2);
    await accepted((d) => getItem(d, a)?.dots[tb.people.dev.userId] === 2);
    // The UI helper refuses a third dot...
    expect(changeMyDots(dev.doc, b, tb.people.dev.userId, 1)).toBe('budget');
    // ...and a client that writes it anyway is refused by the server.
    getItemMap(dev.doc, b)!.get('dots')!.set(tb.people.dev.userId, 1);
    await expectRejected(dev, 'POL-8');
    await fence(sm, sm, a, 'fenced');
    expect(getItem(serverDoc(), b)?.dotTotal).toBe(0);
    expect(getItem(sm.doc, b)?.dotTotal).toBe(0);
  });

  it('[POL-9] editing or deleting another person’s comment is refused; the author’s text stays', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = addItem(po.doc, { title: 'Discuss', createdBy: tb.people.po.userId });
    const author = await connect(tb.people.dev.token);
    await waitFor(() => getItemMap(author.doc, itemId) !== null);
    const res = addComment(author.doc, itemId, { userId: tb.people.dev.userId, role: 'dev', name: tb.people.dev.name }, 'Original words');
    expect(res.ok).toBe(true);
    await accepted((d) => getItem(d, itemId)?.comments.length === 1);

    const bob = await joinBoard(srv.baseUrl, tb.boardId, linkToken(tb.board, 'dev'), 'Bob');
    const other = await connect(bob.token);
    await waitFor(() => getItem(other.doc, itemId)?.comments.length === 1);
    const comment = getItemMap(other.doc, itemId)!.get('comments')!.get(0) as Y.Map<unknown>;
    comment.set('text', 'Bob rewrote this');
    await expectRejected(other, 'POL-9');

    const deleter = await connect(bob.token);
    await waitFor(() => getItem(deleter.doc, itemId)?.comments.length === 1);
    getItemMap(deleter.doc, itemId)!.get('comments')!.delete(0, 1);
    await expectRejected(deleter, 'POL-9');

    await fence(po, author, itemId, 'fenced');
    for (const doc of [author.doc, po.doc, serverDoc()]) {
      expect(getItem(doc, itemId)?.comments.map((c) => c.text)).toEqual(['Original words']);
    }
  });

  it('[POL-5] a developer cannot set the agreed estimate through the document', async () => {
    const po = await connect(tb.people.po.token);
    const itemId = addItem(po.doc, { title: 'Estimate me', createdBy: tb.people.po.userId });
    const dev = await connect(tb.people.dev.token);
    await waitFor(() => getItemMap(dev.doc, itemId) !== null);
    getItemMap(dev.doc, itemId)!.set('estimate', '1');
    await expectRejected(dev, 'POL-5');
    await fence(po, po, itemId, 'fenced');
    expect(getItem(serverDoc(), itemId)?.estimate).toBeNull();
  });
});
