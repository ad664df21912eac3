/**
 * Capacity arithmetic (SPR-6), pure: working days between two dates (Monday–Friday, in
 * UTC days, both ends included), each member's days off, the team's focus factor and
 * points per person-day. No Yjs here; readers pass plain snapshots.
 */
const DAY_MS = 86_400_000;

/** Working days (Mon–Fri) from the day of `startsAt` to the day of `endsAt`, inclusive; 0 if end < start. */
export function workingDaysBetween(startsAt: number, endsAt: number): number {
  const first = Math.floor(startsAt / DAY_MS);
  const last = Math.floor(endsAt / DAY_MS);
  if (last < first) return 0;
  const days = last - first + 1;
  const weeks = Math.floor(days / 7);
  let count = weeks * 5;
  // The partial week at the end: 1970-01-01 (day 0) was a Thursday.
  for (let d = first + weeks * 7; d <= last; d++) {
    const weekday = (d + 4) % 7; // 0 = Sunday
    if (weekday !== 0 && weekday !== 6) count++;
  }
  return count;
}

export interface MemberAvailability {
  daysOff: number;
  /** null = the sprint's working days. */
  workingDays: number | null;
}

/** One member's available days: their working days minus days off, never below 0. */
export function memberDays(sprintWorkingDays: number, a: MemberAvailability): number {
  return Math.max(0, (a.workingDays ?? sprintWorkingDays) - a.daysOff);
}

export interface CapacityInput {
  startsAt: number | null;
  endsAt: number | null;
  focusFactor: number;
  pointsPerDay: number | null;
  members: readonly MemberAvailability[];
  /** A fixed capacity in points (legacy field); wins when set. */
  fixed?: number | null;
}

export interface Capacity {
  workingDays: number;
  personDays: number;
  /** Points, or null when points per day (or the dates) are not set. */
  points: number | null;
}

export function sprintCapacity(input: CapacityInput): Capacity {
  const workingDays = input.startsAt !== null && input.endsAt !== null ? workingDaysBetween(input.startsAt, input.endsAt) : 0;
  const personDays = input.members.reduce((sum, m) => sum + memberDays(workingDays, m), 0);
  if (input.fixed !== undefined && input.fixed !== null) return { workingDays, personDays, points: input.fixed };
  if (input.pointsPerDay === null) return { workingDays, personDays, points: null };
  // One decimal: capacity is a planning aid, not an accounting figure.
  return { workingDays, personDays, points: Math.round(personDays * input.focusFactor * input.pointsPerDay * 10) / 10 };
}

export interface CapacityBar {
  estimatedPoints: number;
  unestimated: number;
  capacity: number | null;
  over: boolean;
}

/** The capacity bar's sums for a sprint's items (points null = unestimated). */
export function capacityBar(points: readonly (number | null)[], capacity: number | null): CapacityBar {
  let estimatedPoints = 0;
  let unestimated = 0;
  for (const p of points) {
    if (p === null) unestimated++;
    else estimatedPoints += p;
  }
  return { estimatedPoints, unestimated, capacity, over: capacity !== null && estimatedPoints > capacity };
}
