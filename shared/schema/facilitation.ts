/**
 * The facilitator's operations on the session [REF-10..12]: phase, focus item and the
 * timebox timer. PO and SM only (POL-11). The record (fields, keys, shape, defaults and
 * the timer's pure functions) is session.ts.
 */
import type * as Y from 'yjs';
import type { ItemId } from '../ids.ts';
import { canRunSession } from '../policy/can.ts';
import { getItemMap } from './board.ts';
import { type Actor, ok, type Result, refuse } from './operation.ts';
import {
  DEFAULT_TIMER_MS,
  isPhase,
  MAX_TIMER_MS,
  MINUTE_MS,
  type Phase,
  readSession,
  type SessionMap,
  sessionMap,
  type Timer,
  timerRemainingMs,
  timerState,
} from './session.ts';

function sessionWrite(doc: Y.Doc, actor: Actor, write: (session: SessionMap) => void, origin?: unknown): Result {
  if (!canRunSession(actor.role)) return refuse('forbidden');
  const session = sessionMap(doc);
  doc.transact(() => write(session), origin);
  return ok(undefined);
}

export function setPhase(doc: Y.Doc, actor: Actor, phase: Phase, origin?: unknown): Result {
  if (!isPhase(phase)) return refuse('invalid');
  return sessionWrite(doc, actor, (s) => s.set('phase', phase), origin);
}

/** [REF-11] The facilitator's focus item; followers' detail panels move to it. */
export function setFocusItem(doc: Y.Doc, actor: Actor, itemId: ItemId | null, origin?: unknown): Result {
  if (itemId !== null && !getItemMap(doc, itemId)) return refuse('not-found');
  return sessionWrite(doc, actor, (s) => s.set('focusItemId', itemId), origin);
}

const clampDuration = (ms: number): number => Math.min(MAX_TIMER_MS, Math.max(1000, Math.round(ms)));

/**
 * [REF-10] Timer operations. Every time is *server-clock* milliseconds (`serverNow` =
 * Date.now() + the offset learnt from the server's welcome, client/refinement/clock.ts), so clients
 * whose clocks disagree still count down the same remaining time.
 */
export function startTimer(doc: Y.Doc, actor: Actor, durationMs: number, serverNow: number, origin?: unknown): Result {
  const timer: Timer = { startedAt: serverNow, durationMs: clampDuration(durationMs), pausedRemainingMs: null };
  return sessionWrite(doc, actor, (s) => s.set('timer', timer), origin);
}

export function pauseTimer(doc: Y.Doc, actor: Actor, serverNow: number, origin?: unknown): Result {
  const timer = readSession(doc).timer;
  if (!timer || timerState(timer, serverNow) !== 'running') return refuse('invalid');
  const remaining = timerRemainingMs(timer, serverNow) ?? 0;
  return sessionWrite(doc, actor, (s) => s.set('timer', { startedAt: null, durationMs: timer.durationMs, pausedRemainingMs: remaining }), origin);
}

/** Resumes a paused timer; `durationMs` is kept (startedAt is set back by what had elapsed). */
export function resumeTimer(doc: Y.Doc, actor: Actor, serverNow: number, origin?: unknown): Result {
  const timer = readSession(doc).timer;
  if (!timer || timer.pausedRemainingMs === null) return refuse('invalid');
  const elapsed = timer.durationMs - timer.pausedRemainingMs;
  return sessionWrite(
    doc,
    actor,
    (s) => s.set('timer', { startedAt: serverNow - elapsed, durationMs: timer.durationMs, pausedRemainingMs: null }),
    origin,
  );
}

/** Back to idle, ready to start again: with `durationMs`, or the current duration. */
export function resetTimer(doc: Y.Doc, actor: Actor, durationMs?: number, origin?: unknown): Result {
  const timer = readSession(doc).timer;
  const next = clampDuration(durationMs ?? timer?.durationMs ?? DEFAULT_TIMER_MS);
  return sessionWrite(doc, actor, (s) => s.set('timer', { startedAt: null, durationMs: next, pausedRemainingMs: null }), origin);
}

/** Adds a minute whatever the state; an expired timer restarts with one minute left. */
export function addTimerMinute(doc: Y.Doc, actor: Actor, serverNow: number, origin?: unknown): Result {
  const timer = readSession(doc).timer;
  let next: Timer;
  const state = timerState(timer, serverNow);
  if (!timer || state === 'idle') next = { startedAt: null, durationMs: clampDuration((timer?.durationMs ?? 0) + MINUTE_MS), pausedRemainingMs: null };
  else if (state === 'paused')
    next = { startedAt: null, durationMs: timer.durationMs + MINUTE_MS, pausedRemainingMs: (timer.pausedRemainingMs ?? 0) + MINUTE_MS };
  else if (state === 'expired') next = { startedAt: serverNow, durationMs: MINUTE_MS, pausedRemainingMs: null };
  else next = { ...timer, durationMs: clampDuration(timer.durationMs + MINUTE_MS) };
  return sessionWrite(doc, actor, (s) => s.set('timer', next), origin);
}
