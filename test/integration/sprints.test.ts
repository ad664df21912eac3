/**
 * Sprint planning end to end (SPR rules): real server, real WebsocketProvider clients. A
 * modified client (its document written directly, bypassing the operations' checks) is
 * told the rule ('update-rejected') and closed with 4422; honest operations go through.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { SprintId, UserId } from '../../shared/ids.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { addItem, archiveItem, getItem, getItemMap, listItems, setItemEstimate, setItemStatus } from '../../shared/schema/board.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import {
  closeSprint,
  createSprint,
  deleteSprint,
  moveItemToSprint,
  readSprintById,
  setDevelopersMayPlan,
  sprintOf,
  startSprint,
} from '../../shared/schema/sprints.ts';
import { connectSynced, setupBoard, startTestServer, type TestBoard, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor, withTimeout } from '../helpers/wait.ts';

let srv: TestServer;
let tb: TestBoard;
const clients: TestClient[] = [];

beforeEach(async () => {
  srv = await startTestServer();
  tb = await setupBoard(srv.baseUrl, 'Sprints');
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
const actor = (who: 'po' | 'sm' | 'dev'): Actor => ({ userId: tb.people[who].userId as UserId, name: who, role: who });
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);

async function expectRejected(offender: TestClient, rule: string) {
  const code = await withTimeout(offender.firstClose, 5000, 'offender closed');
  expect(code).toBe(CloseCode.policyViolation);
  expect(offender.controls).toContainEqual(expect.objectContaining({ type: 'update-rejected', rule }));
  offender.destroy();
}

function sprintOk(doc: Y.Doc, who: Actor, name: string): SprintId {
  const r = createSprint(doc, who, { name, goal: 'g', startsAt: START, endsAt: START + 13 * DAY });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('sprint planning on the server', () => {
  it('[SPR-4] a developer moving an item into a planned sprint is refused until the facilitator allows it, then accepted', async () => {
    const sm = await connect(tb.people.sm.token);
    const itemId = addItem(sm.doc, { title: 'Story', createdBy: tb.people.sm.userId });
    const sprintId = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    await waitFor(() => readSprintById(serverDoc(), sprintId) !== null && getItem(serverDoc(), itemId) !== null);
    const cheat = await connect(tb.people.dev.token);
    getItemMap(cheat.doc, itemId)!.set('sprintId', sprintId); // bypasses moveItemToSprint's check
    await expectRejected(cheat, 'SPR-4');
    expect(getItem(serverDoc(), itemId)!.sprintId).toBeNull();

    expect(setDevelopersMayPlan(sm.doc, actor('sm'), true).ok).toBe(true);
    await waitFor(() => serverDoc().getMap('meta').get('developersMayPlan') === true);
    const dev = await connect(tb.people.dev.token);
    const dropped = performance.now();
    expect(moveItemToSprint(dev.doc, actor('dev'), itemId, sprintId).ok).toBe(true);
    await waitFor(() => getItem(sm.doc, itemId)!.sprintId === sprintId, { message: 'relayed to the SM', interval: 1 });
    // What the issue asks to measure: a drop to the other screen's sprint sums (one round trip).
    console.log(`drop → other screen's sprint: ${(performance.now() - dropped).toFixed(1)} ms`);
    expect(getItem(serverDoc(), itemId)!.sprintId).toBe(sprintId);
  });

  it('[SPR-4] concurrent drops of one item into two sprints converge to one sprint on every screen', async () => {
    const po = await connect(tb.people.po.token);
    const sm = await connect(tb.people.sm.token);
    const itemId = addItem(po.doc, { title: 'Story', createdBy: tb.people.po.userId });
    const a = sprintOk(po.doc, actor('po'), 'Sprint A');
    const b = sprintOk(po.doc, actor('po'), 'Sprint B');
    await waitFor(() => readSprintById(sm.doc, b) !== null && getItem(sm.doc, itemId) !== null);
    moveItemToSprint(po.doc, actor('po'), itemId, a);
    moveItemToSprint(sm.doc, actor('sm'), itemId, b);
    await waitFor(() => {
      const p = getItem(po.doc, itemId)!.sprintId;
      return p === getItem(sm.doc, itemId)!.sprintId && p === getItem(serverDoc(), itemId)!.sprintId && p !== null;
    }, { message: 'one sprint everywhere' });
    expect([a, b]).toContain(getItem(po.doc, itemId)!.sprintId);
  });

  it('[SPR-5, SPR-6] close with carry-over: done stays, unfinished goes to the top of the backlog, records reach every screen', async () => {
    const sm = await connect(tb.people.sm.token);
    const po = await connect(tb.people.po.token);
    const first = addItem(sm.doc, { title: 'Top of backlog', createdBy: tb.people.sm.userId });
    const doneItem = addItem(sm.doc, { title: 'Done one', createdBy: tb.people.sm.userId });
    const open = addItem(sm.doc, { title: 'Unfinished', createdBy: tb.people.sm.userId });
    setItemEstimate(sm.doc, doneItem, '5');
    setItemEstimate(sm.doc, open, '3');
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    moveItemToSprint(sm.doc, actor('sm'), doneItem, s);
    moveItemToSprint(sm.doc, actor('sm'), open, s);
    expect(startSprint(sm.doc, actor('sm'), s, START).ok).toBe(true);
    setItemStatus(sm.doc, doneItem, 'done');
    expect(closeSprint(sm.doc, actor('sm'), s, { all: 'backlog', now: START + 13 * DAY }).ok).toBe(true);
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'closed', { message: 'close accepted' });
    await waitFor(() => (readSprintById(po.doc, s)?.outcome ?? null) !== null, { message: 'outcome relayed' });
    const closed = readSprintById(po.doc, s)!;
    expect(closed.committed?.points).toBe(8);
    expect(closed.outcome?.completedPoints).toBe(5);
    expect(closed.outcome?.carriedOver.map((i) => i.id)).toEqual([open]);
    expect(getItem(po.doc, doneItem)!.sprintId).toBe(s);
    expect(getItem(po.doc, open)!.sprintId).toBeNull();
    expect(getItem(po.doc, open)!.rank < getItem(po.doc, first)!.rank).toBe(true);
  });

  it('[SPR-5] a modified client rewriting a committed record, or moving an item out of a closed sprint, is refused', async () => {
    const sm = await connect(tb.people.sm.token);
    const itemId = addItem(sm.doc, { title: 'Story', createdBy: tb.people.sm.userId });
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    moveItemToSprint(sm.doc, actor('sm'), itemId, s);
    startSprint(sm.doc, actor('sm'), s, START);
    await waitFor(() => (readSprintById(serverDoc(), s)?.committed ?? null) !== null);
    const before = readSprintById(serverDoc(), s)!.committed;
    const cheat = await connect(tb.people.po.token);
    (cheat.doc.getMap('sprints').get(s) as Y.Map<unknown>).set('committed', { at: 1, by: tb.people.po.userId, items: [], points: 99 });
    await expectRejected(cheat, 'SPR-5');
    expect(readSprintById(serverDoc(), s)!.committed).toEqual(before);

    setItemStatus(sm.doc, itemId, 'done');
    closeSprint(sm.doc, actor('sm'), s, { all: 'backlog', now: START + DAY });
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'closed');
    const cheat2 = await connect(tb.people.sm.token);
    getItemMap(cheat2.doc, itemId)!.set('sprintId', null);
    await expectRejected(cheat2, 'SPR-4');
    expect(getItem(serverDoc(), itemId)!.sprintId).toBe(s);
  });

  it('[SPR-5] a modified client starting a sprint with a false committed record is refused; the server checks it against the sprint', async () => {
    const sm = await connect(tb.people.sm.token);
    const a = addItem(sm.doc, { title: 'Five', createdBy: tb.people.sm.userId });
    const b = addItem(sm.doc, { title: 'Three', createdBy: tb.people.sm.userId });
    const outside = addItem(sm.doc, { title: 'Not planned', createdBy: tb.people.sm.userId });
    setItemEstimate(sm.doc, a, '5');
    setItemEstimate(sm.doc, b, '3');
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    moveItemToSprint(sm.doc, actor('sm'), a, s);
    moveItemToSprint(sm.doc, actor('sm'), b, s);
    await waitFor(() => getItem(serverDoc(), b)?.sprintId === s && getItem(serverDoc(), outside) !== null);
    const sm2 = tb.people.sm.userId;
    const lies: Record<string, unknown>[] = [
      { at: START, by: sm2, items: [{ id: a, points: 5 }], points: 5 }, // leaves an item out
      { at: START, by: sm2, items: [{ id: a, points: 5 }, { id: b, points: 3 }, { id: outside, points: null }], points: 8 }, // an item not in it
      { at: START, by: sm2, items: [{ id: a, points: 1 }, { id: b, points: 3 }], points: 4 }, // other points
      { at: START, by: sm2, items: [{ id: a, points: 5 }, { id: b, points: 3 }], points: 80 }, // a false sum
      { at: START, by: tb.people.po.userId, items: [{ id: a, points: 5 }, { id: b, points: 3 }], points: 8 }, // someone else's name
    ];
    for (const record of lies) {
      const cheat = await connect(tb.people.sm.token);
      cheat.doc.transact(() => {
        const m = cheat.doc.getMap('sprints').get(s) as Y.Map<unknown>;
        m.set('state', 'active');
        m.set('committed', record);
      });
      await expectRejected(cheat, 'SPR-5');
      expect(readSprintById(serverDoc(), s)).toMatchObject({ state: 'planned', committed: null });
    }
    // An honest start that also plans one more item in the same update (an offline client's queue) is accepted.
    sm.doc.transact(() => {
      expect(moveItemToSprint(sm.doc, actor('sm'), outside, s).ok).toBe(true);
      expect(startSprint(sm.doc, actor('sm'), s, START).ok).toBe(true);
    });
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'active', { message: 'honest start accepted' });
    expect(readSprintById(serverDoc(), s)!.committed).toMatchObject({ points: 8, items: expect.arrayContaining([{ id: outside, points: null }]) });
    expect(sm.controls.filter((c) => c.type === 'update-rejected')).toEqual([]);
  });

  it('[SPR-5] [SPR-6] a modified client closing a sprint with a false outcome (a false velocity), or keeping unfinished items in it, is refused; an honest close is accepted', async () => {
    const sm = await connect(tb.people.sm.token);
    const a = addItem(sm.doc, { title: 'Done five', createdBy: tb.people.sm.userId });
    const b = addItem(sm.doc, { title: 'Open three', createdBy: tb.people.sm.userId });
    setItemEstimate(sm.doc, a, '5');
    setItemEstimate(sm.doc, b, '3');
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    moveItemToSprint(sm.doc, actor('sm'), a, s);
    moveItemToSprint(sm.doc, actor('sm'), b, s);
    expect(startSprint(sm.doc, actor('sm'), s, START).ok).toBe(true);
    setItemStatus(sm.doc, a, 'done');
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'active' && getItem(serverDoc(), a)?.status === 'done');
    const by = tb.people.sm.userId;
    const honest = { at: START + DAY, by, completed: [{ id: a, points: 5 }], added: [], removed: [], carriedOver: [{ id: b, points: 3 }], completedPoints: 5 };
    const lies: Record<string, unknown>[] = [
      { ...honest, completedPoints: 50 }, // a false sum
      { ...honest, completed: [{ id: a, points: 5 }, { id: b, points: 3 }], carriedOver: [], completedPoints: 8 }, // an unfinished item counted done
      { ...honest, completed: [{ id: a, points: 13 }], completedPoints: 13 }, // other points
      { ...honest, completed: [], carriedOver: [{ id: b, points: 3 }], completedPoints: 0, removed: [{ id: a, points: 5 }] }, // a done item left out
      { ...honest, added: [{ id: b, points: 3 }] }, // a committed item called added
      { ...honest, by: tb.people.po.userId }, // someone else's name
    ];
    const moves: ((d: Y.Doc) => void)[] = lies.map(() => (d) => getItemMap(d, b)!.set('sprintId', null));
    // [SPR-6] An honest record, but the unfinished item left in the closed sprint, or the done one taken out.
    lies.push(honest, honest);
    moves.push(
      () => {},
      (d) => {
        getItemMap(d, b)!.set('sprintId', null);
        getItemMap(d, a)!.set('sprintId', null);
      },
    );
    for (const [n, record] of lies.entries()) {
      const cheat = await connect(tb.people.sm.token);
      cheat.doc.transact(() => {
        moves[n]!(cheat.doc);
        const m = cheat.doc.getMap('sprints').get(s) as Y.Map<unknown>;
        m.set('state', 'closed');
        m.set('outcome', record);
      });
      await expectRejected(cheat, 'SPR-5');
      expect(readSprintById(serverDoc(), s)).toMatchObject({ state: 'active', outcome: null });
      expect(getItem(serverDoc(), b)!.sprintId).toBe(s);
    }
    expect(closeSprint(sm.doc, actor('sm'), s, { all: 'backlog', now: START + DAY }).ok).toBe(true);
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'closed', { message: 'honest close accepted' });
    expect(readSprintById(serverDoc(), s)!.outcome).toMatchObject({ completedPoints: 5, carriedOver: [{ id: b, points: 3 }] });
    expect(sm.controls.filter((c) => c.type === 'update-rejected')).toEqual([]);
  });

  it('[SPR-5] [SPR-6] honest starts and closes are never refused: archived items, an item created, re-estimated or carried into the next sprint in the same update', async () => {
    const sm = await connect(tb.people.sm.token);
    const kept = addItem(sm.doc, { title: 'Kept', createdBy: tb.people.sm.userId });
    const gone = addItem(sm.doc, { title: 'Archived', createdBy: tb.people.sm.userId });
    setItemEstimate(sm.doc, kept, '2');
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    const next = sprintOk(sm.doc, actor('sm'), 'Sprint 2');
    moveItemToSprint(sm.doc, actor('sm'), kept, s);
    moveItemToSprint(sm.doc, actor('sm'), gone, s);
    archiveItem(sm.doc, gone);
    let fresh = '' as ReturnType<typeof addItem>;
    sm.doc.transact(() => {
      fresh = addItem(sm.doc, { title: 'Fresh', createdBy: tb.people.sm.userId });
      setItemEstimate(sm.doc, fresh, '3');
      moveItemToSprint(sm.doc, actor('sm'), fresh, s);
      setItemEstimate(sm.doc, kept, '5');
      expect(startSprint(sm.doc, actor('sm'), s, START).ok).toBe(true);
    });
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'active', { message: 'start accepted' });
    expect(readSprintById(serverDoc(), s)!.committed).toMatchObject({ points: 8 });
    sm.doc.transact(() => {
      setItemStatus(sm.doc, kept, 'done');
      expect(closeSprint(sm.doc, actor('sm'), s, { all: 'backlog', perItem: { [fresh]: next }, now: START + DAY }).ok).toBe(true);
    });
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'closed', { message: 'close accepted' });
    expect(getItem(serverDoc(), fresh)!.sprintId).toBe(next);
    expect(readSprintById(serverDoc(), s)!.outcome).toMatchObject({ completedPoints: 5, carriedOver: [{ id: fresh, points: 3 }] });
    expect(sm.controls.filter((c) => c.type === 'update-rejected')).toEqual([]);
  });

  it('[SPR-1] bad input is refused by the server: end before start, a 10 KB name, 10,000 days off, negative capacity, a second active sprint', async () => {
    const sm = await connect(tb.people.sm.token);
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    const t = sprintOk(sm.doc, actor('sm'), 'Sprint 2');
    startSprint(sm.doc, actor('sm'), s, START);
    await waitFor(() => readSprintById(serverDoc(), s)?.state === 'active' && readSprintById(serverDoc(), t) !== null);
    const attacks: [string, (doc: Y.Doc) => void][] = [
      ['SPR-1', (d) => (d.getMap('sprints').get(t) as Y.Map<unknown>).set('endsAt', START - DAY)],
      ['POL-17', (d) => (d.getMap('sprints').get(t) as Y.Map<unknown>).set('name', 'x'.repeat(10_000))],
      ['POL-17', (d) => ((d.getMap('sprints').get(t) as Y.Map<unknown>).get('availability') as Y.Map<unknown>).set(tb.people.dev.userId, { name: 'd', daysOff: 10_000, workingDays: null })],
      ['POL-17', (d) => (d.getMap('sprints').get(t) as Y.Map<unknown>).set('focusFactor', -1)],
      ['POL-17', (d) => (d.getMap('sprints').get(t) as Y.Map<unknown>).set('focusFactor', 0)],
      ['POL-17', (d) => (d.getMap('sprints').get(t) as Y.Map<unknown>).set('pointsPerDay', -1)],
      ['POL-17', (d) => (d.getMap('sprints').get(t) as Y.Map<unknown>).set('capacity', -5)],
      ['POL-17', (d) => ((d.getMap('sprints').get(t) as Y.Map<unknown>).get('availability') as Y.Map<unknown>).set(tb.people.dev.userId, { name: 'd', daysOff: -2, workingDays: null })],
      ['SPR-1', (d) => d.transact(() => {
        const m = d.getMap('sprints').get(t) as Y.Map<unknown>;
        m.set('state', 'active');
        m.set('committed', { at: 1, by: tb.people.sm.userId, items: [], points: 0 });
      })],
    ];
    for (const [rule, attack] of attacks) {
      const cheat = await connect(tb.people.sm.token);
      attack(cheat.doc);
      await expectRejected(cheat, rule);
    }
    const stored = readSprintById(serverDoc(), t)!;
    expect(stored).toMatchObject({ name: 'Sprint 2', endsAt: START + 13 * DAY, state: 'planned', focusFactor: 1, pointsPerDay: null, capacity: null });
    expect(stored.availability.size).toBe(0);
    const devCheat = await connect(tb.people.dev.token);
    (devCheat.doc.getMap('sprints').get(t) as Y.Map<unknown>).set('goal', 'mine');
    await expectRejected(devCheat, 'POL-12');
  });

  it('[SPR-11] the SM deletes a planned sprint: its items are back in the backlog on every screen, in their order', async () => {
    const sm = await connect(tb.people.sm.token);
    const po = await connect(tb.people.po.token);
    const ids = ['First', 'Second', 'Third'].map((title) => addItem(sm.doc, { title, createdBy: tb.people.sm.userId }));
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 9');
    for (const id of ids.slice(0, 2)) moveItemToSprint(sm.doc, actor('sm'), id, s);
    await waitFor(() => getItem(po.doc, ids[1]!)?.sprintId === s, { message: 'planned on the PO screen' });
    expect(deleteSprint(sm.doc, actor('sm'), s).ok).toBe(true);
    await waitFor(() => readSprintById(po.doc, s) === null && readSprintById(serverDoc(), s) === null, { message: 'deleted everywhere' });
    for (const doc of [po.doc, serverDoc()]) {
      expect(ids.map((id) => getItem(doc, id)!.sprintId)).toEqual([null, null, null]);
      expect(listItems(doc).map((i) => i.title)).toEqual(['First', 'Second', 'Third']);
    }
    expect(sm.closeCodes).toEqual([]);
  });

  it('[SPR-11] [POL-12] a modified client deleting an active or closed sprint, or a developer deleting a planned one, is refused', async () => {
    const sm = await connect(tb.people.sm.token);
    const itemId = addItem(sm.doc, { title: 'Story', createdBy: tb.people.sm.userId });
    const active = sprintOk(sm.doc, actor('sm'), 'Sprint 1');
    const planned = sprintOk(sm.doc, actor('sm'), 'Sprint 2');
    moveItemToSprint(sm.doc, actor('sm'), itemId, active);
    startSprint(sm.doc, actor('sm'), active, START);
    await waitFor(() => readSprintById(serverDoc(), active)?.state === 'active' && readSprintById(serverDoc(), planned) !== null);

    // The PO's client skips deleteSprint's check and removes the active sprint (and frees its item).
    const cheat = await connect(tb.people.po.token);
    cheat.doc.transact(() => {
      getItemMap(cheat.doc, itemId)!.set('sprintId', null);
      cheat.doc.getMap('sprints').delete(active);
    });
    await expectRejected(cheat, 'SPR-11');
    expect(readSprintById(serverDoc(), active)?.state).toBe('active');
    expect(getItem(serverDoc(), itemId)!.sprintId).toBe(active);

    setItemStatus(sm.doc, itemId, 'done');
    closeSprint(sm.doc, actor('sm'), active, { all: 'backlog', now: START + DAY });
    await waitFor(() => readSprintById(serverDoc(), active)?.state === 'closed');
    const cheat2 = await connect(tb.people.sm.token);
    cheat2.doc.getMap('sprints').delete(active);
    await expectRejected(cheat2, 'SPR-11');
    expect(readSprintById(serverDoc(), active)?.outcome).not.toBeNull();

    // A developer may not delete even a planned sprint, whatever developersMayPlan says.
    expect(setDevelopersMayPlan(sm.doc, actor('sm'), true).ok).toBe(true);
    await waitFor(() => serverDoc().getMap('meta').get('developersMayPlan') === true);
    const dev = await connect(tb.people.dev.token);
    expect(deleteSprint(dev.doc, actor('dev'), planned)).toMatchObject({ ok: false, reason: 'forbidden' });
    dev.doc.getMap('sprints').delete(planned);
    await expectRejected(dev, 'POL-12');
    expect(readSprintById(serverDoc(), planned)?.name).toBe('Sprint 2');
  });

  it('[SPR-11] [SPR-2] a drop into a sprint someone deleted meanwhile is not treated as an attack: the item reads as backlog everywhere', async () => {
    const sm = await connect(tb.people.sm.token);
    const po = await connect(tb.people.po.token);
    const itemId = addItem(sm.doc, { title: 'Story', createdBy: tb.people.sm.userId });
    const s = sprintOk(sm.doc, actor('sm'), 'Sprint 3');
    await waitFor(() => readSprintById(po.doc, s) !== null && getItem(po.doc, itemId) !== null);
    // The SM drops while the PO's delete is still on its way (the SM is briefly offline).
    sm.provider.disconnect();
    expect(moveItemToSprint(sm.doc, actor('sm'), itemId, s).ok).toBe(true);
    expect(deleteSprint(po.doc, actor('po'), s).ok).toBe(true);
    await waitFor(() => readSprintById(serverDoc(), s) === null, { message: 'deleted on the server' });
    const closesBefore = sm.closeCodes.length;
    sm.provider.connect();
    await waitFor(() => getItem(serverDoc(), itemId)?.sprintId === s && readSprintById(sm.doc, s) === null, { message: 'both changes everywhere' });
    await new Promise((r) => setTimeout(r, 200));
    expect(sm.controls.filter((c) => c.type === 'update-rejected')).toEqual([]);
    expect(sm.closeCodes.slice(closesBefore)).toEqual([]);
    for (const doc of [sm.doc, po.doc, serverDoc()]) expect(sprintOf(doc, getItem(doc, itemId)!)).toBeNull();
    // A sprint id this board never had is still refused.
    const cheat = await connect(tb.people.sm.token);
    getItemMap(cheat.doc, itemId)!.set('sprintId', 'neverASprint1' as SprintId);
    await expectRejected(cheat, 'SPR-4');
    expect(getItem(serverDoc(), itemId)!.sprintId).toBe(s);
  });
});
