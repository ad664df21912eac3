import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, QuestionId, UserId } from '../ids.ts';
import { addItem, getItem, initBoard } from './board.ts';
import type { Actor } from './operation.ts';
import { addComment, deleteComment, editComment } from './comments.ts';
import { addCriterion, editCriterion, removeCriterion, setCriterionDone } from './criteria.ts';
import { addTimerMinute, pauseTimer, resetTimer, resumeTimer, setFocusItem, setPhase, startTimer } from './facilitation.ts';
import { answerQuestion, askQuestion, openQuestionCount, questionsForMe, resolveQuestion } from './questions.ts';
import { setStatusChecked, visibleOverride } from './ready.ts';
import { changeMyDots, dotBudgetLeft, openDotRound } from './dots.ts';
import { MINUTE_MS, readSession, timerRemainingMs, timerState } from './session.ts';

const po: Actor = { userId: 'po000001' as UserId, name: 'Paula', role: 'po' };
const sm: Actor = { userId: 'sm000001' as UserId, name: 'Sam', role: 'sm' };
const dev: Actor = { userId: 'dev00001' as UserId, name: 'Dana', role: 'dev' };
const dev2: Actor = { userId: 'dev00002' as UserId, name: 'Dirk', role: 'dev' };
const viewer: Actor = { userId: 'view0001' as UserId, name: 'Vic', role: 'viewer' };

function board(): { doc: Y.Doc; item: ItemId } {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'B', createdAt: 1 });
  const item = addItem(doc, { title: 'Login page', createdBy: po.userId });
  return { doc, item };
}

function ask(doc: Y.Doc, item: ItemId, who: Actor, text = 'Which SSO?', assignee: Actor | null = null): QuestionId {
  const r = askQuestion(doc, item, who, { text, assignee: assignee && { id: assignee.userId, name: assignee.name } });
  if (!r.ok) throw new Error(r.reason);
  return r.value;
}

describe('questions', () => {
  it('[REF-1] a question is assigned to the PO by default, or to a named person', () => {
    const { doc, item } = board();
    ask(doc, item, dev);
    ask(doc, item, dev, 'Mobile too?', dev2);
    const [a, b] = getItem(doc, item)!.questions;
    expect(a).toMatchObject({ text: 'Which SSO?', authorId: dev.userId, authorName: 'Dana', assigneeId: null });
    expect(b).toMatchObject({ assigneeId: dev2.userId, assigneeName: 'Dirk' });
    expect(openQuestionCount(doc, item)).toBe(2);
  });

  it('[REF-1] a viewer cannot ask, and empty text writes nothing', () => {
    const { doc, item } = board();
    const before = Y.encodeStateVector(doc);
    expect(askQuestion(doc, item, viewer, { text: 'hi' })).toEqual({ ok: false, reason: 'forbidden' });
    expect(askQuestion(doc, item, dev, { text: '   ' })).toEqual({ ok: false, reason: 'invalid' });
    expect(askQuestion(doc, 'nope' as ItemId, dev, { text: 'x' })).toEqual({ ok: false, reason: 'not-found' });
    expect(Y.encodeStateVector(doc)).toEqual(before);
  });

  it('[REF-2] anyone but a viewer answers; the answer names who answered', () => {
    const { doc, item } = board();
    const q = ask(doc, item, dev);
    expect(answerQuestion(doc, item, q, viewer, 'x').ok).toBe(false);
    expect(answerQuestion(doc, item, q, dev2, 'Azure AD', 42).ok).toBe(true);
    expect(getItem(doc, item)!.questions[0]).toMatchObject({ answer: 'Azure AD', answeredBy: dev2.userId, answeredByName: 'Dirk', answeredAt: 42 });
    expect(openQuestionCount(doc, item)).toBe(1); // answered is not resolved
  });

  it('[REF-3] only the asker or the PO resolves', () => {
    const { doc, item } = board();
    const q1 = ask(doc, item, dev);
    const q2 = ask(doc, item, dev, 'second');
    expect(resolveQuestion(doc, item, q1, dev2)).toEqual({ ok: false, reason: 'forbidden' });
    expect(resolveQuestion(doc, item, q1, sm)).toEqual({ ok: false, reason: 'forbidden' });
    expect(resolveQuestion(doc, item, q1, dev, true, 5).ok).toBe(true);
    expect(resolveQuestion(doc, item, q2, po, true, 6).ok).toBe(true);
    const [a, b] = getItem(doc, item)!.questions;
    expect(a).toMatchObject({ resolvedAt: 5, resolvedBy: dev.userId });
    expect(b).toMatchObject({ resolvedAt: 6, resolvedBy: po.userId });
    expect(openQuestionCount(doc, item)).toBe(0);
    // reopen
    expect(resolveQuestion(doc, item, q1, dev, false).ok).toBe(true);
    expect(openQuestionCount(doc, item)).toBe(1);
  });

  it('[REF-4] "questions for me": assigned to me, unassigned ones for the PO, answered ones for their asker', () => {
    const { doc, item } = board();
    ask(doc, item, dev, 'for PO');
    ask(doc, item, po, 'for Dirk', dev2);
    const q3 = ask(doc, item, dev, 'answered', po);
    answerQuestion(doc, item, q3, po, 'yes');
    const titles = (me: Actor) => questionsForMe(doc, me).map((w) => `${w.action}:${w.question.text}`);
    expect(titles(po)).toEqual(['answer:for PO']);
    expect(titles(dev2)).toEqual(['answer:for Dirk']);
    expect(titles(dev)).toEqual(['resolve:answered']);
    expect(titles(sm)).toEqual([]);
    resolveQuestion(doc, item, q3, dev);
    expect(titles(dev)).toEqual([]);
  });
});

describe('comments', () => {
  it('[REF-6] anyone but a viewer comments', () => {
    const { doc, item } = board();
    expect(addComment(doc, item, viewer, 'x').ok).toBe(false);
    expect(addComment(doc, item, dev, '  looks good  ', 7).ok).toBe(true);
    expect(getItem(doc, item)!.comments[0]).toMatchObject({ text: 'looks good', authorId: dev.userId, createdAt: 7, editedAt: null });
  });

  it('[REF-7] only the author edits a comment; editing records editedAt', () => {
    const { doc, item } = board();
    const r = addComment(doc, item, dev, 'first');
    if (!r.ok) throw new Error();
    expect(editComment(doc, item, r.value, dev2, 'hacked')).toEqual({ ok: false, reason: 'forbidden' });
    expect(editComment(doc, item, r.value, po, 'hacked')).toEqual({ ok: false, reason: 'forbidden' });
    expect(editComment(doc, item, r.value, dev, 'second', 99).ok).toBe(true);
    expect(getItem(doc, item)!.comments[0]).toMatchObject({ text: 'second', editedAt: 99 });
  });

  it('[REF-8] only the author deletes, softly: the entry stays, its text goes', () => {
    const { doc, item } = board();
    const r = addComment(doc, item, dev, 'oops');
    if (!r.ok) throw new Error();
    expect(deleteComment(doc, item, r.value, dev2).ok).toBe(false);
    expect(deleteComment(doc, item, r.value, dev, 11).ok).toBe(true);
    const comments = getItem(doc, item)!.comments;
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ text: '', deletedAt: 11 });
    expect(editComment(doc, item, r.value, dev, 'back')).toEqual({ ok: false, reason: 'not-found' });
  });
});

describe('acceptance criteria', () => {
  it('[REF-9] add, check, edit, remove', () => {
    const { doc, item } = board();
    const a = addCriterion(doc, item, dev, 'Shows error on bad password');
    const b = addCriterion(doc, item, dev, 'Remembers me');
    if (!a.ok || !b.ok) throw new Error();
    expect(setCriterionDone(doc, item, a.value, dev, true).ok).toBe(true);
    expect(editCriterion(doc, item, b.value, po, 'Remembers me for 30 days').ok).toBe(true);
    expect(getItem(doc, item)!.criteria.map((c) => [c.text, c.done])).toEqual([
      ['Shows error on bad password', true],
      ['Remembers me for 30 days', false],
    ]);
    expect(removeCriterion(doc, item, a.value, dev).ok).toBe(true);
    expect(getItem(doc, item)!.criteria.map((c) => c.text)).toEqual(['Remembers me for 30 days']);
    expect(addCriterion(doc, item, viewer, 'x').ok).toBe(false);
  });
});

describe('ready rule', () => {
  it('[REF-5] an item with open questions cannot become ready', () => {
    const { doc, item } = board();
    ask(doc, item, dev);
    const r = setStatusChecked(doc, item, 'ready', dev);
    expect(r).toEqual({
      ok: false,
      reason: 'not-ready',
      failing: [{ key: 'noOpenQuestions', label: 'No open questions', passed: false }],
      openQuestions: 1,
      canOverride: false,
    });
    expect(getItem(doc, item)!.status).toBe('new');
    // a dev asking for an override is still refused
    expect(setStatusChecked(doc, item, 'ready', dev, { override: true }).ok).toBe(false);
    // other statuses are fine
    expect(setStatusChecked(doc, item, 'refining', dev).ok).toBe(true);
  });

  it('[REF-5] the PO may override; the override is recorded and visible', () => {
    const { doc, item } = board();
    ask(doc, item, dev);
    expect(setStatusChecked(doc, item, 'ready', po)).toMatchObject({ ok: false, canOverride: true });
    const r = setStatusChecked(doc, item, 'ready', po, { override: true, now: 123 });
    expect(r).toEqual({ ok: true, status: 'ready', override: { by: po.userId, name: 'Paula', at: 123 } });
    const snap = getItem(doc, item)!;
    expect(snap.status).toBe('ready');
    expect(visibleOverride(snap)).toEqual({ by: po.userId, name: 'Paula', at: 123 });
    // leaving ready (PO) clears it
    setStatusChecked(doc, item, 'refining', po);
    expect(getItem(doc, item)!.readyOverride).toBeNull();
  });

  it('[REF-5] with every question resolved, anyone may mark ready and no override is recorded', () => {
    const { doc, item } = board();
    const q = ask(doc, item, dev);
    resolveQuestion(doc, item, q, dev);
    expect(setStatusChecked(doc, item, 'ready', dev)).toEqual({ ok: true, status: 'ready', override: null });
    expect(getItem(doc, item)!.readyOverride).toBeNull();
    expect(setStatusChecked(doc, item, 'done', viewer)).toEqual({ ok: false, reason: 'forbidden' });
  });
});

describe('session', () => {
  it('[REF-11] facilitators set phase and focus; others are refused', () => {
    const { doc, item } = board();
    expect(setPhase(doc, dev, 'estimation').ok).toBe(false);
    expect(setPhase(doc, sm, 'estimation').ok).toBe(true);
    expect(setFocusItem(doc, po, item).ok).toBe(true);
    expect(setFocusItem(doc, dev, null).ok).toBe(false);
    expect(readSession(doc)).toMatchObject({ phase: 'estimation', focusItemId: item });
    expect(setFocusItem(doc, sm, 'missing' as ItemId)).toEqual({ ok: false, reason: 'not-found' });
  });

  it('[REF-10] timer: start, pause, resume, add a minute, reset, on the server clock', () => {
    const { doc } = board();
    const t0 = 1_000_000;
    const remaining = (now: number) => timerRemainingMs(readSession(doc).timer, now);
    expect(timerState(readSession(doc).timer, t0)).toBe('idle');
    expect(startTimer(doc, dev, 5 * MINUTE_MS, t0).ok).toBe(false);
    startTimer(doc, sm, 5 * MINUTE_MS, t0);
    expect(remaining(t0 + 60_000)).toBe(4 * MINUTE_MS);
    expect(timerState(readSession(doc).timer, t0 + 1)).toBe('running');
    pauseTimer(doc, sm, t0 + 60_000);
    expect(remaining(t0 + 999_999)).toBe(4 * MINUTE_MS); // paused: time stands still
    expect(timerState(readSession(doc).timer, t0 + 999_999)).toBe('paused');
    addTimerMinute(doc, sm, t0 + 100_000);
    expect(remaining(t0 + 100_000)).toBe(5 * MINUTE_MS);
    resumeTimer(doc, sm, t0 + 200_000);
    expect(remaining(t0 + 200_000)).toBe(5 * MINUTE_MS);
    expect(remaining(t0 + 230_000)).toBe(5 * MINUTE_MS - 30_000);
    addTimerMinute(doc, po, t0 + 230_000);
    expect(remaining(t0 + 230_000)).toBe(6 * MINUTE_MS - 30_000);
    resetTimer(doc, sm);
    expect(timerState(readSession(doc).timer, t0 + 230_000)).toBe('idle');
    expect(remaining(t0 + 999_999)).toBe(7 * MINUTE_MS); // keeps the current duration
    resetTimer(doc, sm, 10 * MINUTE_MS);
    expect(remaining(t0 + 999_999)).toBe(10 * MINUTE_MS);
  });

  it('[REF-10] an expired timer shows 0 and "+1 min" restarts it with a minute left', () => {
    const { doc } = board();
    startTimer(doc, sm, MINUTE_MS, 0);
    expect(timerState(readSession(doc).timer, 2 * MINUTE_MS)).toBe('expired');
    expect(timerRemainingMs(readSession(doc).timer, 2 * MINUTE_MS)).toBe(0);
    addTimerMinute(doc, sm, 2 * MINUTE_MS);
    expect(timerRemainingMs(readSession(doc).timer, 2 * MINUTE_MS + 1000)).toBe(MINUTE_MS - 1000);
  });

  it('[REF-10] two clients whose clocks differ see the same remaining time via the offset', () => {
    const { doc } = board();
    const serverNow = 5_000_000;
    startTimer(doc, sm, 3 * MINUTE_MS, serverNow);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    // client B's local clock is 90 s fast; its offset (-90 s) brings it back to server time
    const bLocal = serverNow + 10_000 + 90_000;
    const bOffset = -90_000;
    expect(timerRemainingMs(readSession(copy).timer, bLocal + bOffset)).toBe(3 * MINUTE_MS - 10_000);
  });

  it('dot budget left counts my dots in the open round', () => {
    const { doc, item } = board();
    expect(dotBudgetLeft(doc, dev.userId)).toBe(0);
    openDotRound(doc, { budget: 3 });
    changeMyDots(doc, item, dev.userId, 1);
    changeMyDots(doc, item, dev.userId, 1);
    expect(dotBudgetLeft(doc, dev.userId)).toBe(1);
    expect(dotBudgetLeft(doc, dev2.userId)).toBe(3);
  });
});

describe('concurrency', () => {
  it('[REF-2] two people answering at once converge to one answer everywhere', () => {
    const { doc: a, item } = board();
    const q = ask(a, item, dev);
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    answerQuestion(a, item, q, po, 'from A');
    answerQuestion(b, item, q, dev2, 'from B');
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const qa = getItem(a, item)!.questions[0]!;
    const qb = getItem(b, item)!.questions[0]!;
    expect(qa).toEqual(qb);
    expect(['from A', 'from B']).toContain(qa.answer);
    // answer text and its author stay consistent (written in one transaction per peer)
    expect(qa.answeredBy).toBe(qa.answer === 'from A' ? po.userId : dev2.userId);
  });
});
