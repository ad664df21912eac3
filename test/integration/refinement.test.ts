import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import type { JoinResponse } from '../../shared/api.ts';
import { addItem, getItem, getItemMap } from '../../shared/schema/board.ts';
import { readSession } from '../../shared/schema/session.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { addComment, editComment } from '../../shared/schema/comments.ts';
import { answerQuestion, askQuestion, questionsForMe, resolveQuestion } from '../../shared/schema/questions.ts';
import { setFocusItem, startTimer } from '../../shared/schema/facilitation.ts';
import { setStatusChecked } from '../../shared/schema/ready.ts';
import { markRead, readsKey, unreadCount } from '../../shared/schema/reads.ts';
import { PolicyGate } from '../../server/policy/gate.ts';
import { connectSynced, setupBoard, startTestServer, type TestClient, type TestServer, waitForConvergence } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let server: TestServer;
const clients: TestClient[] = [];

beforeEach(async () => {
  server = await startTestServer({ options: { updateGate: new PolicyGate() } });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await server.stop();
});

const actor = (p: JoinResponse): Actor => ({ userId: p.userId, name: p.name, role: p.role });

async function board() {
  const b = await setupBoard(server.baseUrl);
  const connect = async (p: JoinResponse) => {
    const c = await connectSynced(server.wsUrl, b.boardId, p.token);
    clients.push(c);
    return c;
  };
  const po = await connect(b.people.po);
  const dev = await connect(b.people.dev);
  const item = addItem(po.doc, { title: 'Checkout', createdBy: b.people.po.userId });
  await waitForConvergence([po, dev]);
  return { b, po, dev, item, connect };
}

describe('questions and comments with real clients and the policy gate', () => {
  it('[REF-1][REF-2][REF-3][REF-4] a developer asks, the PO answers, the asker resolves; the item can then be ready', async () => {
    const { b, po, dev, item } = await board();
    const asked = askQuestion(dev.doc, item, actor(b.people.dev), { text: 'Guest checkout?' });
    if (!asked.ok) throw new Error(asked.reason);
    await waitFor(() => questionsForMe(po.doc, actor(b.people.po)).length === 1, { message: 'PO sees a question for them' });
    expect(setStatusChecked(po.doc, item, 'ready', actor(b.people.po)).ok).toBe(false); // [REF-5]
    expect(answerQuestion(po.doc, item, asked.value, actor(b.people.po), 'Yes, with email').ok).toBe(true);
    await waitFor(() => questionsForMe(dev.doc, actor(b.people.dev))[0]?.action === 'resolve', { message: 'asker asked to resolve' });
    expect(resolveQuestion(dev.doc, item, asked.value, actor(b.people.dev)).ok).toBe(true);
    await waitForConvergence([po, dev]);
    expect(setStatusChecked(dev.doc, item, 'ready', actor(b.people.dev)).ok).toBe(true);
    await waitForConvergence([po, dev]);
    expect(getItem(po.doc, item)).toMatchObject({ status: 'ready', openQuestionCount: 0, readyOverride: null });
    for (const c of [po, dev]) expect(c.controls.filter((m) => m.type === 'update-rejected')).toEqual([]);
  });

  it('[REF-5] the PO’s override is accepted by the server and seen by everyone', async () => {
    const { b, po, dev, item } = await board();
    askQuestion(dev.doc, item, actor(b.people.dev), { text: 'Open one' });
    await waitForConvergence([po, dev]);
    const r = setStatusChecked(po.doc, item, 'ready', actor(b.people.po), { override: true });
    expect(r.ok).toBe(true);
    await waitFor(() => getItem(dev.doc, item)?.readyOverride?.name === b.people.po.name, { message: 'override reaches dev' });
    expect(getItem(dev.doc, item)?.status).toBe('ready');
  });

  it('[REF-7] a modified client editing someone else’s comment is refused by the server; nobody sees it', async () => {
    const { b, po, dev, item, connect } = await board();
    const c = addComment(po.doc, item, actor(b.people.po), 'PO’s words');
    if (!c.ok) throw new Error();
    await waitForConvergence([po, dev]);
    // The dev's client skips the checks and writes the PO's comment directly.
    const comments = getItemMap(dev.doc, item)!.get('comments') as Y.Array<Y.Map<unknown>>;
    dev.doc.transact(() => comments.get(0).set('text', 'Dev rewrote this'));
    await waitFor(() => dev.controls.some((m) => m.type === 'update-rejected') || dev.closeCodes.length > 0, {
      message: 'server refuses the edit',
    });
    const rejected = dev.controls.find((m) => m.type === 'update-rejected');
    if (rejected && rejected.type === 'update-rejected') expect(rejected.rule).toBe('POL-9');
    // The checked operation refuses before sending anything.
    expect(editComment(dev.doc, item, c.value, actor(b.people.dev), 'again')).toEqual({ ok: false, reason: 'forbidden' });
    const fresh = await connect(b.people.sm);
    expect(getItem(fresh.doc, item)!.comments[0]!.text).toBe('PO’s words');
    expect(getItem(po.doc, item)!.comments[0]!.text).toBe('PO’s words');
  });

  it('[REF-13] unread markers: new comments show as unread per person, also on another device after reading', async () => {
    const { b, po, dev, item, connect } = await board();
    addComment(po.doc, item, actor(b.people.po), 'one');
    addComment(po.doc, item, actor(b.people.po), 'two');
    await waitForConvergence([po, dev]);
    expect(unreadCount(dev.doc, b.people.dev.userId, item)).toBe(2);
    expect(markRead(dev.doc, b.people.dev.userId, item)).toBe(true);
    // the same person on a second device (same personal token): nothing new there either
    const laptop = await connect(b.people.dev);
    await waitFor(() => unreadCount(laptop.doc, b.people.dev.userId, item) === 0, { message: 'marker reaches the other device' });
    expect(unreadCount(laptop.doc, b.people.po.userId, item)).toBe(0); // own comments never unread
    // writing someone else's marker is refused
    dev.doc.getMap('reads').set(readsKey(b.people.po.userId, item), 0);
    await waitFor(() => dev.controls.some((m) => m.type === 'update-rejected' && m.rule === 'POL-14') || dev.closeCodes.length > 0);
  });

  it('[REF-10][REF-11] the facilitator’s timer and focus reach participants; a developer cannot write them', async () => {
    const { b, po, dev, item } = await board();
    expect(startTimer(po.doc, actor(b.people.po), 300_000, 1_000).ok).toBe(true);
    expect(setFocusItem(po.doc, actor(b.people.po), item as ItemId).ok).toBe(true);
    await waitFor(() => readSession(dev.doc).focusItemId === item && readSession(dev.doc).timer?.startedAt === 1_000);
    expect(startTimer(dev.doc, actor(b.people.dev), 1, 1).ok).toBe(false);
  });
});
