/**
 * Refinement operations on the board document: questions, comments, acceptance criteria,
 * the ready rule, and the facilitator's session (phase, focus, timebox timer).
 *
 * Same contract as board.ts: pure functions on a Y.Doc, each one transaction (one update
 * on the wire, one step of undo) tagged with an optional `origin`. Operations that the
 * write policy restricts (POL-9, POL-10, POL-6, POL-11) check the actor first and refuse
 * without writing, so the UI never sends a change the server would reject; the server's
 * gate enforces the same rules independently (shared/policy/can.ts is the common source).
 * Rules: docs/SPEC.md, REF section.
 */
import * as Y from 'yjs';
import type { CommentId, CriterionId, ItemId, QuestionId, UserId } from '../ids.ts';
import { newCommentId, newCriterionId, newQuestionId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import {
  canAddComment,
  canAnswerQuestion,
  canAskQuestion,
  canEditComment,
  canEditItems,
  canOverrideReady,
  canResolveQuestion,
  canRunSession,
} from '../policy/can.ts';
import type { Role } from '../roles.ts';
import { boardRoots, getItemMap, listItems, readSession } from './board.ts';
import { createCommentMap, readComment } from './comment.ts';
import { dotsUsedBy, readDotVoting } from './dots.ts';
import { type ItemMap, type ItemSnapshot, type ItemStatus, isItemStatus, type ReadyOverride } from './item.ts';
import { createQuestionMap, isOpenQuestion, type Question, readQuestion } from './question.ts';
import { isPhase, type Phase, type Timer, timerRemainingMs } from './session.ts';
import { newTypedMap, readString } from './typed-map.ts';

/** The person performing an operation, as the server's token names them. */
export interface Actor {
  userId: UserId;
  name: string;
  role: Role;
}

/** Why an operation wrote nothing. */
export type Refusal =
  /** The item, question, comment or criterion does not exist (or was archived away). */
  | 'not-found'
  /** The write policy forbids it for this actor (the server would refuse it too). */
  | 'forbidden'
  /** Empty text, or text over its limit after trimming. */
  | 'invalid'
  /** The item already holds as many questions, comments or criteria as LIMITS allows [POL-17]. */
  | 'full'
  /** [REF-5] The item has unresolved questions and no PO override was asked for. */
  | 'open-questions';

export type Result<T = undefined> = { ok: true; value: T } | { ok: false; reason: Refusal };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const refuse = <T = never>(reason: Refusal): Result<T> => ({ ok: false, reason });

const MAX_QUESTION_LENGTH = LIMITS.maxCommentLength;
const MAX_CRITERION_LENGTH = LIMITS.maxTitleLength;

function cleanText(text: string, max: number): string | null {
  const t = text.trim();
  return t && t.length <= max ? t : null;
}

/** The item's Y.Array under `key`, or null when the item (or the array) is missing. */
function arrayOf(item: ItemMap | null, key: 'questions' | 'comments' | 'criteria'): Y.Array<Y.Map<unknown>> | null {
  const arr = item?.get(key);
  return arr instanceof Y.Array ? arr : null;
}

/** The entry of `arr` whose `id` field is `id`, with its index. */
function findById(arr: Y.Array<Y.Map<unknown>>, id: string): { map: Y.Map<unknown>; index: number } | null {
  let found: { map: Y.Map<unknown>; index: number } | null = null;
  arr.forEach((entry, index) => {
    if (!found && entry instanceof Y.Map && entry.get('id') === id) found = { map: entry, index };
  });
  return found;
}

// ---------------------------------------------------------------- questions [REF-1..4]

export interface AskInput {
  text: string;
  /** Who should answer; omitted or null: the Product Owner(s) [REF-1]. */
  assignee?: { id: UserId; name: string } | null;
  now?: number;
  id?: QuestionId;
}

/** [REF-1] Anyone but a viewer asks; the question is theirs (`authorId` = actor). */
export function askQuestion(doc: Y.Doc, itemId: ItemId, actor: Actor, input: AskInput, origin?: unknown): Result<QuestionId> {
  if (!canAskQuestion(actor)) return refuse('forbidden');
  const text = cleanText(input.text, MAX_QUESTION_LENGTH);
  if (!text) return refuse('invalid');
  const questions = arrayOf(getItemMap(doc, itemId), 'questions');
  if (!questions) return refuse('not-found');
  if (questions.length >= LIMITS.maxQuestionsPerItem) return refuse('full');
  const id = input.id ?? newQuestionId();
  doc.transact(() => {
    questions.push([
      createQuestionMap({
        id,
        text,
        authorId: actor.userId,
        authorName: actor.name,
        createdAt: input.now ?? Date.now(),
        assigneeId: input.assignee?.id ?? null,
        assigneeName: input.assignee?.name ?? null,
      }) as unknown as Y.Map<unknown>,
    ]);
  }, origin);
  return ok(id);
}

/** [REF-2] Anyone but a viewer answers (or re-answers); the answer names its author. */
export function answerQuestion(
  doc: Y.Doc,
  itemId: ItemId,
  questionId: QuestionId,
  actor: Actor,
  answer: string,
  now = Date.now(),
  origin?: unknown,
): Result {
  if (!canAnswerQuestion(actor)) return refuse('forbidden');
  const text = cleanText(answer, MAX_QUESTION_LENGTH);
  if (!text) return refuse('invalid');
  const questions = arrayOf(getItemMap(doc, itemId), 'questions');
  const found = questions && findById(questions, questionId);
  if (!found) return refuse('not-found');
  doc.transact(() => {
    found.map.set('answer', text);
    found.map.set('answeredBy', actor.userId);
    found.map.set('answeredByName', actor.name);
    found.map.set('answeredAt', now);
  }, origin);
  return ok(undefined);
}

/** [REF-3] Only the asker or the PO resolves (or reopens) a question. */
export function resolveQuestion(
  doc: Y.Doc,
  itemId: ItemId,
  questionId: QuestionId,
  actor: Actor,
  resolved = true,
  now = Date.now(),
  origin?: unknown,
): Result {
  const questions = arrayOf(getItemMap(doc, itemId), 'questions');
  const found = questions && findById(questions, questionId);
  if (!found) return refuse('not-found');
  const q = readQuestion(found.map);
  if (!q || !canResolveQuestion(actor, q)) return refuse('forbidden');
  doc.transact(() => {
    found.map.set('resolvedAt', resolved ? now : null);
    found.map.set('resolvedBy', resolved ? actor.userId : null);
  }, origin);
  return ok(undefined);
}

/** Open (unresolved) questions on an item; 0 for a missing item. */
export function openQuestionCount(doc: Y.Doc, itemId: ItemId): number {
  const questions = arrayOf(getItemMap(doc, itemId), 'questions');
  if (!questions) return 0;
  let n = 0;
  questions.forEach((raw) => {
    const q = readQuestion(raw);
    if (q && isOpenQuestion(q)) n++;
  });
  return n;
}

/** Is `q` waiting on `me` to answer it? Assigned to me, or unassigned and I am the PO [REF-4]. */
export function isQuestionForMe(q: Question, me: { userId: string; role: Role }): boolean {
  if (!isOpenQuestion(q)) return false;
  return q.assigneeId === null ? me.role === 'po' : q.assigneeId === me.userId;
}

export interface WaitingQuestion {
  itemId: ItemId;
  itemTitle: string;
  question: Question;
  /** What the person is expected to do: answer it, or (as the asker) resolve the answer. */
  action: 'answer' | 'resolve';
}

/**
 * [REF-4] "Questions for me": open questions on active items that wait on `me`: ones I
 * must answer (assigned to me, or to the PO when I am the PO and it is unassigned) and
 * my own questions that have been answered and wait for me to resolve them. Oldest first.
 */
export function questionsForMe(
  source: Y.Doc | readonly ItemSnapshot[],
  me: { userId: string; role: Role },
): WaitingQuestion[] {
  const items = source instanceof Y.Doc ? listItems(source) : source;
  const out: WaitingQuestion[] = [];
  for (const item of items) {
    if (item.archivedAt !== null) continue;
    for (const q of item.questions) {
      if (!isOpenQuestion(q)) continue;
      if (q.answer === null && isQuestionForMe(q, me)) {
        out.push({ itemId: item.id, itemTitle: item.title, question: q, action: 'answer' });
      } else if (q.answer !== null && q.authorId === me.userId) {
        out.push({ itemId: item.id, itemTitle: item.title, question: q, action: 'resolve' });
      }
    }
  }
  return out.sort((a, b) => a.question.createdAt - b.question.createdAt);
}

// ---------------------------------------------------------------- comments [REF-6..8]

/** [REF-6] Anyone but a viewer comments; the comment is theirs. */
export function addComment(
  doc: Y.Doc,
  itemId: ItemId,
  actor: Actor,
  text: string,
  now = Date.now(),
  origin?: unknown,
  id: CommentId = newCommentId(),
): Result<CommentId> {
  if (!canAddComment(actor)) return refuse('forbidden');
  const clean = cleanText(text, LIMITS.maxCommentLength);
  if (!clean) return refuse('invalid');
  const comments = arrayOf(getItemMap(doc, itemId), 'comments');
  if (!comments) return refuse('not-found');
  if (comments.length >= LIMITS.maxCommentsPerItem) return refuse('full');
  doc.transact(() => {
    comments.push([
      createCommentMap({ id, text: clean, authorId: actor.userId, authorName: actor.name, createdAt: now }) as unknown as Y.Map<unknown>,
    ]);
  }, origin);
  return ok(id);
}

function ownComment(doc: Y.Doc, itemId: ItemId, commentId: CommentId, actor: Actor): Result<Y.Map<unknown>> {
  const comments = arrayOf(getItemMap(doc, itemId), 'comments');
  const found = comments && findById(comments, commentId);
  if (!found) return refuse('not-found');
  const c = readComment(found.map);
  if (!c || c.deletedAt !== null) return refuse('not-found');
  if (!canEditComment(actor, c)) return refuse('forbidden');
  return ok(found.map);
}

/** [REF-7] Only the author edits a comment; `editedAt` shows it was edited. */
export function editComment(
  doc: Y.Doc,
  itemId: ItemId,
  commentId: CommentId,
  actor: Actor,
  text: string,
  now = Date.now(),
  origin?: unknown,
): Result {
  const clean = cleanText(text, LIMITS.maxCommentLength);
  if (!clean) return refuse('invalid');
  const found = ownComment(doc, itemId, commentId, actor);
  if (!found.ok) return found;
  if (readString(found.value.get('text')) === clean) return ok(undefined);
  doc.transact(() => {
    found.value.set('text', clean);
    found.value.set('editedAt', now);
  }, origin);
  return ok(undefined);
}

/**
 * [REF-8] Only the author deletes a comment, softly: the text is cleared and `deletedAt`
 * set, so the thread keeps its shape and unread counts (which count entries) stay true.
 */
export function deleteComment(
  doc: Y.Doc,
  itemId: ItemId,
  commentId: CommentId,
  actor: Actor,
  now = Date.now(),
  origin?: unknown,
): Result {
  const found = ownComment(doc, itemId, commentId, actor);
  if (!found.ok) return found;
  doc.transact(() => {
    found.value.set('text', '');
    found.value.set('deletedAt', now);
  }, origin);
  return ok(undefined);
}

// ---------------------------------------------------------------- acceptance criteria [REF-9]

function criteriaOf(doc: Y.Doc, itemId: ItemId, actor: Actor): Result<Y.Array<Y.Map<unknown>>> {
  if (!canEditItems(actor.role)) return refuse('forbidden');
  const arr = arrayOf(getItemMap(doc, itemId), 'criteria');
  return arr ? ok(arr) : refuse('not-found');
}

export function addCriterion(
  doc: Y.Doc,
  itemId: ItemId,
  actor: Actor,
  text: string,
  origin?: unknown,
  id: CriterionId = newCriterionId(),
): Result<CriterionId> {
  const clean = cleanText(text, MAX_CRITERION_LENGTH);
  if (!clean) return refuse('invalid');
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  if (arr.value.length >= LIMITS.maxCriteriaPerItem) return refuse('full');
  doc.transact(() => {
    arr.value.push([newTypedMap<{ id: string; text: string; done: boolean }>({ id, text: clean, done: false }) as unknown as Y.Map<unknown>]);
  }, origin);
  return ok(id);
}

/** Checks or unchecks a criterion; concurrent toggles resolve to one value (last writer). */
export function setCriterionDone(doc: Y.Doc, itemId: ItemId, criterionId: string, actor: Actor, done: boolean, origin?: unknown): Result {
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  const found = findById(arr.value, criterionId);
  if (!found) return refuse('not-found');
  if (found.map.get('done') !== done) doc.transact(() => found.map.set('done', done), origin);
  return ok(undefined);
}

export function editCriterion(doc: Y.Doc, itemId: ItemId, criterionId: string, actor: Actor, text: string, origin?: unknown): Result {
  const clean = cleanText(text, MAX_CRITERION_LENGTH);
  if (!clean) return refuse('invalid');
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  const found = findById(arr.value, criterionId);
  if (!found) return refuse('not-found');
  if (found.map.get('text') !== clean) doc.transact(() => found.map.set('text', clean), origin);
  return ok(undefined);
}

export function removeCriterion(doc: Y.Doc, itemId: ItemId, criterionId: string, actor: Actor, origin?: unknown): Result {
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  const found = findById(arr.value, criterionId);
  if (!found) return refuse('not-found');
  doc.transact(() => arr.value.delete(found.index, 1), origin);
  return ok(undefined);
}

// ---------------------------------------------------------------- status and the ready rule [REF-5]

export interface StatusOptions {
  /** The PO marks the item ready despite open questions; recorded as `readyOverride`. */
  override?: boolean;
  now?: number;
}

export type StatusResult =
  | { ok: true; status: ItemStatus; override: ReadyOverride | null }
  | { ok: false; reason: 'not-found' | 'forbidden' | 'invalid' }
  | { ok: false; reason: 'open-questions'; openQuestions: number; canOverride: boolean };

/**
 * [REF-5] Changes an item's status, enforcing the ready rule: an item with unresolved
 * questions becomes `ready` only when the PO asks to override, and the override
 * ({by, name, at}) is recorded on the item so everyone sees who decided. Leaving `ready`
 * clears the override when the actor may write it (the PO; POL-6).
 */
export function setStatusChecked(
  doc: Y.Doc,
  itemId: ItemId,
  status: ItemStatus,
  actor: Actor,
  opts: StatusOptions = {},
  origin?: unknown,
): StatusResult {
  if (!isItemStatus(status)) return { ok: false, reason: 'invalid' };
  if (!canEditItems(actor.role)) return { ok: false, reason: 'forbidden' };
  const item = getItemMap(doc, itemId);
  if (!item) return { ok: false, reason: 'not-found' };
  const mayOverride = canOverrideReady(actor.role);
  let override: ReadyOverride | null = null;
  if (status === 'ready') {
    const open = openQuestionCount(doc, itemId);
    if (open > 0) {
      if (!opts.override || !mayOverride) return { ok: false, reason: 'open-questions', openQuestions: open, canOverride: mayOverride };
      override = { by: actor.userId, name: actor.name, at: opts.now ?? Date.now() };
    }
  }
  doc.transact(() => {
    if (item.get('status') !== status) item.set('status', status);
    if (override) item.set('readyOverride', override);
    // Any editor clears a stale override (POL-6 lets them), so it can't resurface later.
    else if (item.get('readyOverride') != null) item.set('readyOverride', null);
  }, origin);
  return { ok: true, status, override };
}

/** The override to show on an item: only while it is `ready` (an old one is history). */
export const visibleOverride = (item: Pick<ItemSnapshot, 'status' | 'readyOverride'>): ReadyOverride | null =>
  item.status === 'ready' ? item.readyOverride : null;

// ---------------------------------------------------------------- session [REF-10..12]

function sessionWrite(doc: Y.Doc, actor: Actor, write: (session: ReturnType<typeof boardRoots>['session']) => void, origin?: unknown): Result {
  if (!canRunSession(actor.role)) return refuse('forbidden');
  const { session } = boardRoots(doc);
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

export const MINUTE_MS = 60_000;
export const MAX_TIMER_MS = 4 * 60 * MINUTE_MS;
export const DEFAULT_TIMER_MS = 5 * MINUTE_MS;

/** What a timer shows: idle (not started), running, paused or expired (ran out). */
export type TimerState = 'idle' | 'running' | 'paused' | 'expired';

export function timerState(timer: Timer | null, serverNow: number): TimerState {
  if (!timer || (timer.startedAt === null && timer.pausedRemainingMs === null)) return 'idle';
  if (timer.pausedRemainingMs !== null) return 'paused';
  return (timerRemainingMs(timer, serverNow) ?? 0) > 0 ? 'running' : 'expired';
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

/** Dots `userId` may still place in the open round (0 when no round is open). */
export function dotBudgetLeft(doc: Y.Doc, userId: UserId | string): number {
  const round = readDotVoting(doc);
  if (!round?.open) return 0;
  return Math.max(0, round.budget - dotsUsedBy(doc, userId));
}
