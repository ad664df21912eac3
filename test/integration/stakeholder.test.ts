/**
 * The stakeholder role end to end (POL-19): a real server and real WebsocketProvider
 * clients. A stakeholder reads everything, comments, asks and answers, and places dots only
 * while the facilitator lets stakeholders vote; a modified stakeholder client that reorders,
 * edits or estimates is refused (control `update-rejected`, close 4422) and nobody sees it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ItemId } from '../../shared/ids.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { addItem, getItem, getItemMap, listItems, moveItem, setItemTitle } from '../../shared/schema/board.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { changeMyDots, openDotRound, setStakeholderDots } from '../../shared/schema/dots.ts';
import { askQuestion } from '../../shared/schema/questions.ts';
import { api, connectSynced, setupBoard, startTestServer, type TestBoard, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
const clients: TestClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'Stakeholders');
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
const stakeholder = () => ({ userId: tb.people.stakeholder.userId, role: 'stakeholder' as const, name: tb.people.stakeholder.name });

async function expectRejected(offender: TestClient, rule: string) {
  const code = await withTimeout(offender.firstClose, 5000, 'offender closed');
  expect(code).toBe(CloseCode.policyViolation);
  expect(offender.controls).toContainEqual(expect.objectContaining({ type: 'update-rejected', rule }));
  offender.destroy();
}

/** Two items by `author` (PO or SM), seen by `others`. */
async function twoItems(author: TestClient, ...others: TestClient[]): Promise<[ItemId, ItemId]> {
  const createdBy = author.provider.params.token === tb.people.sm.token ? tb.people.sm.userId : tb.people.po.userId;
  const a = addItem(author.doc, { title: 'A', createdBy });
  const b = addItem(author.doc, { title: 'B', createdBy });
  for (const c of others) await waitFor(() => getItemMap(c.doc, b) !== null, { message: 'items reached the client' });
  await waitFor(() => getItem(serverDoc(), b) !== null);
  return [a, b];
}

describe('[POL-19] stakeholder', () => {
  it('[POL-19] a stakeholder joins from the fifth link with its role', async () => {
    expect(tb.board.links.map((l) => l.role)).toEqual(['po', 'sm', 'dev', 'stakeholder', 'viewer']);
    expect(tb.people.stakeholder.role).toBe('stakeholder');
  });

  it('[POL-19] [POL-4] a modified stakeholder client that reorders is refused with 4422; nobody sees the move', async () => {
    const po = await connect(tb.people.po.token);
    const st = await connect(tb.people.stakeholder.token);
    const [a, b] = await twoItems(po, st);
    expect(listItems(st.doc).map((i) => i.id)).toEqual([a, b]);
    expect(moveItem(st.doc, b, 'top')).toBe(true);
    await expectRejected(st, 'POL-4');
    setItemTitle(po.doc, a, 'fence');
    await waitFor(() => getItem(serverDoc(), a)?.title === 'fence');
    for (const doc of [po.doc, serverDoc()]) expect(listItems(doc).map((i) => i.id)).toEqual([a, b]);
  });

  it('[POL-19] [POL-4] [POL-5] a stakeholder may not edit an item’s title or set its estimate', async () => {
    const po = await connect(tb.people.po.token);
    const st = await connect(tb.people.stakeholder.token);
    const [a] = await twoItems(po, st);
    setItemTitle(st.doc, a, 'renamed by a stakeholder');
    await expectRejected(st, 'POL-4');
    const st2 = await connect(tb.people.stakeholder.token);
    getItemMap(st2.doc, a)!.set('estimate', '8');
    await expectRejected(st2, 'POL-5');
    const st3 = await connect(tb.people.stakeholder.token);
    addItem(st3.doc, { title: 'New by stakeholder', createdBy: tb.people.stakeholder.userId });
    await expectRejected(st3, 'POL-4');
    expect(getItem(serverDoc(), a)).toMatchObject({ title: 'A', estimate: null });
    expect(listItems(serverDoc())).toHaveLength(2);
  });

  it('[POL-19] [POL-9] [POL-10] a stakeholder’s comment and question are accepted and relayed', async () => {
    const po = await connect(tb.people.po.token);
    const st = await connect(tb.people.stakeholder.token);
    const [a] = await twoItems(po, st);
    expect(addComment(st.doc, a, stakeholder(), 'Customers ask for this weekly').ok).toBe(true);
    expect(askQuestion(st.doc, a, stakeholder(), { text: 'Does this cover mobile?' }).ok).toBe(true);
    await waitFor(() => getItem(po.doc, a)?.comments.length === 1 && getItem(po.doc, a)?.questions.length === 1, {
      message: 'comment and question relayed to the PO',
    });
    expect(getItem(serverDoc(), a)?.comments[0]).toMatchObject({ text: 'Customers ask for this weekly', authorId: tb.people.stakeholder.userId });
    expect(st.closeCodes).toEqual([]);
  });

  it('[POL-19] [POL-7] a stakeholder’s dot is refused until the facilitator lets stakeholders vote, then accepted', async () => {
    const sm = await connect(tb.people.sm.token);
    const st = await connect(tb.people.stakeholder.token);
    const [a] = await twoItems(sm, st);
    openDotRound(sm.doc, { budget: 3 });
    await waitFor(() => st.doc.getMap('session').get('dotVoting') !== undefined);
    // The UI's rule says no (the same rule the gate applies)...
    getItemMap(st.doc, a)!.get('dots')!.set(tb.people.stakeholder.userId, 1);
    await expectRejected(st, 'POL-19');
    expect(getItem(serverDoc(), a)?.dotTotal).toBe(0);

    setStakeholderDots(sm.doc, true);
    await waitFor(() => serverDoc().getMap('session').get('stakeholderDots') === true);
    const allowed = await connect(tb.people.stakeholder.token);
    expect(changeMyDots(allowed.doc, a, tb.people.stakeholder.userId, 1)).toBeNull();
    await waitFor(() => getItem(serverDoc(), a)?.dots[tb.people.stakeholder.userId] === 1, { message: 'stakeholder dot accepted' });
    await waitFor(() => getItem(sm.doc, a)?.dotTotal === 1);
    expect(allowed.closeCodes).toEqual([]);
  });

  it('[POL-19] a stakeholder cannot turn the setting on itself (session is the facilitators’)', async () => {
    const st = await connect(tb.people.stakeholder.token);
    setStakeholderDots(st.doc, true);
    await expectRejected(st, 'POL-11');
    const stored = await srv.server.withBoard(tb.boardId, (board) => board.doc.getMap('session').get('stakeholderDots'));
    expect(stored).toBeUndefined();
  });

  it('[POL-19] [EST-2] a stakeholder may not vote in planning poker and reads no vote before reveal', async () => {
    const po = await connect(tb.people.po.token);
    const [a] = await twoItems(po);
    const path = (p: string) => `/api/boards/${tb.boardId}/estimation/${p}`;
    const start = await api<{ round: number }>(srv.baseUrl, path('start'), { token: tb.people.po.token, body: { itemId: a } });
    expect(start.status).toBe(200);
    const devVote = await api(srv.baseUrl, path('vote'), { token: tb.people.dev.token, body: { round: start.body.round, value: '5' } });
    expect(devVote.status).toBe(200);
    const vote = await api(srv.baseUrl, path('vote'), { token: tb.people.stakeholder.token, body: { round: start.body.round, value: '3' } });
    expect(vote.status).toBe(403);
    const mine = await api<{ value: string | null; voting: boolean }>(srv.baseUrl, path('vote'), { token: tb.people.stakeholder.token });
    expect(mine.body).toMatchObject({ value: null, voting: false });
    expect(JSON.stringify(mine.body)).not.toContain('"5"');
  });
});
