/**
 * Sprint planning operations (SPR rules, docs/SPEC.md): each is one `doc.transact`, checks
 * the actor and its input first and writes nothing when either is wrong, so the UI never
 * sends what the server's gate would refuse (the gate enforces the same rules itself).
 * Records: sprint.ts, capacity.ts, sprintRecord.ts; the arithmetic: shared/planning/.
 */
import * as Y from 'yjs';
import { type ItemId, newSprintId, type SprintId, type UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { pointsOf } from '../planning/points.ts';
import { canWriteDocument, isFacilitator } from '../policy/can.ts';
import { generateRankBefore } from './sprintRanks.ts';
import { boardRoots, getItemMap, listItems, readMeta } from './board.ts';
import { type Availability, isDayCount } from './capacity.ts';
import type { ItemSnapshot } from './item.ts';
import type { Actor } from './operation.ts';
import {
  DEFAULT_FOCUS_FACTOR,
  isFocusFactor,
  isPointsPerDay,
  readSprint,
  type SprintFields,
  type SprintSnapshot,
  sprintMap,
} from './sprint.ts';
import type { RecordedItem } from './sprintRecord.ts';
import { newTypedMap } from './typed-map.ts';

export type PlanningRefusal = 'forbidden' | 'invalid' | 'not-found' | 'closed' | 'conflict';
export type PlanningResult<T = undefined> = { ok: true; value: T } | { ok: false; reason: PlanningRefusal; message: string };
const done = <T>(value: T): PlanningResult<T> => ({ ok: true, value });
const no = (reason: PlanningRefusal, message: string): { ok: false; reason: PlanningRefusal; message: string } => ({ ok: false, reason, message });

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------- readers

/** Every sprint, ordered by start (undated last), then name. */
export function readSprints(doc: Y.Doc): SprintSnapshot[] {
  const out: SprintSnapshot[] = [];
  for (const [key, raw] of boardRoots(doc).sprints.entries()) {
    const s = readSprint(raw, key);
    if (s) out.push(s);
  }
  return out.sort((a, b) => (a.startsAt ?? Infinity) - (b.startsAt ?? Infinity) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function readSprintById(doc: Y.Doc, id: SprintId | string): SprintSnapshot | null {
  return readSprint(boardRoots(doc).sprints.get(id), id);
}

/** The sprint an item is in, or null for the backlog: an unknown sprint id reads as the backlog (SPR-2). */
export function sprintOf(doc: Y.Doc, item: ItemSnapshot): SprintId | null {
  return item.sprintId !== null && boardRoots(doc).sprints.has(item.sprintId) ? item.sprintId : null;
}

// ---------------------------------------------------------------- validation

export interface SprintInput {
  name: string;
  goal: string;
  startsAt: number | null;
  endsAt: number | null;
}

/** Why a sprint's fields are wrong, in words for the UI, or null when they are fine. */
export function sprintInputProblem(input: SprintInput): string | null {
  const name = input.name.trim();
  if (!name) return 'A sprint needs a name.';
  if (name.length > LIMITS.maxSprintNameLength) return `A sprint name has at most ${LIMITS.maxSprintNameLength} characters.`;
  if (input.goal.length > LIMITS.maxSprintGoalLength) return `A sprint goal has at most ${LIMITS.maxSprintGoalLength} characters.`;
  const { startsAt, endsAt } = input;
  if ((startsAt !== null && !Number.isFinite(startsAt)) || (endsAt !== null && !Number.isFinite(endsAt))) return 'Dates must be valid.';
  if (startsAt !== null && endsAt !== null) {
    if (endsAt < startsAt) return 'The sprint must end on or after its start.';
    if (endsAt - startsAt > LIMITS.maxSprintDays * DAY_MS) return `A sprint lasts at most ${LIMITS.maxSprintDays} days.`;
  }
  return null;
}

const facilitatorOnly = (actor: Actor) => (isFacilitator(actor.role) ? null : no('forbidden', 'Only the PO or SM plans sprints.'));

// ---------------------------------------------------------------- sprints

/** The next sprint's name and dates from the last one: "Sprint 12" → "Sprint 13", same length, starting the day after. */
export function proposeNextSprint(last: SprintSnapshot | null, now: number): SprintInput {
  const twoWeeks = 13 * DAY_MS;
  if (!last) {
    const start = Math.floor(now / DAY_MS) * DAY_MS;
    return { name: 'Sprint 1', goal: '', startsAt: start, endsAt: start + twoWeeks };
  }
  const m = /^(.*?)(\d+)\s*$/.exec(last.name);
  const name = m ? `${m[1]}${Number(m[2]) + 1}` : `${last.name} (next)`;
  if (last.startsAt === null || last.endsAt === null) return { name, goal: '', startsAt: null, endsAt: null };
  const length = last.endsAt - last.startsAt;
  const startsAt = Math.floor(last.endsAt / DAY_MS) * DAY_MS + DAY_MS;
  return { name, goal: '', startsAt, endsAt: startsAt + length };
}

/** [SPR-1] Creates a planned sprint. */
export function createSprint(doc: Y.Doc, actor: Actor, input: SprintInput, origin?: unknown): PlanningResult<SprintId> {
  const refused = facilitatorOnly(actor) ?? (sprintInputProblem(input) ? no('invalid', sprintInputProblem(input)!) : null);
  if (refused) return refused;
  const id = newSprintId();
  const map = newTypedMap<SprintFields>({
    id,
    name: input.name.trim(),
    goal: input.goal,
    capacity: null,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    state: 'planned',
    focusFactor: DEFAULT_FOCUS_FACTOR,
    pointsPerDay: null,
    availability: new Y.Map(),
    committed: null,
    outcome: null,
  });
  doc.transact(() => boardRoots(doc).sprints.set(id, map as unknown as Y.Map<unknown>), origin);
  return done(id);
}

function openSprintMap(doc: Y.Doc, id: SprintId) {
  const raw = boardRoots(doc).sprints.get(id);
  const sprint = readSprint(raw, id);
  if (!sprint || !(raw instanceof Y.Map)) return no('not-found', 'No such sprint.');
  if (sprint.state === 'closed') return no('closed', 'A closed sprint is read-only.');
  return { map: sprintMap(raw), sprint };
}

/** [SPR-1] Edits name, goal and dates of a planned or active sprint. */
export function editSprint(doc: Y.Doc, actor: Actor, id: SprintId, patch: Partial<SprintInput>, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  const open = openSprintMap(doc, id);
  if ('ok' in open) return open;
  const next = { name: open.sprint.name, goal: open.sprint.goal, startsAt: open.sprint.startsAt, endsAt: open.sprint.endsAt, ...patch };
  const problem = sprintInputProblem(next);
  if (problem) return no('invalid', problem);
  doc.transact(() => {
    if (patch.name !== undefined) open.map.set('name', next.name.trim());
    if (patch.goal !== undefined) open.map.set('goal', next.goal);
    if (patch.startsAt !== undefined) open.map.set('startsAt', next.startsAt);
    if (patch.endsAt !== undefined) open.map.set('endsAt', next.endsAt);
  }, origin);
  return done(undefined);
}

/** Items of a sprint in backlog order (not archived). */
export function sprintItems(doc: Y.Doc, id: SprintId | string): ItemSnapshot[] {
  return listItems(doc).filter((i) => i.sprintId === id);
}

const recorded = (items: readonly ItemSnapshot[]): RecordedItem[] => items.map((i) => ({ id: i.id, points: pointsOf(i.estimate) }));
const sumPoints = (items: readonly RecordedItem[]): number => items.reduce((s, i) => s + (i.points ?? 0), 0);

/** [SPR-5] Starts a planned sprint and writes its committed record in the same transaction. At most one active (SPR-1). */
export function startSprint(doc: Y.Doc, actor: Actor, id: SprintId, now: number, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  const open = openSprintMap(doc, id);
  if ('ok' in open) return open;
  if (open.sprint.state !== 'planned') return no('conflict', 'Only a planned sprint can start.');
  if (readSprints(doc).some((s) => s.state === 'active')) return no('conflict', 'Another sprint is active; close it first.');
  const items = recorded(sprintItems(doc, id));
  doc.transact(() => {
    open.map.set('state', 'active');
    open.map.set('committed', { at: now, by: actor.userId, items, points: sumPoints(items) });
  }, origin);
  return done(undefined);
}

/** Where an unfinished item goes at close: the top of the backlog, or a planned sprint. */
export type CarryOver = 'backlog' | SprintId;

export interface CloseOptions {
  /** For every unfinished item without its own choice. */
  all: CarryOver;
  perItem?: Readonly<Record<string, CarryOver>>;
  now: number;
}

/**
 * [SPR-5, SPR-6] Closes the active sprint in one transaction: done items stay, each
 * unfinished one goes to the top of the backlog (keeping their order) or into a planned
 * sprint, and the outcome record is written (completed, added, removed, carried over).
 */
export function closeSprint(doc: Y.Doc, actor: Actor, id: SprintId, options: CloseOptions, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  const open = openSprintMap(doc, id);
  if ('ok' in open) return open;
  if (open.sprint.state !== 'active') return no('conflict', 'Only the active sprint can close.');
  const targets = new Set([options.all, ...Object.values(options.perItem ?? {})]);
  for (const t of targets) {
    if (t === 'backlog') continue;
    const s = readSprintById(doc, t);
    if (s?.state !== 'planned') return no('invalid', 'Unfinished items can only go into a planned sprint.');
  }
  const inSprint = sprintItems(doc, id);
  const completed = inSprint.filter((i) => i.status === 'done');
  const unfinished = inSprint.filter((i) => i.status !== 'done');
  const committedIds = new Set((open.sprint.committed?.items ?? []).map((i) => i.id));
  const inIds = new Set(inSprint.map((i) => i.id));
  const added = inSprint.filter((i) => !committedIds.has(i.id));
  const removed = (open.sprint.committed?.items ?? []).filter((i) => !inIds.has(i.id));
  const toBacklog = unfinished.filter((i) => (options.perItem?.[i.id] ?? options.all) === 'backlog');
  const ranks = generateRankBefore(doc, toBacklog.length);
  const completedItems = recorded(completed);
  doc.transact(() => {
    toBacklog.forEach((item, n) => {
      const m = getItemMap(doc, item.id);
      m?.set('sprintId', null);
      m?.set('rank', ranks[n]!);
    });
    for (const item of unfinished) {
      const target = options.perItem?.[item.id] ?? options.all;
      if (target !== 'backlog') getItemMap(doc, item.id)?.set('sprintId', target);
    }
    open.map.set('state', 'closed');
    open.map.set('outcome', {
      at: options.now,
      by: actor.userId,
      completed: completedItems,
      added: recorded(added),
      removed: [...removed],
      carriedOver: recorded(unfinished),
      completedPoints: sumPoints(completedItems),
    });
  }, origin);
  return done(undefined);
}

/**
 * [SPR-11] Deletes a planned sprint (never an active or closed one): in the same transaction
 * its items go back to the backlog, keeping their rank, so the backlog order is unchanged.
 */
export function deleteSprint(doc: Y.Doc, actor: Actor, id: SprintId, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  const s = readSprintById(doc, id);
  if (!s) return no('not-found', 'No such sprint.');
  if (s.state === 'closed') return no('closed', 'A closed sprint is read-only.');
  if (s.state !== 'planned') return no('conflict', 'Only a planned sprint can be deleted; close the active one instead.');
  doc.transact(() => {
    for (const item of sprintItems(doc, id)) getItemMap(doc, item.id)?.set('sprintId', null);
    boardRoots(doc).sprints.delete(id);
  }, origin);
  return done(undefined);
}

// ---------------------------------------------------------------- items in sprints

/** May this actor move items into or out of `sprint` (null = the backlog)? [SPR-4] */
export function canPlanInto(doc: Y.Doc, actor: Actor, sprint: SprintSnapshot | null): boolean {
  if (!canWriteDocument(actor.role)) return false;
  if (sprint?.state === 'closed') return false;
  if (isFacilitator(actor.role)) return true;
  return actor.role === 'dev' && readMeta(doc).developersMayPlan && (sprint === null || sprint.state === 'planned');
}

/** [SPR-4] Moves an item into a sprint (or to the backlog with null); never into or out of a closed sprint. */
export function moveItemToSprint(doc: Y.Doc, actor: Actor, itemId: ItemId, to: SprintId | null, origin?: unknown): PlanningResult {
  const item = getItemMap(doc, itemId);
  if (!item) return no('not-found', 'No such item.');
  const fromId = item.get('sprintId') ?? null;
  const from = fromId ? readSprintById(doc, fromId) : null;
  const target = to ? readSprintById(doc, to) : null;
  if (to && !target) return no('not-found', 'No such sprint.');
  if (from?.state === 'closed' || target?.state === 'closed') return no('closed', 'A closed sprint is read-only.');
  if (!canPlanInto(doc, actor, from) || !canPlanInto(doc, actor, target)) return no('forbidden', 'You may not plan this sprint.');
  if (fromId === to) return done(undefined);
  doc.transact(() => item.set('sprintId', to), origin);
  return done(undefined);
}

// ---------------------------------------------------------------- capacity

export interface TeamCapacityInput {
  focusFactor?: number;
  pointsPerDay?: number | null;
}

/** [SPR-3] Sets the team's focus factor and points per day for a sprint. */
export function setTeamCapacity(doc: Y.Doc, actor: Actor, id: SprintId, input: TeamCapacityInput, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  if (input.focusFactor !== undefined && !isFocusFactor(input.focusFactor)) return no('invalid', 'The focus factor is above 0 and at most 1 (100%).');
  if (input.pointsPerDay !== undefined && input.pointsPerDay !== null && !isPointsPerDay(input.pointsPerDay)) {
    return no('invalid', `Points per day are between 0 and ${LIMITS.maxPointsPerDay}.`);
  }
  const open = openSprintMap(doc, id);
  if ('ok' in open) return open;
  doc.transact(() => {
    if (input.focusFactor !== undefined) open.map.set('focusFactor', input.focusFactor);
    if (input.pointsPerDay !== undefined) open.map.set('pointsPerDay', input.pointsPerDay);
  }, origin);
  return done(undefined);
}

/** Why one member's availability is wrong, or null. */
export function availabilityProblem(a: Availability): string | null {
  if (!isDayCount(a.daysOff)) return `Days off are between 0 and ${LIMITS.maxDaysOff}, in half days.`;
  if (a.workingDays !== null && !isDayCount(a.workingDays)) return `Working days are between 0 and ${LIMITS.maxDaysOff}, in half days.`;
  if (a.name.length > LIMITS.maxDisplayNameLength) return 'Name too long.';
  return null;
}

function availabilityMap(map: ReturnType<typeof sprintMap>): Y.Map<Availability> | null {
  const a = map.get('availability');
  return a instanceof Y.Map ? a : null;
}

/** [SPR-3] Sets one member's availability (null removes them from the sprint's capacity). */
export function setAvailability(doc: Y.Doc, actor: Actor, id: SprintId, userId: UserId, a: Availability | null, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  const problem = a ? availabilityProblem(a) : null;
  if (problem) return no('invalid', problem);
  const open = openSprintMap(doc, id);
  if ('ok' in open) return open;
  doc.transact(() => {
    let avail = availabilityMap(open.map);
    if (!avail) {
      avail = new Y.Map<Availability>();
      open.map.set('availability', avail);
    }
    if (a) avail.set(userId, { name: a.name, daysOff: a.daysOff, workingDays: a.workingDays });
    else avail.delete(userId);
  }, origin);
  return done(undefined);
}

/**
 * The sprint "copy last sprint's capacity" copies from: the latest sprint before `id` (in
 * calendar order) whose capacity was entered (points per day or anyone's availability), so
 * a sprint planned without capacity in between is skipped, not copied as nothing.
 */
export function capacitySource(doc: Y.Doc, id: SprintId | string): SprintSnapshot | null {
  const all = readSprints(doc);
  const at = all.findIndex((s) => s.id === id);
  return all
    .slice(0, Math.max(0, at))
    .filter((s) => s.pointsPerDay !== null || s.availability.size > 0)
    .at(-1) ?? null;
}

/** [SPR-3] Copies the last entered capacity (availability, focus factor, points per day) into `id`. */
export function copyLastCapacity(doc: Y.Doc, actor: Actor, id: SprintId, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  if (!readSprintById(doc, id)) return no('not-found', 'No such sprint.');
  const previous = capacitySource(doc, id);
  if (!previous) return no('not-found', 'No earlier sprint has a capacity to copy.');
  const open = openSprintMap(doc, id);
  if ('ok' in open) return open;
  doc.transact(() => {
    let avail = availabilityMap(open.map);
    if (!avail) {
      avail = new Y.Map<Availability>();
      open.map.set('availability', avail);
    }
    for (const [user, a] of previous.availability) avail.set(user, { ...a });
    open.map.set('focusFactor', previous.focusFactor);
    open.map.set('pointsPerDay', previous.pointsPerDay);
  }, origin);
  return done(undefined);
}

// ---------------------------------------------------------------- board settings and impediments

/** [SPR-8] The board's product goal (PO and SM). */
export function setProductGoal(doc: Y.Doc, actor: Actor, goal: string, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  if (goal.length > LIMITS.maxProductGoalLength) return no('invalid', `The product goal has at most ${LIMITS.maxProductGoalLength} characters.`);
  doc.transact(() => boardRoots(doc).meta.set('productGoal', goal), origin);
  return done(undefined);
}

/** [SPR-4] May developers plan planned sprints? (PO and SM.) */
export function setDevelopersMayPlan(doc: Y.Doc, actor: Actor, allowed: boolean, origin?: unknown): PlanningResult {
  const refused = facilitatorOnly(actor);
  if (refused) return refused;
  doc.transact(() => boardRoots(doc).meta.set('developersMayPlan', allowed), origin);
  return done(undefined);
}

/** [SPR-9] Flags an item blocked (anyone but a viewer or stakeholder). */
export function flagBlocked(doc: Y.Doc, actor: Actor, itemId: ItemId, reason: string, now: number, origin?: unknown): PlanningResult {
  if (!canWriteDocument(actor.role)) return no('forbidden', 'You may not flag items.');
  const r = reason.trim();
  if (!r || r.length > LIMITS.maxBlockedReasonLength) return no('invalid', `Say why in 1–${LIMITS.maxBlockedReasonLength} characters.`);
  const item = getItemMap(doc, itemId);
  if (!item) return no('not-found', 'No such item.');
  doc.transact(() => item.set('blocked', { reason: r, by: actor.userId, name: actor.name.slice(0, LIMITS.maxDisplayNameLength), at: now }), origin);
  return done(undefined);
}

/** [SPR-9] Resolves an impediment. */
export function resolveBlocked(doc: Y.Doc, actor: Actor, itemId: ItemId, origin?: unknown): PlanningResult {
  if (!canWriteDocument(actor.role)) return no('forbidden', 'You may not resolve impediments.');
  const item = getItemMap(doc, itemId);
  if (!item) return no('not-found', 'No such item.');
  doc.transact(() => item.set('blocked', null), origin);
  return done(undefined);
}

/** Blocked items, longest blocked first (the SM's impediments list). */
export function readImpediments(doc: Y.Doc): ItemSnapshot[] {
  return listItems(doc)
    .filter((i) => i.blocked !== null)
    .sort((a, b) => a.blocked!.at - b.blocked!.at);
}
