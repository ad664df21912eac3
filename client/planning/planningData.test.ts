import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, SprintId, UserId } from '../../shared/ids.ts';
import { appendItems, getItem, initBoard, rankedActiveEntries } from '../../shared/schema/board.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { setDevelopersMayPlan } from '../../shared/schema/sprints.ts';
import { closeSprint, createSprint, mayPlan, planItem, readSprints, saveCapacity, startSprint, updateSprint, velocityOf } from './planningData.ts';

const sm: Actor = { userId: 'user-sm' as UserId, name: 'Sam', role: 'sm' };
const dev: Actor = { userId: 'user-dev' as UserId, name: 'Dee', role: 'dev' };
const DAY = 86_400_000;
// 2024-01-01 is a Monday: two weeks are 10 working days.
const MON = Date.UTC(2024, 0, 1);

function board() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'T', createdAt: 1 });
  const ids = appendItems(doc, ['a', 'b', 'c', 'd'].map((title) => ({ title, createdBy: 'u1' as UserId }))) as ItemId[];
  return { doc, ids };
}
const sprint = (doc: Y.Doc, name: string, startsAt = MON) => {
  const r = createSprint(doc, sm, { name, goal: 'g', startsAt, endsAt: startsAt + 11 * DAY });
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

describe('planning writes (one transaction per drop, through the shared operations)', () => {
  it('plans an item into a sprint and places it in the one order, as ONE update', () => {
    const { doc, ids } = board();
    const s = sprint(doc, 'Sprint 1');
    let updates = 0;
    doc.on('update', () => updates++);
    expect(planItem(doc, sm, ids[3]!, s, 0).ok).toBe(true);
    expect(updates).toBe(1);
    expect(getItem(doc, ids[3]!)?.sprintId).toBe(s);
    expect(rankedActiveEntries(doc).map((e) => e.id)).toEqual([ids[3], ids[0], ids[1], ids[2]]);
    planItem(doc, sm, ids[3]!, null, null);
    expect(getItem(doc, ids[3]!)?.sprintId).toBeNull();
  });

  it('[SPR-4] a developer plans only while the facilitator allows it, and a refusal writes nothing', () => {
    const { doc, ids } = board();
    const s = sprint(doc, 'Sprint 1');
    const refused = planItem(doc, dev, ids[0]!, s, 0);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.message).toMatch(/may not plan/);
    expect(getItem(doc, ids[0]!)?.sprintId).toBeNull();
    expect(rankedActiveEntries(doc).map((e) => e.id)).toEqual(ids);
    expect(mayPlan(doc, dev, readSprints(doc)[0]!)).toBe(false);
    setDevelopersMayPlan(doc, sm, true);
    expect(mayPlan(doc, dev, readSprints(doc)[0]!)).toBe(true);
    expect(planItem(doc, dev, ids[0]!, s, null).ok).toBe(true);
  });

  it('reads sprints in calendar order, edits them, and computes capacity from availability', () => {
    const { doc } = board();
    sprint(doc, 'Later', MON + 14 * DAY);
    const first = sprint(doc, 'First');
    expect(saveCapacity(doc, sm, first, { people: [{ userId: 'a', name: 'Ann', daysOff: 0 }, { userId: 'b', name: 'Bo', daysOff: 2 }], pointsPerDay: 1, focusFactor: 0.75 }).ok).toBe(true);
    expect(readSprints(doc).map((s) => [s.name, s.capacity])).toEqual([
      ['First', 13.5],
      ['Later', null],
    ]);
    expect(updateSprint(doc, sm, 'nosuchsprint' as SprintId, { name: 'x' }).ok).toBe(false);
    const long = updateSprint(doc, sm, first, { name: 'x'.repeat(10_000) });
    expect(!long.ok && long.message).toBeTruthy();
  });

  it('[SPR-3] saves the capacity form as ONE update; removes people who left; bad days off write nothing', () => {
    const { doc } = board();
    const s = sprint(doc, 'First');
    saveCapacity(doc, sm, s, { people: [{ userId: 'a', name: 'Ann', daysOff: 0 }, { userId: 'gone', name: 'Gus', daysOff: 1 }], pointsPerDay: 1, focusFactor: 1 });
    let updates = 0;
    doc.on('update', () => updates++);
    const r = saveCapacity(doc, sm, s, { people: [{ userId: 'a', name: 'Ann', daysOff: 1 }], pointsPerDay: 2, focusFactor: 0.5, remove: ['gone'] });
    expect(r.ok).toBe(true);
    expect(updates).toBe(1);
    const saved = readSprints(doc)[0]!;
    expect([...saved.availability.keys()]).toEqual(['a']);
    expect([saved.pointsPerDay, saved.focusFactor, saved.capacity]).toEqual([2, 0.5, 9]);
    const bad = saveCapacity(doc, sm, s, { people: [{ userId: 'a', name: 'Ann', daysOff: 10_000 }], pointsPerDay: 3, focusFactor: 1 });
    expect(bad.ok).toBe(false);
    expect(updates).toBe(1);
    expect(readSprints(doc)[0]!.pointsPerDay).toBe(2);
  });

  it('[SPR-5] start then close with carry-over feeds the velocity', () => {
    const { doc, ids } = board();
    const s = sprint(doc, 'Sprint 1');
    const next = sprint(doc, 'Sprint 2', MON + 14 * DAY);
    planItem(doc, sm, ids[0]!, s, null);
    planItem(doc, sm, ids[1]!, s, null);
    expect(startSprint(doc, sm, s).ok).toBe(true);
    expect(closeSprint(doc, sm, s, new Map([[ids[1]!, next]])).ok).toBe(true);
    expect(getItem(doc, ids[1]!)?.sprintId).toBe(next);
    expect(getItem(doc, ids[0]!)?.sprintId).toBeNull();
    const v = velocityOf(readSprints(doc));
    expect(v.bars.map((b) => [b.name, b.completed])).toEqual([['Sprint 1', 0]]);
    expect(v.average).toBe(0);
  });
});
