/**
 * Value checks the record shapes share (an id, a time, a name, …), each with the words a
 * refusal uses. The record modules build their shapes from these; limits come from LIMITS.
 */
import { isIdLike } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import type { ValueShape } from './shape-types.ts';

export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStringOf =
  (max: number) =>
  (v: unknown): v is string =>
    typeof v === 'string' && v.length <= max;
export const nullable =
  (check: (v: unknown) => boolean) =>
  (v: unknown): boolean =>
    v === null || check(v);
/** A whole number, zero or more (dot counts, read markers, round numbers). */
export const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** A plain object with exactly these keys (missing keys allowed when `optional`). */
export function exactObject(fields: Record<string, (v: unknown) => boolean>, optional: readonly string[] = []) {
  const keys = Object.keys(fields);
  return (v: unknown): boolean => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!Object.hasOwn(fields, k)) return false;
    return keys.every((k) => (Object.hasOwn(o, k) ? fields[k]!(o[k]) : optional.includes(k)));
  };
}

export const value = (what: string, accepts: (v: unknown) => boolean): ValueShape => ({ kind: 'value', accepts, what });

export const id = value('an id (6–64 letters, digits, - or _)', isIdLike);
export const nullableId = value('an id or null', nullable(isIdLike));
export const time = value('a time (ms since the epoch)', isFiniteNumber);
export const nullableTime = value('a time or null', nullable(isFiniteNumber));
export const name = value(`a name of at most ${LIMITS.maxDisplayNameLength} characters`, isStringOf(LIMITS.maxDisplayNameLength));
export const nullableName = value('a name or null', nullable(isStringOf(LIMITS.maxDisplayNameLength)));
export const longText = value(`text of at most ${LIMITS.maxCommentLength} characters`, isStringOf(LIMITS.maxCommentLength));
export const nullableLongText = value('text or null', nullable(isStringOf(LIMITS.maxCommentLength)));
export const field = value(`text of at most ${LIMITS.maxFieldLength} characters`, isStringOf(LIMITS.maxFieldLength));
export const count = value('a whole number ≥ 0', isCount);
