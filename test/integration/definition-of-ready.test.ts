/**
 * The Definition of Ready against a modified client, through a real server connection
 * [DOR-4, DOR-5, DOR-6]: raw Yjs updates sent as one sync frame from a bare socket that
 * set `ready` while a required check fails, or change the PO's setting, are refused with
 * 4422 naming the rule, and nothing of them is applied, stored or relayed. The PO's own
 * override in the same update is accepted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { addItem, getItem, getItemMap, readMeta, setItemEstimate, setItemTitle } from '../../shared/schema/board.ts';
import { setDefinitionOfReady, setReadyCheck } from '../../shared/schema/definitionOfReady.ts';
import { metaMap } from '../../shared/schema/meta.ts';
import type { DefinitionOfReady } from '../../shared/schema/readiness.ts';
import { diffOf, scratchDoc, sendRaw } from '../helpers/hostile.ts';
import { connectSynced, setupBoard, startTestServer, type TestBoard, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
let po: TestClient;
let observer: TestClient;
let itemId: ItemId;
const clients: TestClient[] = [];
const ux = { id: 'uxreview01', label: 'UX reviewed' };
const definition: DefinitionOfReady = { required: ['noOpenQuestions', 'estimate'], custom: [ux] };
const person = (p: { userId: string; name?: string }, role: 'po' | 'sm' | 'dev', name: string) => ({ userId: p.userId as never, name, role });

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'Definition of Ready');
  po = await connectSynced(srv.wsUrl, tb.boardId, tb.people.po.token);
  observer = await connectSynced(srv.wsUrl, tb.boardId, tb.people.sm.token);
  clients.push(po, observer);
  itemId = addItem(po.doc, { title: 'Guest checkout', createdBy: tb.people.po.userId });
  expect(setDefinitionOfReady(po.doc, person(tb.people.po, 'po', 'Paula'), definition).ok).toBe(true);
  await waitFor(() => getItem(serverDoc(), itemId) && readMeta(observer.doc).definitionOfReady.custom.length === 1, {
    message: 'item and definition synced',
  });
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await srv.stop();
});

const serverDoc = () => srv.server.rooms.get(tb.boardId)!.doc;
const serverState = () => Y.encodeStateAsUpdate(serverDoc());
let nextClient = 50_000;
/** What a modified client would send: `fn` run on a copy of the server's board. */
const rawUpdate = (fn: (doc: Y.Doc) => void) => diffOf(scratchDoc(serverState(), nextClient++), fn);

/** Refused with `rule` and 4422; an honest edit after it reaches the observer, and the attack did not. */
async function expectRefused(token: string, update: Uint8Array, rule: string, unseen: (doc: Y.Doc) => boolean) {
  const verdict = await sendRaw(srv.wsUrl, tb.boardId, token, update);
  expect(verdict.code).toBe(CloseCode.policyViolation);
  expect(verdict.rejection).toEqual(expect.objectContaining({ rule }));
  const marker = `fence ${Math.random()}`;
  setItemTitle(po.doc, itemId, marker);
  await waitFor(() => getItem(observer.doc, itemId)?.title === marker, { message: 'honest edit relayed after the attack' });
  expect(unseen(serverDoc())).toBe(true);
  expect(unseen(observer.doc)).toBe(true);
  return verdict;
}

const markReady = (d: Y.Doc) => getItemMap(d, itemId)!.set('status', 'ready');

describe('Definition of Ready, server-enforced', () => {
  it('[DOR-4] a modified client setting ready while a required check fails is refused with 4422; nothing is applied', async () => {
    const verdict = await expectRefused(tb.people.dev.token, rawUpdate(markReady), 'DOR-4', (d) => getItem(d, itemId)?.status === 'new');
    expect(verdict.rejection?.reason).toContain('An agreed estimate');
    expect(verdict.rejection?.reason).toContain('UX reviewed');
    // A tick sent with the refused `ready` is refused with it: the whole update goes.
    await expectRefused(
      tb.people.dev.token,
      rawUpdate((d) => {
        setReadyCheck(d, person(tb.people.dev, 'dev', 'Dev'), itemId, ux.id, true);
        markReady(d);
      }),
      'DOR-4',
      (d) => getItem(d, itemId)?.status === 'new' && getItem(d, itemId)?.readyChecks.length === 0,
    );
  });

  it('[DOR-4] [DOR-6] once every required check passes, a developer marks the item ready', async () => {
    setItemEstimate(observer.doc, itemId, '5'); // the SM agrees the estimate
    const dev = await connectSynced(srv.wsUrl, tb.boardId, tb.people.dev.token);
    clients.push(dev);
    await waitFor(() => getItem(dev.doc, itemId)?.estimate === '5');
    expect(setReadyCheck(dev.doc, person(tb.people.dev, 'dev', 'Dev'), itemId, ux.id, true).ok).toBe(true);
    markReady(dev.doc);
    await waitFor(() => getItem(serverDoc(), itemId)?.status === 'ready', { message: 'ready accepted' });
    await waitFor(() => getItem(observer.doc, itemId)?.status === 'ready');
    expect(getItem(observer.doc, itemId)?.readyChecks).toEqual([ux.id]);
    expect(dev.controls).not.toContainEqual(expect.objectContaining({ type: 'update-rejected' }));
  });

  it('[DOR-4] [POL-6] the PO’s own override in the same update is accepted, and shown to everyone', async () => {
    // Written straight into the PO's document, as a modified client would: no UI check.
    po.doc.transact(() => {
      markReady(po.doc);
      getItemMap(po.doc, itemId)!.set('readyOverride', { by: tb.people.po.userId as never, name: 'Paula', at: 1 });
    });
    await waitFor(() => getItem(observer.doc, itemId)?.status === 'ready', { message: 'override relayed' });
    expect(getItem(serverDoc(), itemId)?.readyOverride).toEqual({ by: tb.people.po.userId, name: 'Paula', at: 1 });
    expect(po.controls).not.toContainEqual(expect.objectContaining({ type: 'update-rejected' }));
  });

  it('[DOR-5] a developer (or the SM) changing the Definition of Ready is refused; the PO’s stays', async () => {
    const loose = rawUpdate((d) => metaMap(d).set('definitionOfReady', { required: [], custom: [] }));
    const unchanged = (d: Y.Doc) => readMeta(d).definitionOfReady.required.includes('estimate');
    await expectRefused(tb.people.dev.token, loose, 'DOR-5', unchanged);
    await expectRefused(tb.people.sm.token, rawUpdate((d) => metaMap(d).set('definitionOfReady', { required: [], custom: [] })), 'DOR-5', unchanged);
  });
});
