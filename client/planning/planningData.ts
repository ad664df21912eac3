/**
 * The planning view's one door to the document. Every write goes through the shared
 * operations in shared/schema/sprints.ts, so what the UI allows and what the server's gate
 * admits (SPR-1…10) are the same rules; each returns a PlanningResult whose `message` the
 * view shows when it refuses. Each write is one transaction tagged with `origin`.
 */
import type * as Y from 'yjs';
import type { ItemId, SprintId, UserId } from '../../shared/ids.ts';
import { sprintCapacity } from '../../shared/planning/capacity.ts';
import { averageVelocity } from '../../shared/planning/velocity.ts';
import { moveItem, readMeta } from '../../shared/schema/board.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import type { SprintSnapshot } from '../../shared/schema/sprint.ts';
import {
  availabilityProblem,
  type CarryOver,
  canPlanInto,
  closeSprint as closeSprintOp,
  createSprint as createSprintOp,
  deleteSprint as deleteSprintOp,
  editSprint,
  moveItemToSprint,
  type PlanningResult,
  readSprints as readSprintSnapshots,
  type SprintInput,
  setAvailability,
  setTeamCapacity,
  startSprint as startSprintOp,
} from '../../shared/schema/sprints.ts';

export type { PlanningResult, SprintInput };
export type SprintState = SprintSnapshot['state'];

/** A sprint as the view shows it: the record plus its capacity in points (null: not entered yet). */
export interface SprintView extends Omit<SprintSnapshot, 'capacity'> {
  capacity: number | null;
}

/** Every sprint, in calendar order, with capacity computed from availability (or the legacy fixed figure). */
export function readSprints(doc: Y.Doc): SprintView[] {
  return readSprintSnapshots(doc).map((s) => ({
    ...s,
    capacity: sprintCapacity({
      startsAt: s.startsAt,
      endsAt: s.endsAt,
      focusFactor: s.focusFactor,
      pointsPerDay: s.pointsPerDay,
      members: [...s.availability.values()],
      fixed: s.capacity,
    }).points,
  }));
}

export function createSprint(doc: Y.Doc, actor: Actor, input: SprintInput, origin?: unknown): PlanningResult<SprintId> {
  return createSprintOp(doc, actor, input, origin);
}

export function updateSprint(doc: Y.Doc, actor: Actor, id: SprintId, patch: Partial<SprintInput>, origin?: unknown): PlanningResult {
  return editSprint(doc, actor, id, patch, origin);
}

export function startSprint(doc: Y.Doc, actor: Actor, id: SprintId, origin?: unknown): PlanningResult {
  return startSprintOp(doc, actor, id, Date.now(), origin);
}

/** Deletes a planned sprint; its items go back to the backlog in the same transaction (SPR-11). */
export function deleteSprint(doc: Y.Doc, actor: Actor, id: SprintId, origin?: unknown): PlanningResult {
  return deleteSprintOp(doc, actor, id, origin);
}

/** Closes the active sprint; `carry` says where each unfinished item goes (default: top of the backlog). */
export function closeSprint(doc: Y.Doc, actor: Actor, id: SprintId, carry: ReadonlyMap<ItemId, CarryOver>, origin?: unknown): PlanningResult {
  const perItem = Object.fromEntries(carry);
  return closeSprintOp(doc, actor, id, { all: 'backlog', perItem, now: Date.now() }, origin);
}

export interface CapacityEntry {
  people: readonly { userId: string; name: string; daysOff: number }[];
  pointsPerDay: number;
  /** 0..1 */
  focusFactor: number;
  /** People whose availability this sprint no longer counts (they left the board). */
  remove?: readonly string[];
}

/**
 * The SM's capacity form in ONE transaction (one update, one undo step): the team's rate,
 * each person's days off, and the removal of people who left. Every entry is checked first,
 * so a refusal writes nothing.
 */
export function saveCapacity(doc: Y.Doc, actor: Actor, id: SprintId, entry: CapacityEntry, origin?: unknown): PlanningResult {
  const entries = entry.people.map((p) => ({ userId: p.userId as UserId, a: { name: p.name, daysOff: p.daysOff, workingDays: null } }));
  const problem = entries.map((e) => availabilityProblem(e.a)).find((m) => m !== null);
  if (problem) return { ok: false, reason: 'invalid', message: problem };
  let result: PlanningResult = { ok: true, value: undefined };
  doc.transact(() => {
    result = setTeamCapacity(doc, actor, id, { focusFactor: Math.max(0.01, entry.focusFactor), pointsPerDay: entry.pointsPerDay }, origin);
    for (const e of entries) if (result.ok) result = setAvailability(doc, actor, id, e.userId, e.a, origin);
    for (const userId of entry.remove ?? []) if (result.ok) result = setAvailability(doc, actor, id, userId as UserId, null, origin);
  }, origin);
  return result;
}

/** May this person drag into or out of `sprint` (null: the backlog)? The gate's own rule (SPR-4). */
export function mayPlan(doc: Y.Doc, actor: Actor, sprint: SprintView | null): boolean {
  return canPlanInto(doc, actor, sprint as unknown as SprintSnapshot | null);
}

export const developersMayPlan = (doc: Y.Doc): boolean => readMeta(doc).developersMayPlan;

/**
 * One drop: the item joins `sprintId` (null: the backlog) and, when `index` is given, takes
 * that place among the other active items. One transaction, so one update and one undo step;
 * a refused sprint move writes nothing.
 */
export function planItem(doc: Y.Doc, actor: Actor, itemId: ItemId, sprintId: SprintId | null, index: number | null, origin?: unknown): PlanningResult {
  let result: PlanningResult = { ok: true, value: undefined };
  doc.transact(() => {
    result = moveItemToSprint(doc, actor, itemId, sprintId, origin);
    if (result.ok && index !== null) moveItem(doc, itemId, { index });
  }, origin);
  return result;
}

/** Closed sprints' committed vs completed points, oldest first, and the last three's average. */
export function velocityOf(sprints: readonly SprintView[]) {
  const closed = sprints
    .filter((s) => s.state === 'closed' && s.outcome !== null)
    .map((s) => ({ id: s.id as string, name: s.name, endsAt: s.endsAt ?? 0, committed: s.committed?.points ?? 0, completed: s.outcome?.completedPoints ?? 0 }));
  return { bars: closed, average: averageVelocity(closed) };
}
