/**
 * What the planning view derives from the backlog and the sprints, as pure functions: the
 * lanes (one backlog order, split by sprint), each lane's load, and where the next sprints
 * fill up when the backlog is taken from the top.
 */
import type { ItemId, SprintId } from '../../shared/ids.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { BACKLOG_LANE, type Lanes, sprintLane } from './lanes.ts';

/** An estimate as points: a number card ("5", "0.5"), else null (unestimated, "?", "☕", "2 days"). */
export function pointsOf(estimate: string | null): number | null {
  if (estimate === null || !/^\s*\d+(\.\d+)?\s*$/.test(estimate)) return null;
  const n = Number(estimate);
  return Number.isFinite(n) && n >= 0 ? n : null;
}

type GetItem = (id: ItemId) => ItemSnapshot | null;

/**
 * The lanes in backlog order. An item whose sprint is one of `open` goes there; one whose
 * sprint is unknown (deleted, or not synced yet) is shown in the backlog. Done items
 * without a sprint are left out of the backlog lane: there is nothing to plan.
 */
export function buildLanes(order: readonly ItemId[], getItem: GetItem, open: readonly SprintId[]): Lanes {
  const lanes: Record<string, ItemId[]> = { [BACKLOG_LANE]: [] };
  for (const s of open) lanes[sprintLane(s)] = [];
  for (const id of order) {
    const item = getItem(id);
    if (!item) continue;
    const lane = item.sprintId !== null ? lanes[sprintLane(item.sprintId)] : undefined;
    if (lane) lane.push(id);
    else if (item.status !== 'done') lanes[BACKLOG_LANE]!.push(id);
  }
  return lanes;
}

export interface LaneLoad {
  points: number;
  items: number;
  unestimated: number;
}

export function laneLoad(ids: readonly ItemId[], getItem: GetItem): LaneLoad {
  let points = 0;
  let unestimated = 0;
  for (const id of ids) {
    const p = pointsOf(getItem(id)?.estimate ?? null);
    if (p === null) unestimated++;
    else points += p;
  }
  return { points, items: ids.length, unestimated };
}

export interface FitBoundary {
  /** The first backlog item that no longer fits. */
  before: ItemId;
  /** Which sprint fills there: 0 is the next one ("what fits"), 1, 2, … the ones after. */
  sprintOffset: number;
}

/**
 * Walks the backlog from the top. The planned sprints take items while their room lasts
 * (`rooms`: each one's capacity minus what is already planned into it, in order), every
 * sprint after them takes `velocity` points. An unestimated item takes no room (it is
 * flagged elsewhere). Returns where each sprint fills, at most `maxSprints` boundaries.
 */
export function fitBoundaries(
  backlog: readonly ItemId[],
  getItem: GetItem,
  rooms: readonly number[],
  velocity: number | null,
  maxSprints = 6,
): FitBoundary[] {
  const out: FitBoundary[] = [];
  const roomOf = (offset: number): number | null => (offset < rooms.length ? rooms[offset]! : velocity && velocity > 0 ? velocity : null);
  let offset = 0;
  let room = roomOf(0);
  if (room === null) return out;
  for (const id of backlog) {
    const p = pointsOf(getItem(id)?.estimate ?? null) ?? 0;
    // This item starts the next sprint; one bigger than a whole sprint spans several.
    while (p > room + 1e-9) {
      if (out.at(-1)?.before !== id) out.push({ before: id, sprintOffset: offset });
      const next = roomOf(offset + 1);
      if (next === null || out.length >= maxSprints) return out;
      offset++;
      room = Math.max(0, room) + next;
      if (p <= room + 1e-9) break;
    }
    room -= p;
  }
  return out;
}
