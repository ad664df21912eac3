/**
 * The capacity editor's arithmetic and its messages for bad input: working days in the
 * sprint (Monday to Friday, first and last day included), each person's days off, and the
 * team's points per available person-day times a focus factor.
 */
import { DAY_MS } from './sprintForm.ts';

/** Monday–Friday days from `startsAt` to `endsAt`, both included (UTC calendar days). */
export function workingDays(startsAt: number | null, endsAt: number | null): number {
  if (startsAt === null || endsAt === null || endsAt < startsAt) return 0;
  let n = 0;
  for (let d = startsAt; d <= endsAt; d += DAY_MS) {
    const dow = new Date(d).getUTCDay();
    if (dow !== 0 && dow !== 6) n++;
  }
  return n;
}

export interface CapacityFormValues {
  /** userId → days off, as typed. */
  daysOff: Readonly<Record<string, string>>;
  pointsPerDay: string;
  /** Percent, as typed ("80"). */
  focus: string;
}

export interface CapacityResult {
  /** Per person: available days, or an error message. */
  people: Readonly<Record<string, { available: number } | { error: string }>>;
  pointsPerDay: number | { error: string };
  focus: number | { error: string };
  /** Points, rounded to one decimal; null while any input is wrong. */
  capacity: number | null;
}

const num = (s: string): number | null => (s.trim() === '' ? null : Number.isFinite(Number(s)) ? Number(s) : null);

export function computeCapacity(v: CapacityFormValues, days: number): CapacityResult {
  const people: Record<string, { available: number } | { error: string }> = {};
  let personDays = 0;
  let ok = true;
  for (const [user, raw] of Object.entries(v.daysOff)) {
    const off = raw.trim() === '' ? 0 : num(raw);
    if (off === null) people[user] = { error: 'Enter a number of days.' };
    else if (off < 0) people[user] = { error: 'Days off can’t be negative.' };
    else if (off > days) people[user] = { error: `At most ${days}: the sprint has ${days} working days.` };
    else {
      people[user] = { available: days - off };
      personDays += days - off;
      continue;
    }
    ok = false;
  }
  const ppd = num(v.pointsPerDay);
  const pointsPerDay = ppd === null ? { error: 'Enter points per person-day.' } : ppd < 0 ? { error: 'Points per day can’t be negative.' } : ppd > 100 ? { error: 'At most 100 points per day.' } : ppd;
  const f = num(v.focus);
  const focus = f === null ? { error: 'Enter a focus factor in percent.' } : f <= 0 || f > 100 ? { error: 'The focus factor is a percentage above 0, at most 100.' } : f;
  if (typeof pointsPerDay !== 'number' || typeof focus !== 'number') ok = false;
  const capacity = ok ? Math.round(personDays * (pointsPerDay as number) * ((focus as number) / 100) * 10) / 10 : null;
  return { people, pointsPerDay, focus, capacity };
}
