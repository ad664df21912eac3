/**
 * One member's availability in one sprint (`sprints.<id>.availability.<userId>`, a plain
 * value, docs/format.md). The sprint holds the team's focus factor and points per day;
 * the capacity in points is computed (shared/planning/capacity.ts), never stored.
 * PO and SM write it (POL-12, SPR-3).
 */
import { isIdLike, type UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import type { MapOfShape } from './shape-types.ts';
import { exactObject, isStringOf, nullable, value } from './values.ts';

export interface Availability {
  /** Display name when entered, so a member who left still reads with a name. */
  name: string;
  /** Days off inside the sprint's working days. */
  daysOff: number;
  /** Working days this member has in the sprint; null = the sprint's working days. */
  workingDays: number | null;
}

const isDays = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= LIMITS.maxDaysOff && Math.round(v * 2) === v * 2;

/** Half days allowed; 0 … maxDaysOff. */
export const isDayCount = isDays;

export const isAvailability = exactObject({
  name: isStringOf(LIMITS.maxDisplayNameLength),
  daysOff: isDays,
  workingDays: nullable(isDays),
});

export const AVAILABILITY_SHAPE: MapOfShape = {
  kind: 'mapOf',
  key: isIdLike,
  keyWhat: 'a user id',
  value: value(`{name, daysOff, workingDays} with days 0–${LIMITS.maxDaysOff} in half days`, isAvailability),
  maxEntries: LIMITS.maxSprintMembers,
};

export function readAvailability(raw: unknown): Availability | null {
  return isAvailability(raw) ? (raw as Availability) : null;
}

export type AvailabilityByUser = ReadonlyMap<UserId, Availability>;
