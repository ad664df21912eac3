import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, SprintId, UserId } from '../../shared/ids.ts';
import { appendItems, getItem, initBoard, rankedActiveEntries } from '../../shared/schema/board.ts';
import { createSprint, planItem, readSprints, updateSprint } from './planningData.ts';

function board() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'T', createdAt: 1 });
  const ids = appendItems(doc, ['a', 'b', 'c', 'd'].map((title) => ({ title, createdBy: 'u1' as UserId }))) as ItemId[];
  return { doc, ids };
}

describe('planning writes (one transaction per drop)', () => {
  it('plans an item into a sprint and places it in the one order, as ONE update', () => {
    const { doc, ids } = board();
    const sprint = createSprint(doc, { name: 'Sprint 1', goal: 'g', capacity: null, startsAt: 0, endsAt: 1 });
    let updates = 0;
    doc.on('update', () => updates++);
    planItem(doc, ids[3]!, sprint, 0);
    expect(updates).toBe(1);
    expect(getItem(doc, ids[3]!)?.sprintId).toBe(sprint);
    expect(rankedActiveEntries(doc).map((e) => e.id)).toEqual([ids[3], ids[0], ids[1], ids[2]]);
    planItem(doc, ids[3]!, null, null);
    expect(getItem(doc, ids[3]!)?.sprintId).toBeNull();
  });

  it('reads sprints in calendar order and edits them in place', () => {
    const { doc } = board();
    createSprint(doc, { name: 'Later', goal: '', capacity: null, startsAt: 200, endsAt: 300 });
    const first = createSprint(doc, { name: 'First', goal: '', capacity: null, startsAt: 100, endsAt: 150 });
    updateSprint(doc, first, { capacity: 21 });
    expect(readSprints(doc).map((s) => [s.name, s.capacity])).toEqual([
      ['First', 21],
      ['Later', null],
    ]);
    expect(updateSprint(doc, 'nosuchsprint' as SprintId, { name: 'x' })).toBe(false);
  });
});
