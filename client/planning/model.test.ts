import { describe, expect, it } from 'vitest';
import type { ItemId, SprintId } from '../../shared/ids.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { BACKLOG_LANE, sprintLane } from './lanes.ts';
import { buildLanes, fitBoundaries, laneLoad, pointsOf } from './model.ts';

const items = new Map<string, Partial<ItemSnapshot>>([
  ['a', { estimate: '5', sprintId: null, status: 'ready' }],
  ['b', { estimate: '3', sprintId: 's1' as SprintId, status: 'ready' }],
  ['c', { estimate: null, sprintId: 's1' as SprintId, status: 'new' }],
  ['d', { estimate: '8', sprintId: null, status: 'refining' }],
  ['e', { estimate: '2', sprintId: 'gone' as SprintId, status: 'new' }],
  ['f', { estimate: '1', sprintId: null, status: 'done' }],
]);
const get = (id: ItemId) => (items.get(id) ?? null) as ItemSnapshot | null;
const order = ['a', 'b', 'c', 'd', 'e', 'f'] as ItemId[];

describe('planning model', () => {
  it('reads number cards as points and everything else as unestimated', () => {
    expect(pointsOf('5')).toBe(5);
    expect(pointsOf('0.5')).toBe(0.5);
    expect(pointsOf('?')).toBeNull();
    expect(pointsOf('2 days')).toBeNull();
    expect(pointsOf(null)).toBeNull();
  });

  it('splits the one backlog order into lanes; an unknown sprint id reads as the backlog', () => {
    const lanes = buildLanes(order, get, ['s1' as SprintId]);
    expect(lanes[BACKLOG_LANE]).toEqual(['a', 'd', 'e']);
    expect(lanes[sprintLane('s1')]).toEqual(['b', 'c']);
  });

  it('sums estimates and counts unestimated items separately', () => {
    expect(laneLoad(['b', 'c'] as ItemId[], get)).toEqual({ points: 3, items: 2, unestimated: 1 });
  });

  it('puts the what-fits line where the next sprint’s room runs out, then forecast lines at the velocity', () => {
    // room 6: a (5) fits, d (8) does not → line before d; velocity 8: d fills sprint +1, e starts +2
    expect(fitBoundaries(['a', 'd', 'e'] as ItemId[], get, [6], 8)).toEqual([
      { before: 'd', sprintOffset: 0 },
      { before: 'e', sprintOffset: 1 },
    ]);
    // no velocity yet: only the what-fits line
    expect(fitBoundaries(['a', 'd', 'e'] as ItemId[], get, [6], null)).toEqual([{ before: 'd', sprintOffset: 0 }]);
  });

  it('fills each planned sprint by its own room before forecasting at the velocity', () => {
    // rooms 5 then 8: a (5) fills the next sprint, d (8) the one after, e (2) starts the first forecast sprint
    expect(fitBoundaries(['a', 'd', 'e'] as ItemId[], get, [5, 8], 10)).toEqual([
      { before: 'd', sprintOffset: 0 },
      { before: 'e', sprintOffset: 1 },
    ]);
    // an over-full next sprint: the line sits above the first backlog item
    expect(fitBoundaries(['a'] as ItemId[], get, [-3], null)).toEqual([{ before: 'a', sprintOffset: 0 }]);
  });
});
