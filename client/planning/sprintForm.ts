/**
 * The sprint form's values as the person types them (date inputs give "YYYY-MM-DD"), and
 * the messages for bad input, checked before anything is sent. Dates are calendar days:
 * a day is stored as its UTC midnight, so every time zone reads back the same day.
 */
import { LIMITS } from '../../shared/limits.ts';

export interface SprintFormValues {
  name: string;
  goal: string;
  /** "YYYY-MM-DD" or "" */
  start: string;
  end: string;
}

export type SprintFormErrors = Partial<Record<keyof SprintFormValues, string>>;

export const DAY_MS = 86_400_000;

/** "YYYY-MM-DD" → UTC midnight ms, or null for an empty or impossible date. */
export function dayToMs(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === day ? ms : null;
}

/** ms → "YYYY-MM-DD" (UTC day), "" for null. */
export const msToDay = (ms: number | null): string => (ms === null || !Number.isFinite(ms) ? '' : new Date(ms).toISOString().slice(0, 10));

export interface SprintFormLimits {
  maxName: number;
  maxGoal: number;
}

export const DEFAULT_FORM_LIMITS: SprintFormLimits = { maxName: LIMITS.maxFieldLength, maxGoal: LIMITS.maxCommentLength };

export function validateSprintForm(v: SprintFormValues, limits: SprintFormLimits = DEFAULT_FORM_LIMITS): SprintFormErrors {
  const errors: SprintFormErrors = {};
  const name = v.name.trim();
  if (!name) errors.name = 'Give the sprint a name.';
  else if (name.length > limits.maxName) errors.name = `The name is too long: ${name.length.toLocaleString()} characters, at most ${limits.maxName}.`;
  if (v.goal.trim().length > limits.maxGoal) errors.goal = `The goal is too long: at most ${limits.maxGoal.toLocaleString()} characters.`;
  const start = dayToMs(v.start);
  const end = dayToMs(v.end);
  if (!v.start) errors.start = 'Choose the first day of the sprint.';
  else if (start === null) errors.start = 'This is not a date.';
  if (!v.end) errors.end = 'Choose the last day of the sprint.';
  else if (end === null) errors.end = 'This is not a date.';
  if (start !== null && end !== null && end < start) errors.end = 'The sprint ends before it starts: choose an end date on or after the start date.';
  return errors;
}

export const hasErrors = (e: object): boolean => Object.keys(e).length > 0;

/** "Sprint 7" → "Sprint 8"; a name without a number gets " 2". */
export function nextSprintName(last: string | null): string {
  if (!last) return 'Sprint 1';
  const m = /^(.*?)(\d+)$/.exec(last.trim());
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${last.trim()} 2`;
}

/** Saturday or Sunday (UTC calendar day) → the Monday after. */
function toWeekday(ms: number): number {
  const dow = new Date(ms).getUTCDay();
  return dow === 6 ? ms + 2 * DAY_MS : dow === 0 ? ms + DAY_MS : ms;
}

/**
 * The proposed next sprint: named after the last one, starting on the first weekday after
 * it ends, as long as it was; with no sprint yet, two weeks from next Monday.
 */
export function proposeNextSprint(last: { name: string; startsAt: number | null; endsAt: number | null } | null, today: number): SprintFormValues {
  const todayDay = Math.floor(today / DAY_MS) * DAY_MS;
  if (last?.startsAt != null && last.endsAt != null && last.endsAt >= last.startsAt) {
    const start = toWeekday(last.endsAt + DAY_MS);
    return { name: nextSprintName(last.name), goal: '', start: msToDay(start), end: msToDay(start + (last.endsAt - last.startsAt)) };
  }
  const dow = new Date(todayDay).getUTCDay();
  const monday = todayDay + ((8 - dow) % 7 || 7) * DAY_MS;
  return { name: nextSprintName(last?.name ?? null), goal: '', start: msToDay(monday), end: msToDay(monday + 11 * DAY_MS) };
}
