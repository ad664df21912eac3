/** An async comment on an item. Only its author edits or deletes it (policy, server-enforced). */
import * as Y from 'yjs';
import type { CommentId, UserId } from '../ids.ts';
import { asTypedMap, newTypedMap, readNullableNumber, readNumber, readString, type TypedMap } from './typed-map.ts';

export interface CommentFields {
  id: CommentId;
  text: string;
  authorId: UserId;
  authorName: string;
  createdAt: number;
  editedAt: number | null;
  /** Soft delete: the text is cleared, the entry stays so the thread keeps its shape. */
  deletedAt: number | null;
}
export type CommentMap = TypedMap<CommentFields>;

export interface Comment {
  id: CommentId;
  text: string;
  authorId: UserId;
  authorName: string;
  createdAt: number;
  editedAt: number | null;
  deletedAt: number | null;
}

export function createCommentMap(c: Pick<Comment, 'id' | 'text' | 'authorId' | 'authorName' | 'createdAt'>): CommentMap {
  return newTypedMap<CommentFields>({ editedAt: null, deletedAt: null, ...c });
}

export function readComment(raw: unknown): Comment | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = asTypedMap<CommentFields>(raw);
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
  };
}
