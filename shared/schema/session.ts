/** The live session: phase, focus item, timebox timer, dot budget (facilitators write it). */
import type { ItemId } from '../ids.ts';
import type { TypedMap } from './typed-map.ts';

export const PHASES = ['refinement', 'estimation', 'planning'] as const;
export type Phase = (typeof PHASES)[number];
export const isPhase = (v: unknown): v is Phase => typeof v === 'string' && (PHASES as readonly string[]).includes(v);

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
}
export type SessionMap = TypedMap<SessionFields>;

export interface SessionSnapshot {
  phase: Phase;
  focusItemId: ItemId | null;
  timer: Timer | null;
  dotBudget: number;
}

export const DEFAULT_DOT_BUDGET = 3;

/** Milliseconds left on a timer at `now` (never negative); null when no timer is set. */
export function timerRemainingMs(timer: Timer | null, now: number): number | null {
  if (!timer) return null;
  if (timer.pausedRemainingMs !== null) return Math.max(0, timer.pausedRemainingMs);
  if (timer.startedAt === null) return timer.durationMs;
  return Math.max(0, timer.durationMs - (now - timer.startedAt));
}
