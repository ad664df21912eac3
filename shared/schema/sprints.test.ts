import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { SprintId, UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { addItem, getItem, listItems, setItemEstimate, setItemStatus } from './board.ts';
import type { Actor } from './operation.ts';
import {
  capacitySource,
  closeSprint,
  copyLastCapacity,
  createSprint,
  deleteSprint,
  flagBlocked,
  moveItemToSprint,
  proposeNextSprint,
  readImpediments,
  readSprintById,
  setAvailability,
  setTeamCapacity,
  startSprint,
} from './sprints.ts';
import { readSprint } from './sprint.ts';

const DAY = 86_400_000;
const MON = Date.UTC(2026, 0, 5);
const sm: Actor = { userId: 'smUser0001' as UserId, name: 'Sam', role: 'sm' };
const dev: Actor = { userId: 'devUser001' as UserId, name: 'Dana', role: 'dev' };

function sprint(doc: Y.Doc, name: string, startsAt = MON): SprintId {
  const r = createSprint(doc, sm, { name, goal: '', startsAt, endsAt: startsAt + 13 * DAY });
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('sprint operations', () => {
  it('[SPR-1] refuses bad input with a message and writes nothing', () => {
    const doc = new Y.Doc();
    const bad = [
      { name: 'S', goal: '', startsAt: MON, endsAt: MON - DAY },
      { name: 'x'.repeat(10_000), goal: '', startsAt: null, endsAt: null },
      { name: '  ', goal: '', startsAt: null, endsAt: null },
    ];
    for (const input of bad) {
      const r = createSprint(doc, sm, input);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/./);
    }
    expect(createSprint(doc, dev, { name: 'S', goal: '', startsAt: null, endsAt: null })).toMatchObject({ ok: false, reason: 'forbidden' });
    const s = sprint(doc, 'Sprint 1');
    expect(setAvailability(doc, sm, s, dev.userId, { name: 'Dana', daysOff: 10_000, workingDays: null })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(setAvailability(doc, sm, s, dev.userId, { name: 'Dana', daysOff: -1, workingDays: null })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(setTeamCapacity(doc, sm, s, { pointsPerDay: -2 })).toMatchObject({ ok: false, reason: 'invalid' });
    expect(doc.getMap('sprints').size).toBe(1);
    expect(readSprintById(doc, s)!.availability.size).toBe(0);
  });

  it('[SPR-1] proposes the next sprint’s name and dates from the last one', () => {
    const doc = new Y.Doc();
    const last = readSprintById(doc, sprint(doc, 'Sprint 12'))!;
    expect(proposeNextSprint(last, 0)).toEqual({ name: 'Sprint 13', goal: '', startsAt: MON + 14 * DAY, endsAt: MON + 27 * DAY });
  });

  it('[SPR-2] an old sprint without the planning fields reads with defaults', () => {
    const doc = new Y.Doc();
    const m = new Y.Map<unknown>();
    doc.getMap('sprints').set('oldSprint1', m);
    m.set('name', 'Old');
    expect(readSprint(m, 'oldSprint1')).toMatchObject({ state: 'planned', focusFactor: 1, pointsPerDay: null, committed: null, outcome: null });
  });

  it('[SPR-5, SPR-6] start freezes the committed record; close keeps done items, carries the rest per item or for all', () => {
    const doc = new Y.Doc();
    const s1 = sprint(doc, 'Sprint 1');
    const s2 = sprint(doc, 'Sprint 2', MON + 14 * DAY);
    const top = addItem(doc, { title: 'backlog top', createdBy: sm.userId });
    const [a, b, c] = ['a', 'b', 'c'].map((t) => addItem(doc, { title: t, createdBy: sm.userId }));
    for (const id of [a!, b!]) moveItemToSprint(doc, sm, id, s1);
    setItemEstimate(doc, a!, '3');
    setItemEstimate(doc, b!, '2');
    expect(startSprint(doc, sm, s1, MON).ok).toBe(true);
    expect(startSprint(doc, sm, s2, MON).ok).toBe(false); // one active
    moveItemToSprint(doc, sm, c!, s1); // added during the sprint
    setItemStatus(doc, a!, 'done');
    setItemEstimate(doc, a!, '8'); // later edits do not rewrite the committed record
    expect(readSprintById(doc, s1)!.committed).toMatchObject({ points: 5, items: [{ id: a, points: 3 }, { id: b, points: 2 }] });
    expect(closeSprint(doc, sm, s1, { all: 'backlog', perItem: { [c!]: s2 }, now: MON + 13 * DAY }).ok).toBe(true);
    const closed = readSprintById(doc, s1)!;
    expect(closed.state).toBe('closed');
    expect(closed.outcome).toMatchObject({ completedPoints: 8, completed: [{ id: a }], added: [{ id: c }], removed: [] });
    expect(getItem(doc, a!)!.sprintId).toBe(s1);
    expect(getItem(doc, b!)!.sprintId).toBeNull();
    expect(getItem(doc, c!)!.sprintId).toBe(s2);
    expect(listItems(doc).find((i) => i.sprintId === null)!.id).toBe(b); // top of the backlog, above `top`
    expect(getItem(doc, top)!.sprintId).toBeNull();
    expect(moveItemToSprint(doc, sm, a!, null)).toMatchObject({ ok: false, reason: 'closed' });
  });

  it('[SPR-11] deleting a planned sprint sends its items back to the backlog in one transaction, ranks kept; never an active or closed one, never by a developer', () => {
    const doc = new Y.Doc();
    const s1 = sprint(doc, 'Sprint 1');
    const ids = ['a', 'b', 'c'].map((t) => addItem(doc, { title: t, createdBy: sm.userId }));
    for (const id of ids.slice(0, 2)) moveItemToSprint(doc, sm, id, s1);
    const ranks = ids.map((id) => getItem(doc, id)!.rank);
    expect(deleteSprint(doc, dev, s1)).toMatchObject({ ok: false, reason: 'forbidden' });
    let transactions = 0;
    doc.on('afterTransaction', () => transactions++);
    expect(deleteSprint(doc, sm, s1).ok).toBe(true);
    expect(transactions).toBe(1);
    expect(readSprintById(doc, s1)).toBeNull();
    expect(ids.map((id) => getItem(doc, id)!.sprintId)).toEqual([null, null, null]);
    expect(ids.map((id) => getItem(doc, id)!.rank)).toEqual(ranks);

    const s2 = sprint(doc, 'Sprint 2');
    expect(startSprint(doc, sm, s2, MON).ok).toBe(true);
    expect(deleteSprint(doc, sm, s2)).toMatchObject({ ok: false, reason: 'conflict' });
    expect(closeSprint(doc, sm, s2, { all: 'backlog', now: MON + DAY }).ok).toBe(true);
    expect(deleteSprint(doc, sm, s2)).toMatchObject({ ok: false, reason: 'closed' });
    expect(readSprintById(doc, s2)?.state).toBe('closed');
  });

  it('[SPR-3] copies the last sprint’s capacity in one step', () => {
    const doc = new Y.Doc();
    const s1 = sprint(doc, 'Sprint 1');
    const s2 = sprint(doc, 'Sprint 2', MON + 14 * DAY);
    setAvailability(doc, sm, s1, dev.userId, { name: 'Dana', daysOff: 2, workingDays: null });
    setTeamCapacity(doc, sm, s1, { focusFactor: 0.8, pointsPerDay: 1.5 });
    expect(copyLastCapacity(doc, sm, s2).ok).toBe(true);
    const copy = readSprintById(doc, s2)!;
    expect(copy.availability.get(dev.userId)).toEqual({ name: 'Dana', daysOff: 2, workingDays: null });
    expect([copy.focusFactor, copy.pointsPerDay]).toEqual([0.8, 1.5]);
    // A sprint planned in between without capacity is skipped: the copy is of the last one entered.
    const s3 = sprint(doc, 'Sprint 3', MON + 28 * DAY);
    setAvailability(doc, sm, s2, dev.userId, null);
    setTeamCapacity(doc, sm, s2, { pointsPerDay: null });
    expect(capacitySource(doc, s3)?.id).toBe(s1);
    expect(copyLastCapacity(doc, sm, s3).ok).toBe(true);
    expect(readSprintById(doc, s3)!.availability.get(dev.userId)?.daysOff).toBe(2);
    expect(copyLastCapacity(doc, sm, s1)).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('[SPR-9] anyone but a viewer flags an item blocked with a reason; the impediments list shows it', () => {
    const doc = new Y.Doc();
    const id = addItem(doc, { title: 'x', createdBy: dev.userId });
    expect(flagBlocked(doc, dev, id, '', 1).ok).toBe(false);
    expect(flagBlocked(doc, dev, id, 'x'.repeat(LIMITS.maxBlockedReasonLength + 1), 1).ok).toBe(false);
    expect(flagBlocked(doc, { ...dev, role: 'viewer' }, id, 'why', 1).ok).toBe(false);
    expect(flagBlocked(doc, dev, id, 'waiting on API keys', 5).ok).toBe(true);
    expect(readImpediments(doc).map((i) => i.blocked)).toEqual([{ reason: 'waiting on API keys', by: dev.userId, name: 'Dana', at: 5 }]);
  });
});
