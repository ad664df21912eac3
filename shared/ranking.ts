/**
 * Backlog order: items sorted by (rank, id), ranks being jittered fractional index keys.
 * A move writes new ranks only; it never deletes and re-inserts (docs/SPEC.md ORD rules).
 * Everything here is pure: it plans rank writes, and the schema layer applies them in
 * one transaction.
 */
import {
  generateJitteredKeyBetween,
  generateNJitteredKeysBetween,
} from 'fractional-indexing-jittered';
import { LIMITS } from './limits.ts';

export interface Ranked {
  readonly id: string;
  readonly rank: string;
}

/** New ranks to write, by item id. */
export type RankPlan = Map<string, string>;

const RANK_PATTERN = /^[0-9A-Za-z]+$/;

/** Ranks are base62 keys, compared as plain strings (ASCII order = key order). */
export function isValidRank(rank: unknown): rank is string {
  return typeof rank === 'string' && rank.length > 0 && rank.length <= 256 && RANK_PATTERN.test(rank);
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

/** A key between two neighbours' keys (null = list end); throws if lower >= upper. */
export function keyBetween(lower: string | null, upper: string | null): string {
  return generateJitteredKeyBetween(lower, upper);
}

function keysBetween(lower: string | null, upper: string | null, n: number): string[] {
  return generateNJitteredKeysBetween(lower, upper, n);
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
  const plan: RankPlan = new Map();

  if ((lower === undefined || isValidRank(lower.rank)) && (upper === undefined || isValidRank(upper.rank))) {
    const lo = lower?.rank ?? null;
    const hi = upper?.rank ?? null;
    if (lo === null || hi === null || lo < hi) {
      plan.set(entryId, keyBetween(lo, hi));
      return withRespreadIfLong(plan, others, entryId, index);
    }
    if (lo === hi) return planTieRekey(others, entryId, index);
  }
  return planFullRekey(others, entryId, index);
}

/** Plans moving `id` (present in `ordered`) so it ends up at `toIndex` of the result. */
export function planMove(ordered: readonly Ranked[], id: string, toIndex: number): RankPlan {
  const others = ordered.filter((entry) => entry.id !== id);
  return planPlacement(others, id, toIndex);
}

/** Re-keys the run of equal ranks around the slot, bounded by its distinct neighbours. */
function planTieRekey(others: readonly Ranked[], entryId: string, index: number): RankPlan {
  const tied = others[index]!.rank;
  let start = index - 1;
  while (start > 0 && others[start - 1]!.rank === tied) start--;
  let end = index; // exclusive end of the run
  while (end < others.length && others[end]!.rank === tied) end++;
  const before = others[start - 1];
  const after = others[end];
  if ((before && !isValidRank(before.rank)) || (after && !isValidRank(after.rank))) {
    return planFullRekey(others, entryId, index);
  }
  const runIds = others.slice(start, end).map((entry) => entry.id);
  runIds.splice(index - start, 0, entryId);
  const keys = keysBetween(before?.rank ?? null, after?.rank ?? null, runIds.length);
  return new Map(runIds.map((id, i) => [id, keys[i]!]));
}

/** Evenly spaced fresh keys for the whole list with the entry at `index` [ORD-5]. */
function planFullRekey(others: readonly Ranked[], entryId: string, index: number): RankPlan {
  const ids = others.map((entry) => entry.id);
  ids.splice(index, 0, entryId);
  const keys = keysBetween(null, null, ids.length);
  return new Map(ids.map((id, i) => [id, keys[i]!]));
}

function withRespreadIfLong(plan: RankPlan, others: readonly Ranked[], entryId: string, index: number): RankPlan {
  const key = plan.get(entryId)!;
  return key.length > LIMITS.maxRankLength ? planFullRekey(others, entryId, index) : plan;
}

/** Keys for `n` entries appended after `last` (null = empty list), e.g. for imports. */
export function planAppend(last: string | null, n: number): string[] {
  return keysBetween(last !== null && isValidRank(last) ? last : null, null, n);
}
