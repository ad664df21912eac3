import { describe, expect, it } from 'vitest';
import type { ItemId } from '../../shared/ids.ts';
import { anchorIndex, BACKLOG_LANE, dropAnchor, type Lanes, laneOf, laneSprintId, moveToLane, sprintLane } from './lanes.ts';

const i = (s: string) => s as ItemId;
const S1 = sprintLane('s1');
const lanes: Lanes = { [BACKLOG_LANE]: [i('a'), i('b'), i('c')], [S1]: [i('x'), i('y')] };

describe('planning lanes (drag preview)', () => {
  it('moves an item into a sprint lane at the hovered index and out of the backlog', () => {
    const next = moveToLane(lanes, i('b'), S1, 1);
    expect(next[BACKLOG_LANE]).toEqual(['a', 'c']);
    expect(next[S1]).toEqual(['x', 'b', 'y']);
    expect(laneOf(next, i('b'))).toBe(S1);
  });

  it('appends when no index is given and reorders within a lane', () => {
    expect(moveToLane(lanes, i('a'), S1)[S1]).toEqual(['x', 'y', 'a']);
    expect(moveToLane(lanes, i('a'), BACKLOG_LANE, 2)[BACKLOG_LANE]).toEqual(['b', 'c', 'a']);
  });

  it('returns the same lanes when nothing moves (no re-render during a still drag)', () => {
    expect(moveToLane(lanes, i('a'), BACKLOG_LANE, 0)).toBe(lanes);
    expect(moveToLane(lanes, i('nope'), S1)).toBe(lanes);
  });

  it('anchors a drop on the previous neighbour, else the next, else keeps the rank', () => {
    expect(dropAnchor(moveToLane(lanes, i('b'), S1, 1), i('b'))).toEqual({ after: 'x' });
    expect(dropAnchor(moveToLane(lanes, i('b'), S1, 0), i('b'))).toEqual({ before: 'x' });
    expect(dropAnchor({ [BACKLOG_LANE]: [i('a')], [S1]: [] }, i('a'))).toBeNull();
  });

  it('turns an anchor into an index in the live order, ignoring items that vanished', () => {
    const live = [i('a'), i('x'), i('b'), i('y'), i('c')];
    expect(anchorIndex(live, i('c'), { after: i('x') })).toBe(2);
    expect(anchorIndex(live, i('a'), { before: i('y') })).toBe(2);
    expect(anchorIndex(live, i('a'), { after: i('gone') })).toBeNull();
    expect(laneSprintId(S1)).toBe('s1');
    expect(laneSprintId(BACKLOG_LANE)).toBeNull();
  });
});
