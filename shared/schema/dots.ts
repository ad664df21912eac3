/**
 * Dot voting. A round lives in `session.dotVoting` (facilitators write it, POL-11); each
 * person's dots live in `items.<id>.dots.<userId>` (only that person writes their key,
 * POL-7, within the round budget, POL-8). The server enforces both; these helpers are
 * what the UI calls so it never writes a change the server would refuse.
 *
 * Anonymous rounds hide *who* in the UI only: the document still carries each person's
 * userId key, because the server must check "your own key" and "within your budget"
 * and each person must find and remove their own dots. See docs/protocol.md.
 */
import * as Y from 'yjs';
import { isIdLike, type ItemId, type UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { ROOT } from './roots.ts';
import type { MapOfShape, ValueShape } from './shape-types.ts';
import { readNumber } from './typed-map.ts';
import { count, exactObject, isCount, isFiniteNumber, nullable, value } from './values.ts';

/**
 * `session` key of the board setting "stakeholders may place dots" (POL-19): true lets
 * stakeholders vote in dot rounds like the team; absent or false (old boards) they may not.
 */
export const STAKEHOLDER_DOTS_KEY = 'stakeholderDots';

/** `session` key holding the current (or last) dot-voting round. */
export const DOT_VOTING_KEY = 'dotVoting';
/** The item key holding its dots (`items.<id>.dots.<userId>`). */
export const DOTS_KEY = 'dots';
/** Dots per person for a round when the facilitator picks none (`session.dotBudget`). */
export const DEFAULT_DOT_BUDGET = 3;
export const MAX_DOT_BUDGET = 50;

export interface DotVoting {
  /** Increases with every round opened on the board. */
  round: number;
  open: boolean;
  anonymous: boolean;
  /** Dots each person may place across all items in this round. */
  budget: number;
  openedAt: number;
  closedAt: number | null;
}

const sessionMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.session);
const itemsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.items);

/** Validates a stored round (any client could have written junk before the gate existed). */
export function parseDotVoting(raw: unknown): DotVoting | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as Record<string, unknown>;
  const budget = readNumber(r.budget, DEFAULT_DOT_BUDGET);
  return {
    round: readNumber(r.round),
    open: r.open === true,
    anonymous: r.anonymous === true,
    budget: Number.isInteger(budget) && budget >= 0 ? budget : DEFAULT_DOT_BUDGET,
    openedAt: readNumber(r.openedAt),
    closedAt: typeof r.closedAt === 'number' ? r.closedAt : null,
  };
}

export const readDotVoting = (doc: Y.Doc): DotVoting | null => parseDotVoting(sessionMap(doc).get(DOT_VOTING_KEY));

/** A valid dot count: a whole number, zero or more. */
export const isDotCount: (v: unknown) => v is number = isCount;

/** A round's budget, and `session.dotBudget`: a whole number 1..MAX_DOT_BUDGET. */
export const isDotBudget = (v: unknown): boolean => isDotCount(v) && v >= 1 && v <= MAX_DOT_BUDGET;

/** `items.<id>.dots`: the user id → whole number ≥ 0 map (POL-7, POL-8 in the gate). */
export const DOTS_SHAPE: MapOfShape = {
  kind: 'mapOf',
  key: isIdLike,
  keyWhat: 'a user id',
  value: count,
  maxEntries: LIMITS.maxConnectionsPerBoard * 4,
};

/** `session.dotVoting`: a whole round, replaced whole. */
export const DOT_VOTING_SHAPE: ValueShape = value(
  'a dot-voting round',
  exactObject({
    round: isDotCount,
    open: (v) => typeof v === 'boolean',
    anonymous: (v) => typeof v === 'boolean',
    budget: isDotBudget,
    openedAt: isFiniteNumber,
    closedAt: nullable(isFiniteNumber),
  }),
);

/** `session.stakeholderDots`: a plain boolean. */
export const STAKEHOLDER_DOTS_SHAPE: ValueShape = value('true or false', (v) => typeof v === 'boolean');

/** May stakeholders place dots on this board (POL-19)? Old boards: no. */
export const readStakeholderDots = (doc: Y.Doc): boolean => sessionMap(doc).get(STAKEHOLDER_DOTS_KEY) === true;

/** Facilitators let stakeholders dot-vote, or stop them (a session write, POL-11). */
export function setStakeholderDots(doc: Y.Doc, allowed: boolean, origin?: unknown): void {
  doc.transact(() => sessionMap(doc).set(STAKEHOLDER_DOTS_KEY, allowed), origin);
}

/** The dots map of an item, if the item exists. */
function dotsOf(doc: Y.Doc, itemId: string): Y.Map<unknown> | null {
  const item = itemsMap(doc).get(itemId);
  if (!(item instanceof Y.Map)) return null;
  const dots = item.get(DOTS_KEY);
  return dots instanceof Y.Map ? dots : null;
}

/** Dots `userId` has placed across every item. */
export function dotsUsedBy(doc: Y.Doc, userId: UserId | string): number {
  let used = 0;
  itemsMap(doc).forEach((item) => {
    if (!(item instanceof Y.Map)) return;
    const dots = item.get(DOTS_KEY);
    if (dots instanceof Y.Map) {
      const n = dots.get(userId);
      if (isDotCount(n)) used += n;
    }
  });
  return used;
}

export function myDotsOn(doc: Y.Doc, itemId: ItemId | string, userId: UserId | string): number {
  const n = dotsOf(doc, itemId)?.get(userId);
  return isDotCount(n) ? n : 0;
}

/**
 * Opens a new round (facilitators): clears every dot of the previous round and sets the
 * budget, in one transaction so nobody ever sees old dots counted against a new budget.
 */
export function openDotRound(
  doc: Y.Doc,
  opts: { budget?: number; anonymous?: boolean; now?: number },
  origin?: unknown,
): DotVoting {
  const prev = readDotVoting(doc);
  const budget = Math.min(MAX_DOT_BUDGET, Math.max(1, Math.floor(opts.budget ?? DEFAULT_DOT_BUDGET)));
  const round: DotVoting = {
    round: (prev?.round ?? 0) + 1,
    open: true,
    anonymous: opts.anonymous === true,
    budget,
    openedAt: opts.now ?? Date.now(),
    closedAt: null,
  };
  doc.transact(() => {
    clearAllDots(doc);
    const session = sessionMap(doc);
    session.set(DOT_VOTING_KEY, round);
    session.set('dotBudget', budget);
  }, origin);
  return round;
}

/** Closes the open round; dots stay visible so the team can sort by them. */
export function closeDotRound(doc: Y.Doc, now = Date.now(), origin?: unknown): void {
  const prev = readDotVoting(doc);
  if (!prev?.open) return;
  doc.transact(() => sessionMap(doc).set(DOT_VOTING_KEY, { ...prev, open: false, closedAt: now }), origin);
}

/** Removes every dot on the board (facilitators only, POL-7). */
export function clearAllDots(doc: Y.Doc, origin?: unknown): void {
  doc.transact(() => {
    itemsMap(doc).forEach((item) => {
      if (!(item instanceof Y.Map)) return;
      const dots = item.get(DOTS_KEY);
      if (dots instanceof Y.Map) for (const key of [...dots.keys()]) dots.delete(key);
    });
  }, origin);
}

export type DotRefusal = 'no-round' | 'budget' | 'none-placed' | 'no-item';

/**
 * Places (`delta` = +1) or removes (`delta` = -1) one of `userId`'s dots on an item.
 * Refuses, without writing, what the server would refuse (POL-7, POL-8).
 */
export function changeMyDots(
  doc: Y.Doc,
  itemId: ItemId | string,
  userId: UserId | string,
  delta: 1 | -1,
  origin?: unknown,
): DotRefusal | null {
  const dots = dotsOf(doc, itemId);
  if (!dots) return 'no-item';
  const mine = myDotsOn(doc, itemId, userId);
  if (delta < 0) {
    if (mine === 0) return 'none-placed';
    doc.transact(() => (mine === 1 ? dots.delete(userId) : dots.set(userId, mine - 1)), origin);
    return null;
  }
  const voting = readDotVoting(doc);
  if (!voting?.open) return 'no-round';
  if (dotsUsedBy(doc, userId) + 1 > voting.budget) return 'budget';
  doc.transact(() => dots.set(userId, mine + 1), origin);
  return null;
}

/**
 * A copy of `items` ordered by dot total (most first); equal totals keep their backlog
 * order. The ranked backlog itself is untouched: this is a view, never a write.
 */
export function sortByDots<T extends { dotTotal: number }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => b.item.dotTotal - a.item.dotTotal || a.index - b.index)
    .map((e) => e.item);
}

/** Dots `userId` may still place in the open round (0 when no round is open). */
export function dotBudgetLeft(doc: Y.Doc, userId: UserId | string): number {
  const round = readDotVoting(doc);
  if (!round?.open) return 0;
  return Math.max(0, round.budget - dotsUsedBy(doc, userId));
}
