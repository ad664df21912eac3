import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import { addItem, initBoard } from './board.ts';
import { markRead, parseReadsKey, readsKey, readsOf, seenCount, unreadCount, unreadFrom } from './reads.ts';
import type { Actor } from './operation.ts';
import { addComment, deleteComment } from './comments.ts';

const dev: Actor = { userId: 'dev00001' as UserId, name: 'Dana', role: 'dev' };
const po: Actor = { userId: 'po000001' as UserId, name: 'Paula', role: 'po' };

function setup() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'B', createdAt: 1 });
  const item = addItem(doc, { title: 'x', createdBy: po.userId });
  const other = addItem(doc, { title: 'y', createdBy: po.userId });
  return { doc, item, other };
}

describe('read markers', () => {
  it('[REF-13] new comments by others are unread until the item is opened', () => {
    const { doc, item, other } = setup();
    addComment(doc, item, po, 'one');
    addComment(doc, item, dev, 'mine');
    addComment(doc, item, po, 'two');
    expect(unreadCount(doc, dev.userId, item)).toBe(2); // own comment is never new
    expect(unreadCount(doc, dev.userId, other)).toBe(0);
    expect(markRead(doc, dev.userId, item)).toBe(true);
    expect(unreadCount(doc, dev.userId, item)).toBe(0);
    expect(markRead(doc, dev.userId, item)).toBe(false); // nothing new: no write
    addComment(doc, item, po, 'three');
    expect(unreadCount(doc, dev.userId, item)).toBe(1);
    expect(unreadCount(doc, po.userId, item)).toBe(1); // po never opened it: dev's comment
  });

  it('[REF-13] a deleted comment is not counted as new', () => {
    const { doc, item } = setup();
    const c = addComment(doc, item, po, 'oops');
    if (!c.ok) throw new Error();
    deleteComment(doc, item, c.value, po);
    expect(unreadCount(doc, dev.userId, item)).toBe(0);
  });

  it('[REF-13] markers travel with the document, so another device of the same user sees them', () => {
    const { doc, item } = setup();
    addComment(doc, item, po, 'one');
    markRead(doc, dev.userId, item);
    const laptop = new Y.Doc();
    Y.applyUpdate(laptop, Y.encodeStateAsUpdate(doc));
    expect(seenCount(laptop, dev.userId, item)).toBe(1);
    expect(unreadCount(laptop, dev.userId, item)).toBe(0);
    expect(readsOf(laptop, dev.userId)).toEqual(new Map([[item, 1]]));
  });

  it('[REF-13] concurrent marks from two devices keep the higher count after merge is applied', () => {
    const { doc: a, item } = setup();
    addComment(a, item, po, 'one');
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addComment(a, item, po, 'two');
    markRead(a, dev.userId, item); // 2
    markRead(b, dev.userId, item); // 1
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    // last writer wins on the key; either way both devices agree, and re-marking fixes it
    expect(seenCount(a, dev.userId, item)).toBe(seenCount(b, dev.userId, item));
    markRead(b, dev.userId, item);
    expect(seenCount(b, dev.userId, item)).toBe(2);
  });

  it('keys round-trip and the snapshot helper agrees with the doc helper', () => {
    expect(parseReadsKey(readsKey('u1', 'i1'))).toEqual({ userId: 'u1', itemId: 'i1' });
    expect(parseReadsKey('nocolon')).toBeNull();
    const comments = [
      { authorId: 'a', deletedAt: null },
      { authorId: 'me', deletedAt: null },
      { authorId: 'b', deletedAt: 3 },
      { authorId: 'b', deletedAt: null },
    ];
    expect(unreadFrom(comments, 0, 'me')).toBe(2);
    expect(unreadFrom(comments, 2, 'me')).toBe(1);
  });
});
