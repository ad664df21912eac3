/**
 * A question on an item (`items.<id>.questions[i]`, docs/format.md): first-class, with an
 * assignee, an answer and a resolution. Its operations are in questions.ts.
 */
import * as Y from 'yjs';
import type { QuestionId, UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { mentionList, readMentions } from './mention.ts';
import type { RecordShape, Shape } from './shape-types.ts';
import { asTypedMap, newTypedMap, readNullableNumber, readNullableString, readNumber, readString, type TypedMap } from './typed-map.ts';
import { id, longText, name, nullableId, nullableLongText, nullableName, nullableTime, time } from './values.ts';

export interface Question {
  id: QuestionId;
  text: string;
  authorId: UserId;
  authorName: string;
  createdAt: number;
  /** Who should answer; null means the Product Owner(s). */
  assigneeId: UserId | null;
  assigneeName: string | null;
  answer: string | null;
  answeredBy: UserId | null;
  answeredByName: string | null;
  answeredAt: number | null;
  resolvedAt: number | null;
  resolvedBy: UserId | null;
  /** People the question mentions, by user id (the text keeps `@Name`) [MEN-1]. */
  mentions: readonly UserId[];
  /** People the answer mentions; written with the answer [MEN-1]. */
  answerMentions: readonly UserId[];
}
export type QuestionMap = TypedMap<Question>;

/** The question's keys by name, so nobody spells them as strings. */
export const QUESTION_KEYS = {
  id: 'id',
  text: 'text',
  authorId: 'authorId',
  authorName: 'authorName',
  createdAt: 'createdAt',
  assigneeId: 'assigneeId',
  assigneeName: 'assigneeName',
  answer: 'answer',
  answeredBy: 'answeredBy',
  answeredByName: 'answeredByName',
  answeredAt: 'answeredAt',
  resolvedAt: 'resolvedAt',
  resolvedBy: 'resolvedBy',
  mentions: 'mentions',
  answerMentions: 'answerMentions',
} as const satisfies { readonly [K in keyof Question]: K };

const K = QUESTION_KEYS;
/** Set when the question is asked, never changed [POL-10]. */
export const QUESTION_IMMUTABLE: ReadonlySet<string> = new Set([K.id, K.authorId, K.authorName, K.createdAt]);
/** What answering writes; anyone but a viewer may [POL-10, REF-2]. */
export const QUESTION_ANSWER_KEYS: ReadonlySet<string> = new Set([K.answer, K.answeredBy, K.answeredByName, K.answeredAt, K.answerMentions]);
/** Keys that name their writer when set (null clears them) [POL-10, POL-18]. */
export const QUESTION_WRITER_KEYS: ReadonlySet<string> = new Set([K.answeredBy, K.resolvedBy]);

/** A question's text and answer are as long as a comment. */
export const MAX_QUESTION_LENGTH = LIMITS.maxCommentLength;

export const QUESTION_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    text: longText,
    authorId: id,
    authorName: name,
    createdAt: time,
    assigneeId: nullableId,
    assigneeName: nullableName,
    answer: nullableLongText,
    answeredBy: nullableId,
    answeredByName: nullableName,
    answeredAt: nullableTime,
    resolvedAt: nullableTime,
    resolvedBy: nullableId,
    mentions: mentionList,
    answerMentions: mentionList,
  } satisfies Record<keyof Question, Shape>,
};

export function createQuestionMap(
  q: Pick<Question, 'id' | 'text' | 'authorId' | 'authorName' | 'createdAt'> & Partial<Question>,
): QuestionMap {
  return newTypedMap<Question>({
    assigneeId: null,
    assigneeName: null,
    answer: null,
    answeredBy: null,
    answeredByName: null,
    answeredAt: null,
    resolvedAt: null,
    resolvedBy: null,
    mentions: [],
    answerMentions: [],
    ...q,
  });
}

export function readQuestion(raw: unknown): Question | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = asTypedMap<Question>(raw);
  const id = m.get('id');
  if (typeof id !== 'string') return null;
  return {
    id,
    text: readString(m.get('text')),
    authorId: readString(m.get('authorId')) as UserId,
    authorName: readString(m.get('authorName')),
    createdAt: readNumber(m.get('createdAt')),
    assigneeId: readNullableString(m.get('assigneeId')) as UserId | null,
    assigneeName: readNullableString(m.get('assigneeName')),
    answer: readNullableString(m.get('answer')),
    answeredBy: readNullableString(m.get('answeredBy')) as UserId | null,
    answeredByName: readNullableString(m.get('answeredByName')),
    answeredAt: readNullableNumber(m.get('answeredAt')),
    resolvedAt: readNullableNumber(m.get('resolvedAt')),
    resolvedBy: readNullableString(m.get('resolvedBy')) as UserId | null,
    mentions: readMentions(m.get('mentions')),
    answerMentions: readMentions(m.get('answerMentions')),
  };
}

export const isOpenQuestion = (q: Question): boolean => q.resolvedAt === null;
