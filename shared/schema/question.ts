/** A question on an item: first-class, with an assignee, an answer and a resolution. */
import * as Y from 'yjs';
import type { QuestionId, UserId } from '../ids.ts';
import { asTypedMap, newTypedMap, readNullableNumber, readNullableString, readNumber, readString, type TypedMap } from './typed-map.ts';

export interface QuestionFields {
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
}
export type QuestionMap = TypedMap<QuestionFields>;

export interface Question {
  id: QuestionId;
  text: string;
  authorId: UserId;
  authorName: string;
  createdAt: number;
  assigneeId: UserId | null;
  assigneeName: string | null;
  answer: string | null;
  answeredBy: UserId | null;
  answeredByName: string | null;
  answeredAt: number | null;
  resolvedAt: number | null;
  resolvedBy: UserId | null;
}

export function createQuestionMap(q: Pick<Question, 'id' | 'text' | 'authorId' | 'authorName' | 'createdAt'> & Partial<Question>): QuestionMap {
  return newTypedMap<QuestionFields>({
    assigneeId: null,
    assigneeName: null,
    answer: null,
    answeredBy: null,
    answeredByName: null,
    answeredAt: null,
    resolvedAt: null,
    resolvedBy: null,
    ...q,
  });
}

export function readQuestion(raw: unknown): Question | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = asTypedMap<QuestionFields>(raw);
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
  };
}

export const isOpenQuestion = (q: Question): boolean => q.resolvedAt === null;
