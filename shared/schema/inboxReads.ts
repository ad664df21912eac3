/**
 * "For me" read markers [MEN-4], kept in the `reads` root beside the comment markers
 * (REF-13) so they follow a person to every device, under the same "own key" rule (POL-14):
 * - `<userId>:@inbox` → the time up to which the whole inbox was seen (opening it);
 * - `<userId>:@<itemId>` → the time up to which that item's entries were seen (opening it).
 * An entry is unread while its time is after both. Values are whole numbers ≥ 0 (ms).
 * A marker is set to the later of now and the newest entry it covers, so an entry stamped
 * by a writer whose clock runs ahead still reads as seen.
 */
import type * as Y from 'yjs';
import type { InboxEntry, InboxMarkers } from '../mentions/inbox.ts';
import { INBOX_ALL, isReadCount, readsMap } from './reads.ts';

export const inboxAllKey = (userId: string): string => `${userId}:${INBOX_ALL}`;
export const inboxItemKey = (userId: string, itemId: string): string => `${userId}:@${itemId}`;

/** One user's inbox markers as stored (0 where never set). */
export function readInboxMarkers(doc: Y.Doc, userId: string): InboxMarkers {
  const prefix = `${userId}:@`;
  let all = 0;
  const items = new Map<string, number>();
  readsMap(doc).forEach((v, key) => {
    if (!key.startsWith(prefix) || !isReadCount(v)) return;
    if (key === inboxAllKey(userId)) all = v;
    else items.set(key.slice(prefix.length), v);
  });
  return { all, items };
}

const seenUpTo = (entries: readonly InboxEntry[], now: number): number => Math.floor(Math.max(now, ...entries.map((e) => e.at)));

/**
 * Marks every entry of the inbox as seen (the inbox was opened). Writes only when some
 * entry is unread, so opening an inbox with nothing new sends nothing.
 */
export function markInboxRead(doc: Y.Doc, userId: string, entries: readonly InboxEntry[], now: number, origin?: unknown): boolean {
  const markers = readInboxMarkers(doc, userId);
  if (!entries.some((e) => e.at > Math.max(markers.all, markers.items.get(e.itemId) ?? 0))) return false;
  doc.transact(() => readsMap(doc).set(inboxAllKey(userId), seenUpTo(entries, now)), origin);
  return true;
}

/** Marks the entries of one item as seen (its details were opened); writes only when one is unread. */
export function markInboxItemRead(
  doc: Y.Doc,
  userId: string,
  itemId: string,
  entries: readonly InboxEntry[],
  now: number,
  origin?: unknown,
): boolean {
  const mine = entries.filter((e) => e.itemId === itemId);
  const markers = readInboxMarkers(doc, userId);
  const seen = Math.max(markers.all, markers.items.get(itemId) ?? 0);
  if (!mine.some((e) => e.at > seen)) return false;
  doc.transact(() => readsMap(doc).set(inboxItemKey(userId, itemId), seenUpTo(mine, now)), origin);
  return true;
}
