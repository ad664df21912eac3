/**
 * Async planning poker (EST-12…17): rounds with a deadline instead of a live reveal, one
 * per item, several open at once. Written by the server only, like the rest of the
 * `estimation` root (POL-2). Votes and their comments stay in the server's private store
 * until reveal (EST-1); the document shows *who* has voted, never what.
 *
 * `estimation.async` (Y.Map<itemId, Y.Map>), one round per item (the latest):
 * - round (number, unique per board: `estimation.asyncRound` counts them), itemId, deck
 * - startedAt, startedBy (userId), deadline (ms since epoch)
 * - state: `voting` | `revealed`; revealedAt, revealReason (`deadline|all-voted|facilitator`)
 * - invited (Y.Map<userId, name>): who is asked to vote; empty = every team member
 * - voted (Y.Map<userId, true>), names (Y.Map<userId, name>): who has voted
 * - results (Y.Map<userId, card>), notes (Y.Map<userId, {comment, confidence}>): at reveal
 * A revealed round is also appended to `estimation.history.<itemId>` like a live one.
 */
import * as Y from 'yjs';
import type { ItemId, UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { canVote } from '../policy/can.ts';
import type { Role } from '../roles.ts';
import { estimationMap, type RoundRecord } from './estimation.ts';
import { readNumber } from './typed-map.ts';

export const ASYNC_KEY = 'async';
/** The board's async round counter (so round numbers never repeat on a board). */
export const ASYNC_COUNTER_KEY = 'asyncRound';

export const CONFIDENCES = ['low', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export const isConfidence = (v: unknown): v is Confidence =>
  typeof v === 'string' && (CONFIDENCES as readonly string[]).includes(v);

export const REVEAL_REASONS = ['deadline', 'all-voted', 'facilitator'] as const;
export type RevealReason = (typeof REVEAL_REASONS)[number];

/** What a voter may add to an async vote, shown at reveal. */
export interface VoteNote {
  comment: string;
  confidence: Confidence | null;
}

export interface AsyncRound {
  round: number;
  itemId: ItemId;
  deck: readonly string[];
  startedAt: number;
  startedBy: UserId | null;
  deadline: number;
  state: 'voting' | 'revealed';
  /** userId → name; empty: every team member may vote and only the deadline reveals. */
  invited: Readonly<Record<string, string>>;
  voted: readonly UserId[];
  names: Readonly<Record<string, string>>;
  results: Readonly<Record<string, string>>;
  notes: Readonly<Record<string, VoteNote>>;
  revealedAt: number | null;
  revealReason: RevealReason | null;
}

/** One revealed async round as kept in the item's history (a live RoundRecord plus the notes). */
export interface AsyncRoundRecord extends RoundRecord {
  async: true;
  deadline: number;
  notes: Readonly<Record<string, VoteNote>>;
}

// ---------------------------------------------------------------- pure rules

/**
 * A vote's note as the server stores it, or why not: the comment is trimmed, single-line
 * free text of at most LIMITS.maxVoteCommentLength code points; confidence low/high or none.
 */
export function parseVoteNote(comment: unknown, confidence: unknown): { ok: true; note: VoteNote } | { ok: false; reason: string } {
  if (comment !== undefined && comment !== null && typeof comment !== 'string') return { ok: false, reason: '"comment" must be a string' };
  const text = typeof comment === 'string' ? comment.trim() : '';
  if ([...text].length > LIMITS.maxVoteCommentLength) {
    return { ok: false, reason: `"comment" is longer than ${LIMITS.maxVoteCommentLength} characters` };
  }
  if ([...text].some((ch) => ch.codePointAt(0)! < 0x20 || ch.codePointAt(0) === 0x7f)) {
    return { ok: false, reason: '"comment" contains control characters' };
  }
  if (confidence !== undefined && confidence !== null && !isConfidence(confidence)) {
    return { ok: false, reason: '"confidence" must be "low", "high" or null' };
  }
  return { ok: true, note: { comment: text, confidence: isConfidence(confidence) ? confidence : null } };
}

/** May `me` vote in `round` at all (role, invitation), before the round's state? */
export function isInvited(round: Pick<AsyncRound, 'invited'>, me: { userId: string; role: Role }): boolean {
  if (!canVote(me.role)) return false;
  const invited = Object.keys(round.invited);
  return invited.length === 0 || invited.includes(me.userId);
}

/**
 * Why a voting round should be revealed now, or null (EST-14): its deadline has come, or
 * every invited voter has voted (a round open to the whole team waits for its deadline).
 */
export function revealDue(round: AsyncRound, now: number): RevealReason | null {
  if (round.state !== 'voting') return null;
  if (now >= round.deadline) return 'deadline';
  const invited = Object.keys(round.invited);
  if (invited.length > 0 && invited.every((u) => round.voted.includes(u as UserId))) return 'all-voted';
  return null;
}

/** The open rounds waiting for `me`'s estimate, earliest deadline first (EST-13). */
export function waitingFor(rounds: readonly AsyncRound[], me: { userId: string; role: Role }): AsyncRound[] {
  return rounds
    .filter((r) => r.state === 'voting' && isInvited(r, me) && !r.voted.includes(me.userId as UserId))
    .sort((a, b) => a.deadline - b.deadline || a.round - b.round);
}

/** "in 3 h", "in 2 d", "in 5 min", "now": how far a deadline is, for people. */
export function timeLeft(deadline: number, now: number): string {
  const ms = deadline - now;
  if (ms <= 0) return 'now';
  const min = Math.ceil(ms / 60_000);
  if (min < 60) return `in ${min} min`;
  const h = Math.round(ms / 3_600_000);
  if (h < 48) return `in ${h} h`;
  return `in ${Math.round(ms / 86_400_000)} d`;
}

// ---------------------------------------------------------------- readers

const recordOf = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (v instanceof Y.Map) for (const [k, val] of v.entries()) if (typeof val === 'string') out[k] = val;
  return out;
};

function notesOf(v: unknown): Record<string, VoteNote> {
  const out: Record<string, VoteNote> = {};
  if (!(v instanceof Y.Map)) return out;
  for (const [k, raw] of v.entries()) {
    const r = (raw ?? {}) as { comment?: unknown; confidence?: unknown };
    out[k] = { comment: typeof r.comment === 'string' ? r.comment : '', confidence: isConfidence(r.confidence) ? r.confidence : null };
  }
  return out;
}

function readRound(m: Y.Map<unknown>): AsyncRound | null {
  const itemId = m.get('itemId');
  const round = m.get('round');
  if (typeof itemId !== 'string' || typeof round !== 'number') return null;
  const deck = m.get('deck');
  const state = m.get('state');
  const reason = m.get('revealReason');
  const startedBy = m.get('startedBy');
  const revealedAt = m.get('revealedAt');
  const voted = m.get('voted');
  return {
    round,
    itemId: itemId as ItemId,
    deck: Array.isArray(deck) ? deck.filter((c): c is string => typeof c === 'string') : [],
    startedAt: readNumber(m.get('startedAt')),
    startedBy: typeof startedBy === 'string' ? (startedBy as UserId) : null,
    deadline: readNumber(m.get('deadline')),
    state: state === 'revealed' ? 'revealed' : 'voting',
    invited: recordOf(m.get('invited')),
    voted: voted instanceof Y.Map ? ([...voted.keys()] as UserId[]) : [],
    names: recordOf(m.get('names')),
    results: recordOf(m.get('results')),
    notes: notesOf(m.get('notes')),
    revealedAt: typeof revealedAt === 'number' ? revealedAt : null,
    revealReason: (REVEAL_REASONS as readonly unknown[]).includes(reason) ? (reason as RevealReason) : null,
  };
}

const asyncMap = (doc: Y.Doc): Y.Map<unknown> | null => {
  const m = estimationMap(doc).get(ASYNC_KEY);
  return m instanceof Y.Map ? m : null;
};

/** Every async round on the board (the latest per item); none on old boards. */
export function readAsyncRounds(doc: Y.Doc): AsyncRound[] {
  const out: AsyncRound[] = [];
  asyncMap(doc)?.forEach((v) => {
    const r = v instanceof Y.Map ? readRound(v) : null;
    if (r) out.push(r);
  });
  return out.sort((a, b) => a.round - b.round);
}

export function readAsyncRound(doc: Y.Doc, itemId: ItemId | string): AsyncRound | null {
  const v = asyncMap(doc)?.get(itemId);
  return v instanceof Y.Map ? readRound(v) : null;
}

export function findAsyncRound(doc: Y.Doc, round: number): AsyncRound | null {
  return readAsyncRounds(doc).find((r) => r.round === round) ?? null;
}

/**
 * People the board knows as voters, for the invite list: everyone who has voted or been
 * invited in any round (names kept in the document), newest name wins.
 */
export function knownVoters(doc: Y.Doc): Record<string, string> {
  const out: Record<string, string> = {};
  const history = estimationMap(doc).get('history');
  if (history instanceof Y.Map) {
    history.forEach((list) => {
      if (list instanceof Y.Array) for (const r of list.toArray()) Object.assign(out, (r as RoundRecord)?.names ?? {});
    });
  }
  Object.assign(out, recordOf(estimationMap(doc).get('names')));
  for (const r of readAsyncRounds(doc)) Object.assign(out, r.invited, r.names);
  for (const k of Object.keys(out)) if (!out[k]) delete out[k];
  return out;
}

// ---------------------------------------------------------------- server-side writes

function child(m: Y.Map<unknown>, key: string): Y.Map<unknown> {
  const v = m.get(key);
  if (v instanceof Y.Map) return v;
  const fresh = new Y.Map<unknown>();
  m.set(key, fresh);
  return fresh;
}

/** Opens an async round on an item (server only, inside BoardHandle.change); returns its number. */
export function writeAsyncStart(
  doc: Y.Doc,
  input: { itemId: string; deck: readonly string[]; now: number; deadline: number; startedBy: string; invited: Readonly<Record<string, string>> },
): number {
  const est = estimationMap(doc);
  const round = readNumber(est.get(ASYNC_COUNTER_KEY)) + 1;
  est.set(ASYNC_COUNTER_KEY, round);
  const m = new Y.Map<unknown>();
  child(est, ASYNC_KEY).set(input.itemId, m);
  m.set('round', round);
  m.set('itemId', input.itemId);
  m.set('deck', [...input.deck]);
  m.set('startedAt', input.now);
  m.set('startedBy', input.startedBy);
  m.set('deadline', input.deadline);
  m.set('state', 'voting');
  m.set('revealedAt', null);
  m.set('revealReason', null);
  const invited = new Y.Map<unknown>();
  m.set('invited', invited);
  for (const [u, name] of Object.entries(input.invited)) invited.set(u, name);
  m.set('voted', new Y.Map<unknown>());
  m.set('names', new Y.Map<unknown>());
  m.set('results', new Y.Map<unknown>());
  m.set('notes', new Y.Map<unknown>());
  return round;
}

function roundMap(doc: Y.Doc, round: number): Y.Map<unknown> | null {
  let found: Y.Map<unknown> | null = null;
  asyncMap(doc)?.forEach((v) => {
    if (v instanceof Y.Map && v.get('round') === round) found = v;
  });
  return found;
}

/** Marks that `userId` has voted (never what). False if the round is not open. */
export function writeAsyncVoted(doc: Y.Doc, round: number, userId: string, name: string): boolean {
  const m = roundMap(doc, round);
  if (m?.get('state') !== 'voting') return false;
  child(m, 'voted').set(userId, true);
  child(m, 'names').set(userId, name);
  return true;
}

/**
 * Reveals: results and notes into the round, and the round into the item's history
 * (`estimation.history.<itemId>`). Null if the round is not open.
 */
export function writeAsyncReveal(
  doc: Y.Doc,
  round: number,
  votes: Readonly<Record<string, { value: string } & VoteNote>>,
  now: number,
  reason: RevealReason,
): AsyncRoundRecord | null {
  const m = roundMap(doc, round);
  const snap = m ? readRound(m) : null;
  if (!m || !snap || snap.state !== 'voting') return null;
  const results = child(m, 'results');
  const notes = child(m, 'notes');
  const names: Record<string, string> = {};
  const plain: Record<string, string> = {};
  const plainNotes: Record<string, VoteNote> = {};
  for (const [user, v] of Object.entries(votes)) {
    results.set(user, v.value);
    notes.set(user, { comment: v.comment, confidence: v.confidence });
    plain[user] = v.value;
    plainNotes[user] = { comment: v.comment, confidence: v.confidence };
    names[user] = snap.names[user] ?? '';
  }
  m.set('state', 'revealed');
  m.set('revealedAt', now);
  m.set('revealReason', reason);
  const record: AsyncRoundRecord = {
    round: snap.round,
    itemId: snap.itemId,
    deck: snap.deck,
    results: plain,
    names,
    startedAt: snap.startedAt,
    revealedAt: now,
    async: true,
    deadline: snap.deadline,
    notes: plainNotes,
  };
  const history = child(estimationMap(doc), 'history');
  let list = history.get(snap.itemId);
  if (!(list instanceof Y.Array)) {
    list = new Y.Array<unknown>();
    history.set(snap.itemId, list);
  }
  (list as Y.Array<unknown>).push([record]);
  return record;
}
