/**
 * The planning view's drag preview as pure functions. A lane is the backlog or one sprint,
 * holding item ids in backlog rank order. While a drag is in progress the view shows a
 * local copy of the lanes (dnd-kit's multiple-containers pattern): `moveToLane` moves the
 * dragged id across lanes as the pointer or the arrow keys go; `dropAnchor` turns the
 * final preview into "after this item" / "before this item" in the one backlog order, so a
 * sprint's order stays the backlog rank (there is no second list).
 */
import type { ItemId } from '../../shared/ids.ts';

/** `backlog`, or `sprint:<sprintId>`. */
export type LaneId = string;
export const BACKLOG_LANE: LaneId = 'backlog';
export const sprintLane = (sprintId: string): LaneId => `sprint:${sprintId}`;
/** The sprint id of a lane, null for the backlog. */
export const laneSprintId = (lane: LaneId): string | null => (lane.startsWith('sprint:') ? lane.slice('sprint:'.length) : null);
export const isLaneId = (id: unknown): boolean => id === BACKLOG_LANE || (typeof id === 'string' && id.startsWith('sprint:'));

export type Lanes = Readonly<Record<LaneId, readonly ItemId[]>>;

/** The lane holding `id`, or null. */
export function laneOf(lanes: Lanes, id: ItemId): LaneId | null {
  for (const [lane, ids] of Object.entries(lanes)) if (ids.includes(id)) return lane;
  return null;
}

/**
 * `id` moved into `to` at `index` (clamped; the end when undefined), removed from where it
 * was. Same lane: a reorder. Returns the same object when nothing changes.
 */
export function moveToLane(lanes: Lanes, id: ItemId, to: LaneId, index?: number): Lanes {
  const from = laneOf(lanes, id);
  if (from === null || !(to in lanes)) return lanes;
  const target = lanes[to]!.filter((x) => x !== id);
  const at = Math.max(0, Math.min(index ?? target.length, target.length));
  if (from === to && lanes[to]!.indexOf(id) === at) return lanes;
  target.splice(at, 0, id);
  const next: Record<LaneId, readonly ItemId[]> = { ...lanes, [to]: target };
  if (from !== to) next[from] = lanes[from]!.filter((x) => x !== id);
  return next;
}

/** Where a dropped item goes in the backlog order: after its lane neighbour, or before the next one. */
export type Anchor = { after: ItemId } | { before: ItemId } | null;

export function dropAnchor(lanes: Lanes, id: ItemId): Anchor {
  const lane = laneOf(lanes, id);
  if (lane === null) return null;
  const ids = lanes[lane]!;
  const at = ids.indexOf(id);
  if (at > 0) return { after: ids[at - 1]! };
  if (at + 1 < ids.length) return { before: ids[at + 1]! };
  return null;
}

/**
 * The index among the other items of `live` (the current backlog order, every item) that
 * the anchor names; null when it names nothing that still exists (keep the rank).
 */
export function anchorIndex(live: readonly ItemId[], id: ItemId, anchor: Anchor): number | null {
  if (anchor === null) return null;
  const others = live.filter((x) => x !== id);
  if ('after' in anchor) {
    const j = others.indexOf(anchor.after);
    return j < 0 ? null : j + 1;
  }
  const j = others.indexOf(anchor.before);
  return j < 0 ? null : j;
}
