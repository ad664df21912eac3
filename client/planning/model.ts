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
  /** 0: the next sprint ("what fits"); 1, 2, …: forecast sprints after it. */
  sprintOffset: number;
}

/**
 * Walks the backlog from the top: the next sprint takes items while its room lasts
 * (`firstRoom`: its capacity minus what is already planned), each later sprint takes
 * `velocity` points. An unestimated item takes no room (it is flagged elsewhere). Returns
 * where each sprint fills, at most `maxSprints` boundaries.
 */
export function fitBoundaries(backlog: readonly ItemId[], getItem: GetItem, firstRoom: number, velocity: number | null, maxSprints = 6): FitBoundary[] {
  const out: FitBoundary[] = [];
  let room = firstRoom;
  let offset = 0;
  for (const id of backlog) {
    const p = pointsOf(getItem(id)?.estimate ?? null) ?? 0;
    // Past the room: this item starts the next sprint (repeated while one item is bigger than a sprint).
    while (p > room + 1e-9) {
      if (out.at(-1)?.before !== id) out.push({ before: id, sprintOffset: offset });
      if (!velocity || velocity <= 0 || out.length >= maxSprints) return out;
      offset++;
      room += velocity;
      if (p <= room + 1e-9) break;
    }
    room -= p;
  }
  return out;
}
