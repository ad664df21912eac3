/**
 * The planning-poker round. Written by the server only (POL-2): clients see who has
 * voted (`voted`), never what, until the server fills `results` at reveal. Votes before
 * reveal live in the server's private storage, never in this document (DESIGN.md,
 * "Secrets in a replicated document").
 *
 * Root `estimation` (format v1 fields, then the ones estimation adds):
 * - itemId, round, state (`voting|revealed`), voted (Y.Map<userId,true>), results (Y.Map<userId,value>)
 * - deck: the cards of the current round; startedAt, revealedAt
 * - names (Y.Map<userId,name>): display names of people who voted, for the results
 * - nonVoters (Y.Map<userId,true>): people who marked themselves as not voting
 * - autoReveal (boolean): reveal as soon as every connected voter has voted
 * - history (Y.Map<itemId, Y.Array<RoundRecord>>): every revealed round per item, so a
 *   re-vote keeps the earlier rounds. Server-written like the rest of the root.
 */
import * as Y from 'yjs';
import type { ItemId, UserId } from '../ids.ts';
import type { DeckName } from './meta.ts';
import { ROOT } from './roots.ts';
import type { RecordShape } from './shape-types.ts';
import { readNumber, type TypedMap } from './typed-map.ts';

export const ESTIMATION_STATES = ['voting', 'revealed'] as const;
export type EstimationStateName = (typeof ESTIMATION_STATES)[number];
export const isEstimationState = (v: unknown): v is EstimationStateName =>
  typeof v === 'string' && (ESTIMATION_STATES as readonly string[]).includes(v);

export interface EstimationFields {
  itemId: ItemId | null;
  round: number;
  state: EstimationStateName;
  voted: Y.Map<true>;
  results: Y.Map<string>;
  deck: readonly string[];
  startedAt: number | null;
  revealedAt: number | null;
  names: Y.Map<string>;
  nonVoters: Y.Map<true>;
  autoReveal: boolean;
  history: Y.Map<Y.Array<RoundRecord>>;
}
export type EstimationMap = TypedMap<EstimationFields>;

/** The root's keys by name. */
export const ESTIMATION_KEYS = {
  itemId: 'itemId',
  round: 'round',
  state: 'state',
  voted: 'voted',
  results: 'results',
  deck: 'deck',
  startedAt: 'startedAt',
  revealedAt: 'revealedAt',
  names: 'names',
  nonVoters: 'nonVoters',
  autoReveal: 'autoReveal',
  history: 'history',
} as const satisfies { readonly [K in keyof EstimationFields]: K };

/**
 * The server's root (POL-2): no client struct is ever admitted there, so its shape is not
 * spelled out for the gate.
 */
export const ESTIMATION_SHAPE: RecordShape = { kind: 'record', fields: {} };

export interface EstimationSnapshot {
  itemId: ItemId | null;
  round: number;
  state: EstimationStateName | null;
  voted: readonly UserId[];
  results: Readonly<Record<string, string>>;
}

/** One revealed round, kept in the item's history. */
export interface RoundRecord {
  round: number;
  itemId: string;
  deck: readonly string[];
  results: Readonly<Record<string, string>>;
  names: Readonly<Record<string, string>>;
  startedAt: number | null;
  revealedAt: number;
}

/** Everything the poker panel shows, read in one go. */
export interface PokerSnapshot {
  itemId: ItemId | null;
  round: number;
  state: EstimationStateName | null;
  deck: readonly string[];
  voted: readonly UserId[];
  results: Readonly<Record<string, string>>;
  names: Readonly<Record<string, string>>;
  nonVoters: readonly UserId[];
  autoReveal: boolean;
  startedAt: number | null;
  revealedAt: number | null;
}

/** The two cards every deck gets: "no idea" and "I need a break". */
export const UNSURE_CARD = '?';
export const COFFEE_CARD = '☕';
export const SPECIAL_CARDS: readonly string[] = [UNSURE_CARD, COFFEE_CARD];

export const estimationMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT.estimation);

/** What a new board's `estimation` holds (the server writes it once, in initBoard). */
export function writeEstimationDefaults(estimation: EstimationMap): void {
  estimation.set('itemId', null);
  estimation.set('round', 0);
  estimation.set('state', 'voting');
  estimation.set('voted', new Y.Map<true>());
  estimation.set('results', new Y.Map<string>());
}

/** The format v1 fields of the round, as boardStore shows them. */
export function readEstimation(doc: Y.Doc): EstimationSnapshot {
  const estimation = estimationMap(doc);
  const state = estimation.get('state');
  const voted = estimation.get('voted');
  const results = estimation.get('results');
  const itemId = estimation.get('itemId');
  return {
    itemId: typeof itemId === 'string' ? (itemId as ItemId) : null,
    round: readNumber(estimation.get('round')),
    state: isEstimationState(state) ? state : null,
    voted: voted instanceof Y.Map ? ([...voted.keys()] as UserId[]) : [],
    results: results instanceof Y.Map ? (Object.fromEntries(results.entries()) as Record<string, string>) : {},
  };
}

const keysOf = (v: unknown): string[] => (v instanceof Y.Map ? [...v.keys()] : []);
const entriesOf = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (v instanceof Y.Map) for (const [k, val] of v.entries()) if (typeof val === 'string') out[k] = val;
  return out;
};
const cardsOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [];

export function readPoker(doc: Y.Doc): PokerSnapshot {
  const m = estimationMap(doc);
  const state = m.get('state');
  const itemId = m.get('itemId');
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    itemId: typeof itemId === 'string' ? (itemId as ItemId) : null,
    round: num(m.get('round')) ?? 0,
    state: isEstimationState(state) ? state : null,
    deck: cardsOf(m.get('deck')),
    voted: keysOf(m.get('voted')) as UserId[],
    results: entriesOf(m.get('results')),
    names: entriesOf(m.get('names')),
    nonVoters: keysOf(m.get('nonVoters')) as UserId[],
    autoReveal: m.get('autoReveal') === true,
    startedAt: num(m.get('startedAt')),
    revealedAt: num(m.get('revealedAt')),
  };
}

/** Revealed rounds of one item, oldest first. */
export function readHistory(doc: Y.Doc, itemId: ItemId | string): RoundRecord[] {
  const history = estimationMap(doc).get('history');
  const list = history instanceof Y.Map ? history.get(itemId) : undefined;
  if (!(list instanceof Y.Array)) return [];
  return list.toArray().filter((r): r is RoundRecord => !!r && typeof r === 'object' && typeof (r as RoundRecord).round === 'number');
}

// ---------------------------------------------------------------- server-side writes

function subMap<T>(m: Y.Map<unknown>, key: string): Y.Map<T> {
  const v = m.get(key);
  if (v instanceof Y.Map) return v as Y.Map<T>;
  const fresh = new Y.Map<T>();
  m.set(key, fresh);
  return fresh;
}

function clear<T>(map: Y.Map<T>): void {
  for (const k of [...map.keys()]) map.delete(k);
}

/** Starts round `round` on an item (server only; call inside BoardHandle.change). */
export function writeRoundStart(doc: Y.Doc, input: { round: number; itemId: string; deck: readonly string[]; now: number }): void {
  const m = estimationMap(doc);
  m.set('itemId', input.itemId);
  m.set('round', input.round);
  m.set('state', 'voting');
  m.set('deck', [...input.deck]);
  m.set('startedAt', input.now);
  m.set('revealedAt', null);
  clear(subMap(m, 'voted'));
  clear(subMap(m, 'results'));
  clear(subMap(m, 'names'));
}

/**
 * Cancels the open round (server only): no item, nobody voted, nothing revealed. The round
 * number stays, so the next round is a new number and a late vote for this one is refused.
 */
export function writeRoundCancel(doc: Y.Doc): void {
  const m = estimationMap(doc);
  m.set('itemId', null);
  m.set('state', 'voting');
  m.set('startedAt', null);
  m.set('revealedAt', null);
  clear(subMap(m, 'voted'));
  clear(subMap(m, 'results'));
  clear(subMap(m, 'names'));
}

export function writeVoted(doc: Y.Doc, userId: string, name: string, voted: boolean): void {
  const m = estimationMap(doc);
  if (voted) {
    subMap<true>(m, 'voted').set(userId, true);
    subMap<string>(m, 'names').set(userId, name);
  } else {
    subMap<true>(m, 'voted').delete(userId);
  }
}

/** Reveals: fills `results` and appends the round to the item's history. */
export function writeReveal(doc: Y.Doc, votes: Readonly<Record<string, string>>, now: number): RoundRecord | null {
  const m = estimationMap(doc);
  const snap = readPoker(doc);
  if (snap.state !== 'voting' || !snap.itemId) return null;
  const results = subMap<string>(m, 'results');
  clear(results);
  for (const [user, value] of Object.entries(votes)) results.set(user, value);
  m.set('state', 'revealed');
  m.set('revealedAt', now);
  const names: Record<string, string> = {};
  for (const user of Object.keys(votes)) names[user] = snap.names[user] ?? '';
  const record: RoundRecord = {
    round: snap.round,
    itemId: snap.itemId,
    deck: snap.deck,
    results: { ...votes },
    names,
    startedAt: snap.startedAt,
    revealedAt: now,
  };
  const history = subMap<Y.Array<RoundRecord>>(m, 'history');
  let list = history.get(snap.itemId);
  if (!(list instanceof Y.Array)) {
    list = new Y.Array<RoundRecord>();
    history.set(snap.itemId, list);
  }
  list.push([record]);
  return record;
}

export function writeNonVoter(doc: Y.Doc, userId: string, nonVoting: boolean): void {
  const map = subMap<true>(estimationMap(doc), 'nonVoters');
  if (nonVoting) map.set(userId, true);
  else map.delete(userId);
}

export function writeAutoReveal(doc: Y.Doc, on: boolean): void {
  estimationMap(doc).set('autoReveal', on);
}

// ---------------------------------------------------------------- decks

/** One label per deck of DECKS (meta.ts); the type makes sure there is exactly one each. */
export const DECK_LABELS: Readonly<Record<DeckName, string>> = {
  fibonacci: 'Fibonacci',
  modifiedFibonacci: 'Modified Fibonacci',
  tshirt: 'T-shirt',
  powersOfTwo: 'Powers of two',
};

export const isDeckName = (v: unknown): v is DeckName => typeof v === 'string' && Object.hasOwn(DECK_LABELS, v);

// ---------------------------------------------------------------- results

/** The number a card stands for, or null for cards without one ('?', '☕', 'XL'). */
export function cardValue(card: string): number | null {
  const t = card.trim();
  if (t === '½') return 0.5;
  if (t === '¼') return 0.25;
  if (!/^\d+(?:[.,]\d+)?$/.test(t)) return null;
  return Number(t.replace(',', '.'));
}

export interface RoundStats {
  /** Every card of the deck (plus any off-deck value), with its count, in deck order. */
  distribution: { card: string; count: number }[];
  /** Votes that count towards the figures below ('?' and '☕' do not). */
  counted: number;
  /** True when every counted vote has a number, so a mean makes sense. */
  numeric: boolean;
  /** Numeric: the median number. Otherwise the median card by deck position. */
  median: string | null;
  mean: number | null;
  /** Lowest and highest counted cards, when they differ (the outliers to talk about). */
  min: string | null;
  max: string | null;
  /** Voters whose card is the lowest or the highest, when min ≠ max and that end is not the majority. */
  outliers: readonly string[];
  /** Everyone who counted picked the same card (and at least two did). */
  consensus: boolean;
}

const fmt = (n: number): string => (Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10));

/** Pure: the figures shown after reveal. `results` is userId → card. */
export function roundStats(deck: readonly string[], results: Readonly<Record<string, string>>): RoundStats {
  const entries = Object.entries(results);
  const order = [...deck];
  for (const [, v] of entries) if (!order.includes(v)) order.push(v);
  const distribution = order.map((card) => ({ card, count: entries.filter(([, v]) => v === card).length }));
  const counted = entries.filter(([, v]) => !SPECIAL_CARDS.includes(v));
  const numeric = counted.length > 0 && counted.every(([, v]) => cardValue(v) !== null);
  // Sort key: the number when every card has one, else the card's position in the deck.
  const key = (v: string): number => (numeric ? cardValue(v)! : order.indexOf(v));
  const sorted = counted.map(([, v]) => v).sort((a, b) => key(a) - key(b));
  let median: string | null = null;
  let mean: number | null = null;
  if (sorted.length > 0) {
    const mid = Math.floor(sorted.length / 2);
    if (numeric) {
      const nums = sorted.map((v) => cardValue(v)!);
      median = fmt(sorted.length % 2 ? nums[mid]! : (nums[mid - 1]! + nums[mid]!) / 2);
      mean = nums.reduce((a, b) => a + b, 0) / nums.length;
    } else {
      median = sorted[sorted.length % 2 ? mid : mid - 1]!;
    }
  }
  const min = sorted[0] ?? null;
  const max = sorted.at(-1) ?? null;
  const spread = min !== null && max !== null && key(min) !== key(max);
  // The people at either end explain their reasoning, unless their end is the majority
  // view (5, 5, 13: only the 13 is an outlier).
  const isOutlierEnd = (end: string) => counted.filter(([, v]) => key(v) === key(end)).length * 2 <= counted.length;
  const ends = spread ? [min!, max!].filter(isOutlierEnd).map(key) : [];
  const outliers = counted.filter(([, v]) => ends.includes(key(v))).map(([u]) => u);
  return {
    distribution,
    counted: counted.length,
    numeric,
    median,
    mean,
    min: spread ? min : null,
    max: spread ? max : null,
    outliers,
    consensus: counted.length >= 2 && !spread,
  };
}

/**
 * [UX-5] The agreed estimate to suggest after reveal: always a card of the deck. Numeric
 * votes: the deck card nearest the median (5 and 13 → median 9 → 8); on a tie the higher
 * card, since the team's doubt leans up. Otherwise (T-shirt): the median card by deck order.
 */
export function suggestedEstimate(deck: readonly string[], results: Readonly<Record<string, string>>): string | null {
  const stats = roundStats(deck, results);
  if (stats.median === null) return null;
  if (!stats.numeric) return stats.median;
  const median = Number(stats.median);
  let best: { card: string; distance: number; value: number } | null = null;
  for (const card of deck) {
    const value = cardValue(card);
    if (value === null || SPECIAL_CARDS.includes(card)) continue;
    const distance = Math.abs(value - median);
    if (!best || distance < best.distance || (distance === best.distance && value > best.value)) best = { card, distance, value };
  }
  return best?.card ?? stats.median;
}
