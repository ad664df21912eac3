/**
 * A sprint items can be planned into (`sprints.<id>`, docs/format.md): its fields, keys,
 * shape, defaults and reader. PO and SM write it (POL-12, SPR-3). The operations are in
 * sprints.ts; a member's availability is capacity.ts; the frozen records sprintRecord.ts.
 * Older boards' sprints (id, name, goal, capacity, startsAt, endsAt only) read as planned,
 * with focus factor 1, no points per day, nobody's availability and no records.
 */
import * as Y from 'yjs';
import { isIdLike, type SprintId, type UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { AVAILABILITY_SHAPE, type Availability, readAvailability } from './capacity.ts';
import type { MapOfShape, RecordShape, Shape } from './shape-types.ts';
import { COMMITTED_SHAPE, type CommittedRecord, OUTCOME_SHAPE, readCommitted, readOutcome, type SprintOutcome } from './sprintRecord.ts';
import { asTypedMap, readNullableNumber, readString, type TypedMap } from './typed-map.ts';
import { id, isFiniteNumber, isStringOf, nullable, nullableTime, value } from './values.ts';

export const SPRINT_STATES = ['planned', 'active', 'closed'] as const;
export type SprintState = (typeof SPRINT_STATES)[number];
export const isSprintState = (v: unknown): v is SprintState =>
  typeof v === 'string' && (SPRINT_STATES as readonly string[]).includes(v);

/** The sprint's map as stored. */
export interface SprintFields {
  id: SprintId;
  name: string;
  goal: string;
  /** Legacy fixed capacity in points (format v1 before planning); null = computed. */
  capacity: number | null;
  startsAt: number | null;
  endsAt: number | null;
  state: SprintState;
  /** Share of a working day spent on sprint work, (0, 1]. */
  focusFactor: number;
  /** Points one person delivers in one focused day; null = not set (capacity unknown). */
  pointsPerDay: number | null;
  availability: Y.Map<Availability>;
  committed: CommittedRecord | null;
  outcome: SprintOutcome | null;
}
export type SprintMap = TypedMap<SprintFields>;

/** The sprint's keys by name, so nobody spells them as strings. */
export const SPRINT_KEYS = {
  id: 'id',
  name: 'name',
  goal: 'goal',
  capacity: 'capacity',
  startsAt: 'startsAt',
  endsAt: 'endsAt',
  state: 'state',
  focusFactor: 'focusFactor',
  pointsPerDay: 'pointsPerDay',
  availability: 'availability',
  committed: 'committed',
  outcome: 'outcome',
} as const satisfies { readonly [K in keyof SprintFields]: K };

/** Set when the sprint is created, never changed. */
export const SPRINT_IMMUTABLE: ReadonlySet<string> = new Set([SPRINT_KEYS.id]);

/** Most sprints one board holds. */
export const MAX_SPRINTS = 1_000;
export const DEFAULT_FOCUS_FACTOR = 1;

export const isSprintName = (v: unknown): v is string =>
  typeof v === 'string' && v.trim().length > 0 && v.length <= LIMITS.maxSprintNameLength;
export const isFocusFactor = (v: unknown): v is number => isFiniteNumber(v) && v > 0 && v <= 1;
export const isPointsPerDay = (v: unknown): v is number => isFiniteNumber(v) && v >= 0 && v <= LIMITS.maxPointsPerDay;

export const SPRINT_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    name: value(`a name of 1–${LIMITS.maxSprintNameLength} characters`, isSprintName),
    goal: value(`a goal of at most ${LIMITS.maxSprintGoalLength} characters`, isStringOf(LIMITS.maxSprintGoalLength)),
    capacity: value('a number ≥ 0 or null', nullable((v) => isFiniteNumber(v) && v >= 0)),
    startsAt: nullableTime,
    endsAt: nullableTime,
    state: value('planned, active or closed', isSprintState),
    focusFactor: value('a focus factor above 0, at most 1', isFocusFactor),
    pointsPerDay: value(`points per day 0–${LIMITS.maxPointsPerDay} or null`, nullable(isPointsPerDay)),
    availability: AVAILABILITY_SHAPE,
    committed: COMMITTED_SHAPE,
    outcome: OUTCOME_SHAPE,
  } satisfies Record<keyof SprintFields, Shape>,
};

/** Root `sprints`: sprint id → sprint. */
export const SPRINTS_SHAPE: MapOfShape = { kind: 'mapOf', key: isIdLike, keyWhat: 'a sprint id', value: SPRINT_SHAPE, maxEntries: MAX_SPRINTS };

/** A plain, immutable read of a sprint for rendering and for the planning math. */
export interface SprintSnapshot {
  id: SprintId;
  name: string;
  goal: string;
  capacity: number | null;
  startsAt: number | null;
  endsAt: number | null;
  state: SprintState;
  focusFactor: number;
  pointsPerDay: number | null;
  availability: ReadonlyMap<UserId, Availability>;
  committed: CommittedRecord | null;
  outcome: SprintOutcome | null;
}

/** The format's first sprint fields (before planning), kept for callers that need only these. */
export type Sprint = Pick<SprintSnapshot, 'id' | 'name' | 'goal' | 'capacity' | 'startsAt' | 'endsAt'>;

export const sprintMap = (raw: Y.Map<unknown>): SprintMap => asTypedMap<SprintFields>(raw);

/** Reads one sprint; null if the entry is not a sprint map. Missing fields read with defaults. */
export function readSprint(raw: unknown, key: string): SprintSnapshot | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = sprintMap(raw);
  const availability = new Map<UserId, Availability>();
  const avail = m.get('availability');
  if (avail instanceof Y.Map) {
    for (const [user, entry] of avail.entries()) {
      const a = readAvailability(entry);
      if (a) availability.set(user as UserId, a);
    }
  }
  const state = m.get('state');
  const focus = m.get('focusFactor');
  const ppd = m.get('pointsPerDay');
  const capacity = readNullableNumber(m.get('capacity'));
  return {
    id: key as SprintId,
    name: readString(m.get('name')),
    goal: readString(m.get('goal')),
    capacity: capacity !== null && capacity >= 0 ? capacity : null,
    startsAt: readNullableNumber(m.get('startsAt')),
    endsAt: readNullableNumber(m.get('endsAt')),
    state: isSprintState(state) ? state : 'planned',
    focusFactor: isFocusFactor(focus) ? focus : DEFAULT_FOCUS_FACTOR,
    pointsPerDay: isPointsPerDay(ppd) ? ppd : null,
    availability,
    committed: readCommitted(m.get('committed')),
    outcome: readOutcome(m.get('outcome')),
  };
}
