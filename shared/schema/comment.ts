/**
 * An async comment on an item (`items.<id>.comments[i]`, docs/format.md). Only its author
 * edits or deletes it (policy, server-enforced). Its operations are in comments.ts.
 */
import * as Y from 'yjs';
import type { CommentId, UserId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { mentionList, readMentions } from './mention.ts';
import type { RecordShape, Shape } from './shape-types.ts';
import { asTypedMap, newTypedMap, readNullableNumber, readNumber, readString, type TypedMap } from './typed-map.ts';
import { id, longText, name, nullableTime, time } from './values.ts';

export interface Comment {
  id: CommentId;
  text: string;
  authorId: UserId;
  authorName: string;
  createdAt: number;
  editedAt: number | null;
  /** Soft delete: the text is cleared, the entry stays so the thread keeps its shape. */
  deletedAt: number | null;
  /** People the text mentions, by user id (the text keeps `@Name`) [MEN-1]. */
  mentions: readonly UserId[];
}
export type CommentMap = TypedMap<Comment>;

/** The comment's keys by name, so nobody spells them as strings. */
export const COMMENT_KEYS = {
  id: 'id',
  text: 'text',
  authorId: 'authorId',
  authorName: 'authorName',
  createdAt: 'createdAt',
  editedAt: 'editedAt',
  deletedAt: 'deletedAt',
  mentions: 'mentions',
} as const satisfies { readonly [K in keyof Comment]: K };

const K = COMMENT_KEYS;
/** Set when the comment is written, never changed [POL-9]. */
export const COMMENT_IMMUTABLE: ReadonlySet<string> = new Set([K.id, K.authorId, K.authorName, K.createdAt]);

export const MAX_COMMENT_LENGTH = LIMITS.maxCommentLength;

export const COMMENT_SHAPE: RecordShape = {
  kind: 'record',
  fields: {
    id,
    text: longText,
    authorId: id,
    authorName: name,
    createdAt: time,
    editedAt: nullableTime,
    deletedAt: nullableTime,
    mentions: mentionList,
  } satisfies Record<keyof Comment, Shape>,
};

export function createCommentMap(
  c: Pick<Comment, 'id' | 'text' | 'authorId' | 'authorName' | 'createdAt'> & Partial<Pick<Comment, 'mentions'>>,
): CommentMap {
  return newTypedMap<Comment>({ editedAt: null, deletedAt: null, mentions: [], ...c });
}

export function readComment(raw: unknown): Comment | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = asTypedMap<Comment>(raw);
  const id = m.get('id');
  if (typeof id !== 'string') return null;
  return {
    id,
    text: readString(m.get('text')),
    authorId: readString(m.get('authorId')) as UserId,
    authorName: readString(m.get('authorName')),
    createdAt: readNumber(m.get('createdAt')),
    editedAt: readNullableNumber(m.get('editedAt')),
    deletedAt: readNullableNumber(m.get('deletedAt')),
    mentions: readMentions(m.get('mentions')),
  };
}
