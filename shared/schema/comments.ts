/**
 * Operations on an item's comments [REF-6..8]: add, edit, delete (softly). The record
 * (fields, keys, shape) is comment.ts; the shared contract of operations is operation.ts.
 */
import type * as Y from 'yjs';
import type { CommentId, ItemId } from '../ids.ts';
import { newCommentId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { canAddComment, canEditComment } from '../policy/can.ts';
import { getItemMap } from './board.ts';
import { createCommentMap, MAX_COMMENT_LENGTH, readComment } from './comment.ts';
import { cleanMentions, readMentions, sameMentions } from './mention.ts';
import { type Actor, arrayOf, cleanText, findById, ok, type Result, refuse } from './operation.ts';
import { readString } from './typed-map.ts';

/** [REF-6] Anyone but a viewer comments; the comment is theirs. */
export function addComment(
  doc: Y.Doc,
  itemId: ItemId,
  actor: Actor,
  text: string,
  now = Date.now(),
  origin?: unknown,
  id: CommentId = newCommentId(),
  /** The user ids the text mentions (MEN-1); the writer and duplicates are dropped. */
  mentions: readonly string[] = [],
): Result<CommentId> {
  if (!canAddComment(actor)) return refuse('forbidden');
  const clean = cleanText(text, MAX_COMMENT_LENGTH);
  if (!clean) return refuse('invalid');
  const comments = arrayOf(getItemMap(doc, itemId), 'comments');
  if (!comments) return refuse('not-found');
  if (comments.length >= LIMITS.maxCommentsPerItem) return refuse('full');
  doc.transact(() => {
    comments.push([
      createCommentMap({
        id,
        text: clean,
        authorId: actor.userId,
        authorName: actor.name,
        createdAt: now,
        mentions: cleanMentions(mentions, actor.userId),
      }) as unknown as Y.Map<unknown>,
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

/**
 * [REF-7] Only the author edits a comment; `editedAt` shows it was edited. `mentions`, when
 * given, replaces the stored list (MEN-1); left out, the list stays as it is.
 */
export function editComment(
  doc: Y.Doc,
  itemId: ItemId,
  commentId: CommentId,
  actor: Actor,
  text: string,
  now = Date.now(),
  origin?: unknown,
  mentions?: readonly string[],
): Result {
  const clean = cleanText(text, MAX_COMMENT_LENGTH);
  if (!clean) return refuse('invalid');
  const found = ownComment(doc, itemId, commentId, actor);
  if (!found.ok) return found;
  const stored = readMentions(found.value.get('mentions'));
  const nextMentions = mentions === undefined ? stored : cleanMentions(mentions, actor.userId);
  const mentionsChange = !sameMentions(stored, nextMentions);
  if (readString(found.value.get('text')) === clean && !mentionsChange) return ok(undefined);
  doc.transact(() => {
    found.value.set('text', clean);
    found.value.set('editedAt', now);
    if (mentionsChange) found.value.set('mentions', nextMentions);
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
    // A deleted comment no longer asks anything of anyone: it leaves their inbox too.
    if (readMentions(found.value.get('mentions')).length > 0) found.value.set('mentions', []);
  }, origin);
  return ok(undefined);
}
