/**
 * Operations on an item's questions [REF-1..4]: ask, answer, resolve, and which questions
 * wait on whom. The record (fields, keys, shape) is question.ts; the shared contract of
 * operations is operation.ts.
 */
import * as Y from 'yjs';
import type { ItemId, QuestionId, UserId } from '../ids.ts';
import { newQuestionId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { canAnswerQuestion, canAskQuestion, canResolveQuestion } from '../policy/can.ts';
import type { Role } from '../roles.ts';
import { getItemMap, listItems } from './board.ts';
import type { ItemSnapshot } from './item.ts';
import { cleanMentions, readMentions } from './mention.ts';
import { type Actor, arrayOf, cleanText, findById, ok, type Result, refuse } from './operation.ts';
import { createQuestionMap, isOpenQuestion, MAX_QUESTION_LENGTH, type Question, readQuestion } from './question.ts';

export interface AskInput {
  text: string;
  /** Who should answer; omitted or null: the Product Owner(s) [REF-1]. */
  assignee?: { id: UserId; name: string } | null;
  now?: number;
  id?: QuestionId;
  /** User ids the text mentions (MEN-1). */
  mentions?: readonly string[];
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
        mentions: cleanMentions(input.mentions, actor.userId),
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
  /** User ids the answer mentions (MEN-1); replaces the previous answer's. */
  mentions: readonly string[] = [],
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
    const answerMentions = cleanMentions(mentions, actor.userId);
    if (answerMentions.length > 0 || readMentions(found.map.get('answerMentions')).length > 0) found.map.set('answerMentions', answerMentions);
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
