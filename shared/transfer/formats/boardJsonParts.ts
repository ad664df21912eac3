/**
 * The parts of our own JSON export beyond an item's text and threads (boardJson.ts reads
 * those): ticks, dots, revealed poker rounds, sprint availability and frozen records, board
 * settings and the dot round [XFER-12]. The file is untrusted: each value is checked with
 * the checks the gate and the server's writers use; a value that does not fit is left out
 * with a warning (the rest of the item still imports), never written as it came.
 */
import { isIdLike } from '../../ids.ts';
import { LIMITS } from '../../limits.ts';
import { isAvailability, type Availability } from '../../schema/capacity.ts';
import { DOT_VOTING_SHAPE, type DotVoting, DOTS_SHAPE, isDotBudget } from '../../schema/dots.ts';
import { isEstimate } from '../../schema/item.ts';
import { validateDeck } from '../../schema/meta.ts';
import { type DefinitionOfReady, isDefinitionOfReady } from '../../schema/readiness.ts';
import { type CommittedRecord, isCommittedRecord, isSprintOutcome, type SprintOutcome } from '../../schema/sprintRecord.ts';
import { isConfidence } from '../../schema/asyncRound.ts';
import type { ImportedBoardParts, ImportedPokerRound, IssueLog } from '../record.ts';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isShortString = (max: number) => (v: unknown): v is string => typeof v === 'string' && v.length <= max;
/** Most revealed rounds kept per item (a re-vote adds one; a team rarely needs more than a few). */
export const MAX_POKER_ROUNDS_PER_ITEM = 100;

/** An object of id-like keys whose values all pass `ok`, at most `max` of them; else null. */
function idRecord<T>(v: unknown, ok: (x: unknown) => boolean, max: number): Record<string, T> | null {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) return null;
  const entries = Object.entries(v);
  if (entries.length > max || !entries.every(([k, x]) => isIdLike(k) && ok(x))) return null;
  return Object.fromEntries(entries) as Record<string, T>;
}

export function readReadyChecks(v: unknown, at: { row: number }, log: IssueLog): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > LIMITS.maxCustomReadyChecks || !v.every(isIdLike)) {
    log.warn(at.row, 'readyChecks', `Expected at most ${LIMITS.maxCustomReadyChecks} check ids; the ticks are left out`);
    return [];
  }
  return [...new Set(v as string[])];
}

/** userId → whole number ≥ 1, as `items.<id>.dots` holds them (DOTS_SHAPE). */
export function readDots(v: unknown, at: { row: number }, log: IssueLog): Record<string, number> {
  const dots = idRecord<number>(v, (n) => Number.isInteger(n) && (n as number) >= 1, DOTS_SHAPE.maxEntries);
  if (dots === null) {
    log.warn(at.row, 'dots', 'Expected user id → a whole number of dots; the dots are left out');
    return {};
  }
  return dots;
}

function readPokerRound(v: unknown): ImportedPokerRound | null {
  if (!isObject(v) || !Number.isInteger(v.round) || (v.round as number) < 0 || !isTime(v.revealedAt)) return null;
  const deck = validateDeck(v.deck);
  if (!deck.ok) return null;
  const results = idRecord<string>(v.results, isEstimate, LIMITS.maxConnectionsPerBoard * 4);
  const names = idRecord<string>(v.names, isShortString(LIMITS.maxDisplayNameLength), LIMITS.maxConnectionsPerBoard * 4);
  if (results === null || names === null) return null;
  if (v.startedAt !== null && v.startedAt !== undefined && !isTime(v.startedAt)) return null;
  const round: ImportedPokerRound = {
    round: v.round as number,
    deck: deck.cards,
    results,
    names,
    startedAt: isTime(v.startedAt) ? v.startedAt : null,
    revealedAt: v.revealedAt,
  };
  if (v.async === true) {
    const isNote = (n: unknown) =>
      isObject(n) && isShortString(LIMITS.maxVoteCommentLength * 2)(n.comment) && [...(n.comment as string)].length <= LIMITS.maxVoteCommentLength && (n.confidence === null || isConfidence(n.confidence));
    const notes = idRecord<{ comment: string; confidence: 'low' | 'high' | null }>(v.notes, isNote, LIMITS.maxConnectionsPerBoard * 4);
    if (notes === null || !isTime(v.deadline)) return null;
    round.async = true;
    round.deadline = v.deadline;
    round.notes = Object.fromEntries(Object.entries(notes).map(([u, n]) => [u, { comment: n.comment, confidence: n.confidence }]));
  }
  return round;
}

export function readPokerRounds(v: unknown, at: { row: number }, log: IssueLog): ImportedPokerRound[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    log.warn(at.row, 'pokerRounds', 'Expected a list of poker rounds; left out');
    return [];
  }
  if (v.length > MAX_POKER_ROUNDS_PER_ITEM) log.warn(at.row, 'pokerRounds', `${v.length} rounds; only the last ${MAX_POKER_ROUNDS_PER_ITEM} are kept`);
  const out: ImportedPokerRound[] = [];
  v.slice(-MAX_POKER_ROUNDS_PER_ITEM).forEach((r, i) => {
    const round = readPokerRound(r);
    if (round) out.push(round);
    else log.warn(at.row, `pokerRounds[${i}]`, 'A poker round that is not a revealed round {round, deck, results, names, startedAt, revealedAt} is left out');
  });
  return out;
}

export interface SprintParts {
  availability: Record<string, Availability>;
  committed: CommittedRecord | null;
  outcome: SprintOutcome | null;
}

/**
 * Availability and frozen records of one sprint. A record only where the sprint's state has
 * one (committed: active or closed; outcome: closed), as starting and closing write them (SPR-5).
 */
export function readSprintParts(s: Json, state: string, column: string, log: IssueLog): SprintParts {
  const availability = idRecord<Availability>(s.availability, isAvailability, LIMITS.maxSprintMembers);
  if (availability === null) log.warn(0, `${column}.availability`, 'Expected user id → {name, daysOff, workingDays}; availability is left out');
  const record = <T>(key: 'committed' | 'outcome', ok: (v: unknown) => boolean, allowed: boolean): T | null => {
    const v = s[key];
    if (v === undefined || v === null) return null;
    if (!ok(v)) {
      log.warn(0, `${column}.${key}`, `The sprint's ${key} record does not fit its shape; left out`);
      return null;
    }
    if (!allowed) {
      log.warn(0, `${column}.${key}`, `A ${state} sprint has no ${key} record; left out`);
      return null;
    }
    return v as T;
  };
  return {
    availability: availability ?? {},
    committed: record<CommittedRecord>('committed', isCommittedRecord, state !== 'planned'),
    outcome: record<SprintOutcome>('outcome', isSprintOutcome, state === 'closed'),
  };
}

/** Board settings and the dot round; each null when the file lacks it or it does not fit (warned). */
export function readBoardParts(data: Json, log: IssueLog): ImportedBoardParts {
  const board = isObject(data.board) ? data.board : {};
  const dots = isObject(data.dotVoting) ? data.dotVoting : {};
  const checked = <T>(v: unknown, ok: (x: unknown) => boolean, column: string, what: string): T | null => {
    if (v === undefined || v === null) return null;
    if (ok(v)) return v as T;
    log.warn(0, column, `Expected ${what}; the board keeps its own`);
    return null;
  };
  const deck = board.deck === undefined ? null : validateDeck(board.deck);
  if (deck && !deck.ok) log.warn(0, 'board.deck', `${deck.reason}; the board keeps its own deck`);
  return {
    deck: deck?.ok ? deck.cards : null,
    productGoal: checked<string>(board.productGoal, isShortString(LIMITS.maxProductGoalLength), 'board.productGoal', `a product goal of at most ${LIMITS.maxProductGoalLength} characters`),
    developersMayPlan: checked<boolean>(board.developersMayPlan, (v) => typeof v === 'boolean', 'board.developersMayPlan', 'true or false'),
    definitionOfReady: checked<DefinitionOfReady>(board.definitionOfReady, isDefinitionOfReady, 'board.definitionOfReady', 'a Definition of Ready {required, custom}'),
    dotVoting: checked<DotVoting>(dots.round, DOT_VOTING_SHAPE.accepts, 'dotVoting.round', 'a dot round {round, open, anonymous, budget, openedAt, closedAt}'),
    dotBudget: checked<number>(dots.budget, isDotBudget, 'dotVoting.budget', 'a dot budget'),
    stakeholderDots: checked<boolean>(dots.stakeholderDots, (v) => typeof v === 'boolean', 'dotVoting.stakeholderDots', 'true or false'),
  };
}
