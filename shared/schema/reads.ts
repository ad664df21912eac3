/**
 * Per-user unread markers for comment threads [REF-13], stored in the board document so
 * that someone coming back between sessions, from any browser or device they joined
 * with, sees which items have new comments. docs/format.md ("Read markers") says why.
 *
 * Root `reads`: Y.Map<`${userId}:${itemId}`, number>, the number of entries of the
 * item's `comments` array the user had seen. Comments are never removed (deletion is
 * soft, REF-8), so the array only grows and a count is a stable marker. A flat key
 * (rather than a map per user) means two devices of one person never race to create
 * the same nested map, and the server's gate can check "own key" by its prefix.
 */
import * as Y from 'yjs';
import { isIdLike, type ItemId, type UserId } from '../ids.ts';
import { getItemMap } from './board.ts';
import { readComment } from './comment.ts';
import { ROOT } from './roots.ts';
import type { MapOfShape } from './shape-types.ts';
import { count, isCount } from './values.ts';

export const readsKey = (userId: UserId | string, itemId: ItemId | string): string => `${userId}:${itemId}`;

/** Splits a `reads` key; null if it is not `userId:itemId`. */
export function parseReadsKey(key: string): { userId: string; itemId: string } | null {
  const i = key.indexOf(':');
  if (i <= 0 || i === key.length - 1) return null;
  return { userId: key.slice(0, i), itemId: key.slice(i + 1) };
}

/** A valid marker value: a whole number, zero or more. */
export const isReadCount: (v: unknown) => v is number = isCount;

/** After `userId:`, an item id (comment markers) or an inbox marker (`@inbox`, `@<itemId>`, MEN-4). */
const isReadsKey = (k: string): boolean => {
  const at = k.indexOf(':');
  if (at <= 0 || !isIdLike(k.slice(0, at))) return false;
  const rest = k.slice(at + 1);
  if (rest === INBOX_ALL || rest.startsWith('@')) return rest === INBOX_ALL || isIdLike(rest.slice(1));
  return isIdLike(rest);
};
/** The suffix of a user's "whole inbox seen" marker; `@` never starts an item id. */
export const INBOX_ALL = '@inbox';

/** Root `reads`: `userId:itemId` → comments seen. The gate also checks "own key" (POL-14). */
export const READS_SHAPE: MapOfShape = {
  kind: 'mapOf',
  key: isReadsKey,
  keyWhat: 'userId:itemId (or userId:@inbox, userId:@itemId)',
  value: count,
  maxEntries: Number.POSITIVE_INFINITY,
};

export const readsMap = (doc: Y.Doc): Y.Map<number> => doc.getMap<number>(ROOT.reads);

/** How many comments of the item `userId` had seen (0 if never opened). */
export function seenCount(doc: Y.Doc, userId: UserId | string, itemId: ItemId | string): number {
  const v = readsMap(doc).get(readsKey(userId, itemId));
  return isReadCount(v) ? v : 0;
}

function commentsArray(doc: Y.Doc, itemId: ItemId | string): Y.Array<Y.Map<unknown>> | null {
  const arr = getItemMap(doc, itemId)?.get('comments');
  return arr instanceof Y.Array ? arr : null;
}

/**
 * Comments on an item that `userId` has not seen: entries after their marker, not
 * written by them and not deleted. A person's own comments are never "new" to them.
 */
export function unreadCount(doc: Y.Doc, userId: UserId | string, itemId: ItemId | string): number {
  const arr = commentsArray(doc, itemId);
  if (!arr) return 0;
  const seen = seenCount(doc, userId, itemId);
  let n = 0;
  for (let i = seen; i < arr.length; i++) {
    const c = readComment(arr.get(i));
    if (c && c.authorId !== userId && c.deletedAt === null) n++;
  }
  return n;
}

/** Same as unreadCount, from a snapshot's comment list and a known marker (for renders). */
export function unreadFrom(comments: readonly { authorId: string; deletedAt: number | null }[], seen: number, userId: string): number {
  let n = 0;
  for (let i = seen; i < comments.length; i++) {
    const c = comments[i];
    if (c && c.authorId !== userId && c.deletedAt === null) n++;
  }
  return n;
}

/**
 * Marks every current comment of an item as seen. Writes only when the marker moves
 * forward, so opening an item that has nothing new sends nothing.
 */
export function markRead(doc: Y.Doc, userId: UserId | string, itemId: ItemId | string, origin?: unknown): boolean {
  const arr = commentsArray(doc, itemId);
  if (!arr) return false;
  const count = arr.length;
  if (count <= seenCount(doc, userId, itemId)) return false;
  doc.transact(() => readsMap(doc).set(readsKey(userId, itemId), count), origin);
  return true;
}

/** Every marker of one user, itemId → seen count (for the board's unread badges). */
export function readsOf(doc: Y.Doc, userId: UserId | string): Map<string, number> {
  const out = new Map<string, number>();
  const prefix = `${userId}:`;
  readsMap(doc).forEach((v, key) => {
    // Inbox markers (`@…`, MEN-4) are times, not comment counts: not for the badges.
    if (key.startsWith(prefix) && key[prefix.length] !== '@' && isReadCount(v)) out.set(key.slice(prefix.length), v);
  });
  return out;
}
