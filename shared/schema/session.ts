/**
 * The live session (root `session`, docs/format.md): phase, focus item, timebox timer, dot
 * budget and the dot-voting round (dots.ts). Facilitators write it (POL-11); their
 * operations are in facilitation.ts.
 */
import type * as Y from 'yjs';
import type { ItemId } from '../ids.ts';
import {
  DEFAULT_DOT_BUDGET,
  DOT_VOTING_KEY,
  DOT_VOTING_SHAPE,
  type DotVoting,
  isDotBudget,
  MAX_DOT_BUDGET,
  STAKEHOLDER_DOTS_KEY,
  STAKEHOLDER_DOTS_SHAPE,
} from './dots.ts';
import { ROOT } from './roots.ts';
import type { RecordShape, Shape } from './shape-types.ts';
import { asTypedMap, readNullableString, readNumber, type TypedMap } from './typed-map.ts';
import { exactObject, isFiniteNumber, nullable, nullableId, value } from './values.ts';

export const PHASES = ['refinement', 'estimation', 'planning'] as const;
export type Phase = (typeof PHASES)[number];
export const isPhase = (v: unknown): v is Phase => typeof v === 'string' && (PHASES as readonly string[]).includes(v);
export const DEFAULT_PHASE: Phase = 'refinement';

/**
 * A timebox. Running: startedAt is set (server-clock ms) and pausedRemainingMs is null;
 * paused: pausedRemainingMs holds what was left; idle: both null.
 */
export interface Timer {
  startedAt: number | null;
  durationMs: number;
  pausedRemainingMs: number | null;
}

export interface SessionFields {
  phase: Phase;
  focusItemId: ItemId | null;
  timer: Timer | null;
  dotBudget: number;
  /** The current or last dot-voting round (dots.ts); absent before the first. */
  dotVoting: DotVoting;
  /** May stakeholders place dots (POL-19, dots.ts); absent on old boards = false. */
  stakeholderDots: boolean;
}
export type SessionMap = TypedMap<SessionFields>;

/** What the UI reads of the session (the dot round has its own reader, readDotVoting). */
export type SessionSnapshot = Omit<SessionFields, 'dotVoting' | 'stakeholderDots'>;

/** The session's keys by name, so nobody spells them as strings. */
export const SESSION_KEYS = {
  phase: 'phase',
  focusItemId: 'focusItemId',
  timer: 'timer',
  dotBudget: 'dotBudget',
  dotVoting: DOT_VOTING_KEY,
  stakeholderDots: STAKEHOLDER_DOTS_KEY,
} as const satisfies { readonly [K in keyof SessionFields]: K };

export const MINUTE_MS = 60_000;
export const MAX_TIMER_MS = 4 * 60 * MINUTE_MS;
export const DEFAULT_TIMER_MS = 5 * MINUTE_MS;

const isTimer = exactObject({
  startedAt: nullable(isFiniteNumber),
  durationMs: (v) => isFiniteNumber(v) && v >= 0,
  pausedRemainingMs: nullable(isFiniteNumber),
});

export const SESSION_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    phase: value('refinement, estimation or planning', isPhase),
    focusItemId: nullableId,
    timer: value('null or {startedAt, durationMs, pausedRemainingMs}', nullable(isTimer)),
    dotBudget: value(`a whole number 1–${MAX_DOT_BUDGET}`, isDotBudget),
    dotVoting: DOT_VOTING_SHAPE,
    stakeholderDots: STAKEHOLDER_DOTS_SHAPE,
  } satisfies Record<keyof SessionFields, Shape>,
};

export const sessionMap = (doc: Y.Doc): SessionMap => asTypedMap<SessionFields>(doc.getMap(ROOT.session));

/** The defaults `initBoard` writes (the dot round is written when one opens). */
export function writeSessionDefaults(session: SessionMap): void {
  session.set('phase', DEFAULT_PHASE);
  session.set('focusItemId', null);
  session.set('timer', null);
  session.set('dotBudget', DEFAULT_DOT_BUDGET);
}

export function readSession(doc: Y.Doc): SessionSnapshot {
  const session = sessionMap(doc);
  const phase = session.get('phase');
  const timer = session.get('timer');
  return {
    phase: isPhase(phase) ? phase : DEFAULT_PHASE,
    focusItemId: readNullableString(session.get('focusItemId')) as ItemId | null,
    timer: timer && typeof timer === 'object' ? (timer as Timer) : null,
    dotBudget: readNumber(session.get('dotBudget'), DEFAULT_DOT_BUDGET),
  };
}

/** Milliseconds left on a timer at `now` (never negative); null when no timer is set. */
export function timerRemainingMs(timer: Timer | null, now: number): number | null {
  if (!timer) return null;
  if (timer.pausedRemainingMs !== null) return Math.max(0, timer.pausedRemainingMs);
  if (timer.startedAt === null) return timer.durationMs;
  return Math.max(0, timer.durationMs - (now - timer.startedAt));
}

/** What a timer shows: idle (not started), running, paused or expired (ran out). */
export type TimerState = 'idle' | 'running' | 'paused' | 'expired';

export function timerState(timer: Timer | null, serverNow: number): TimerState {
  if (!timer || (timer.startedAt === null && timer.pausedRemainingMs === null)) return 'idle';
  if (timer.pausedRemainingMs !== null) return 'paused';
  return (timerRemainingMs(timer, serverNow) ?? 0) > 0 ? 'running' : 'expired';
}
