/**
 * Backlog order: items sorted by (rank, id), ranks being jittered fractional index keys.
 * A move writes new ranks only; it never deletes and re-inserts (docs/SPEC.md ORD rules).
 * Everything here is pure: it plans rank writes, and the schema layer applies them in
 * one transaction.
 */
import { generateNJitteredKeysBetween } from 'fractional-indexing-jittered';
import { LIMITS } from './limits.ts';

export interface Ranked {
  readonly id: string;
  readonly rank: string;
}

/** New ranks to write, by item id. */
export type RankPlan = Map<string, string>;

const RANK_PATTERN = /^[0-9A-Za-z]+$/;
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Length of a key's integer part, or < 2 if its head is not one we accept. The head
 * character says how many digits follow: 'a'..'y' → 1..25 (positive), 'Z'..'B' → 1..25
 * (negative). The library's 'z'/'A' heads extend past that, but only after about 62^24
 * appends, and the library itself throws on some of them, so a rank using one is junk.
 */
function integerPartLength(key: string): number {
  const d = DIGITS.indexOf(key[0] ?? '');
  if (d >= DIGITS.indexOf('a') && d < DIGITS.indexOf('z')) return d - DIGITS.indexOf('a') + 2;
  if (d > DIGITS.indexOf('A') && d <= DIGITS.indexOf('Z')) return DIGITS.indexOf('Z') - d + 2;
  return -1;
}

/**
 * Ranks are base62 fractional keys, compared as plain strings (ASCII order = key order).
 * Valid means the key library can build on it: a well-formed integer part, and a
 * fraction that does not end in '0' (nothing fits between 'a0' and 'a00').
 */
export function isValidRank(rank: unknown): rank is string {
  if (typeof rank !== 'string' || rank.length === 0 || rank.length > 256 || !RANK_PATTERN.test(rank)) return false;
  const intLength = integerPartLength(rank);
  if (intLength < 2 || intLength > rank.length) return false;
  return rank.length === intLength || !rank.endsWith('0');
}

/** [ORD-1] order by rank, [ORD-2] equal ranks order by id: the same everywhere. */
export function compareRanked(a: Ranked, b: Ranked): number {
  if (a.rank !== b.rank) return a.rank < b.rank ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return 0;
}

export function sortRanked<T extends Ranked>(items: Iterable<T>): T[] {
  return [...items].sort(compareRanked);
}

function keysBetween(lower: string | null, upper: string | null, n: number): string[] {
  return generateNJitteredKeysBetween(lower, upper, n);
}

/** Keys between two neighbours, or null where the library gives up on an odd key. */
function tryKeysBetween(lower: string | null, upper: string | null, n: number): string[] | null {
  try {
    return keysBetween(lower, upper, n);
  } catch {
    return null;
  }
}

/**
 * Plans the rank writes that put a new or moved entry at `toIndex` of `others`
 * (the ordered list without that entry). Normally one key; when the neighbours at the
 * slot share a rank (a tie) nothing fits between them, so the whole tied run is re-keyed
 * with the entry in place [ORD-4]. Invalid ranks from older or foreign clients are
 * healed the same way, by re-keying the whole list.
 */
export function planPlacement(others: readonly Ranked[], entryId: string, toIndex: number): RankPlan {
  const index = Math.max(0, Math.min(toIndex, others.length));
  const lower = others[index - 1];
  const upper = others[index];
  if ((lower === undefined || isValidRank(lower.rank)) && (upper === undefined || isValidRank(upper.rank))) {
    const lo = lower?.rank ?? null;
    const hi = upper?.rank ?? null;
    if (lo === null || hi === null || lo < hi) {
      const keys = tryKeysBetween(lo, hi, 1);
      if (keys && keysFit(keys, lo, hi)) return new Map([[entryId, keys[0]!]]);
    } else if (lo === hi) {
      const plan = planTieRekey(others, entryId, index);
      if (plan) return plan;
    }
  }
  return planFullRekey(others, entryId, index);
}

/**
 * True if `keys` ascend strictly between `lo` and `hi`, and each is valid and short.
 * A long key means the slot is crowded, so the caller re-spreads the list [ORD-5].
 */
function keysFit(keys: readonly string[], lo: string | null, hi: string | null): boolean {
  let prev = lo;
  for (const key of keys) {
    if (!isValidRank(key) || key.length > LIMITS.maxRankLength || (prev !== null && key <= prev)) return false;
    prev = key;
  }
  return hi === null || prev === null || prev < hi;
}

/**
 * Re-keys the run of equal ranks around the slot, bounded by its distinct neighbours;
 * null when the neighbours are invalid or the run does not fit between them.
 */
function planTieRekey(others: readonly Ranked[], entryId: string, index: number): RankPlan | null {
  const tied = others[index]!.rank;
  let start = index - 1;
  while (start > 0 && others[start - 1]!.rank === tied) start--;
  let end = index; // exclusive end of the run
  while (end < others.length && others[end]!.rank === tied) end++;
  const before = others[start - 1];
  const after = others[end];
  if ((before && !isValidRank(before.rank)) || (after && !isValidRank(after.rank))) return null;
  const lo = before?.rank ?? null;
  const hi = after?.rank ?? null;
  const runIds = others.slice(start, end).map((entry) => entry.id);
  runIds.splice(index - start, 0, entryId);
  const keys = tryKeysBetween(lo, hi, runIds.length);
  return keys && keysFit(keys, lo, hi) ? new Map(runIds.map((id, i) => [id, keys[i]!])) : null;
}

/** Evenly spaced fresh keys for the whole list with the entry at `index` [ORD-5]. */
function planFullRekey(others: readonly Ranked[], entryId: string, index: number): RankPlan {
  const ids = others.map((entry) => entry.id);
  ids.splice(index, 0, entryId);
  const keys = keysBetween(null, null, ids.length);
  return new Map(ids.map((id, i) => [id, keys[i]!]));
}

/**
 * Plans appending `newIds` after the last of `ordered`. When the last rank is junk no
 * key is sure to sort after it, so the whole list is re-spread with the new ids at the
 * end [ORD-5].
 */
export function planAppendAll(ordered: readonly Ranked[], newIds: readonly string[]): RankPlan {
  const last = ordered.at(-1)?.rank ?? null;
  if (last === null || isValidRank(last)) {
    const keys = tryKeysBetween(last, null, newIds.length);
    if (keys && keysFit(keys, last, null)) return new Map(newIds.map((id, i) => [id, keys[i]!]));
  }
  const ids = [...ordered.map((entry) => entry.id), ...newIds];
  const keys = keysBetween(null, null, ids.length);
  return new Map(ids.map((id, i) => [id, keys[i]!]));
}
