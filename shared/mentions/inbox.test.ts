import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { UserId } from '../ids.ts';
import type { AsyncRound } from '../schema/asyncRound.ts';
import { addItem, archiveItem, initBoard, listItems } from '../schema/board.ts';
import { addComment, deleteComment, editComment } from '../schema/comments.ts';
import { inboxItemKey, markInboxItemRead, markInboxRead, readInboxMarkers } from '../schema/inboxReads.ts';
import { MAX_MENTIONS } from '../schema/mention.ts';
import type { Actor } from '../schema/operation.ts';
import { answerQuestion, askQuestion } from '../schema/questions.ts';
import { readsMap, readsOf } from '../schema/reads.ts';
import { deriveInbox, isUnread, unreadInboxCount } from './inbox.ts';

const po: Actor = { userId: 'po000001' as UserId, name: 'Paula', role: 'po' };
const dev: Actor = { userId: 'dev00001' as UserId, name: 'Dana', role: 'dev' };
const bob: Actor = { userId: 'bob00001' as UserId, name: 'Bob', role: 'dev' };

function setup() {
  const doc = new Y.Doc();
  initBoard(doc, { title: 'B', createdAt: 1 });
  const item = addItem(doc, { title: 'Guest checkout', createdBy: po.userId });
  const other = addItem(doc, { title: 'Pay with PayPal', createdBy: po.userId });
  return { doc, item, other };
}

const round = (r: Partial<AsyncRound> & Pick<AsyncRound, 'itemId'>): AsyncRound => ({
  round: 1,
  deck: ['1', '2', '3'],
  startedAt: 500,
  startedBy: po.userId,
  deadline: 10_000,
  state: 'voting',
  invited: {},
  voted: [],
  names: {},
  results: {},
  notes: {},
  revealedAt: null,
  revealReason: null,
  ...r,
});

const inboxOf = (doc: Y.Doc, me: Actor, rounds: AsyncRound[] = []) => deriveInbox(listItems(doc), rounds, me);

describe('[MEN-1] mentions are stored as user ids beside the text', () => {
  it('comments, questions and answers keep the ids they were given, without the writer, at most MAX_MENTIONS', () => {
    const { doc, item } = setup();
    const many = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => `user${String(i).padStart(6, '0')}`);
    addComment(doc, item, po, '@Dana look', 100, undefined, undefined, [dev.userId, po.userId, dev.userId, 'bad id']);
    addComment(doc, item, po, 'everyone', 101, undefined, undefined, many);
    const q = askQuestion(doc, item, po, { text: '@Bob?', mentions: [bob.userId], now: 102 });
    if (!q.ok) throw new Error('ask');
    answerQuestion(doc, item, q.value, dev, 'ask @Paula', 103, undefined, [po.userId]);
    const [snap] = listItems(doc).filter((i) => i.id === item);
    expect(snap!.comments[0]!.mentions).toEqual([dev.userId]);
    expect(snap!.comments[1]!.mentions).toHaveLength(MAX_MENTIONS);
    expect(snap!.questions[0]!.mentions).toEqual([bob.userId]);
    expect(snap!.questions[0]!.answerMentions).toEqual([po.userId]);
  });

  it('editing may change the mentions; deleting clears them', () => {
    const { doc, item } = setup();
    const c = addComment(doc, item, po, '@Dana', 100, undefined, undefined, [dev.userId]);
    if (!c.ok) throw new Error('add');
    expect(editComment(doc, item, c.value, po, '@Bob', 200, undefined, [bob.userId]).ok).toBe(true);
    expect(listItems(doc).find((i) => i.id === item)!.comments[0]!.mentions).toEqual([bob.userId]);
    deleteComment(doc, item, c.value, po, 300);
    expect(listItems(doc).find((i) => i.id === item)!.comments[0]!.mentions).toEqual([]);
  });
});

describe('[MEN-3] the For me inbox', () => {
  it('lists mentions of me, questions waiting on me and rounds waiting for my estimate, newest first', () => {
    const { doc, item, other } = setup();
    addComment(doc, item, po, 'hey @Dana', 100, undefined, undefined, [dev.userId]);
    addComment(doc, item, po, 'not you', 110);
    addComment(doc, item, dev, 'my own @Dana', 120, undefined, undefined, [dev.userId]);
    askQuestion(doc, other, po, { text: 'Which PSP?', assignee: { id: dev.userId, name: dev.name }, now: 130 });
    const q = askQuestion(doc, other, bob, { text: 'cc @Dana', mentions: [dev.userId], now: 140 });
    if (!q.ok) throw new Error('ask');
    answerQuestion(doc, other, q.value, po, 'yes, @Dana knows', 150, undefined, [dev.userId]);
    const mine = askQuestion(doc, item, dev, { text: 'mine?', now: 160 });
    if (!mine.ok) throw new Error('ask');
    answerQuestion(doc, item, mine.value, po, 'done', 170);
    const rounds = [
      round({ itemId: other, round: 3, startedAt: 180 }),
      round({ itemId: item, round: 4, startedAt: 190, voted: [dev.userId] }),
      round({ itemId: item, round: 5, startedAt: 195, invited: { [bob.userId]: 'Bob' } }),
    ];
    const inbox = deriveInbox(listItems(doc), rounds, dev);
    expect(inbox.map((e) => [e.kind, e.itemTitle, e.from])).toEqual([
      ['estimate', 'Pay with PayPal', null],
      ['question-to-resolve', 'Guest checkout', 'Paula'],
      ['answer-mention', 'Pay with PayPal', 'Paula'],
      ['question-mention', 'Pay with PayPal', 'Bob'],
      ['question-to-answer', 'Pay with PayPal', 'Paula'],
      ['comment-mention', 'Guest checkout', 'Paula'],
    ]);
  });

  it('a question that waits on me and mentions me is listed once; deleted comments and archived items are not listed', () => {
    const { doc, item, other } = setup();
    askQuestion(doc, item, po, { text: '@Dana?', mentions: [dev.userId], assignee: { id: dev.userId, name: dev.name }, now: 100 });
    const c = addComment(doc, other, po, '@Dana', 110, undefined, undefined, [dev.userId]);
    if (!c.ok) throw new Error('add');
    expect(inboxOf(doc, dev).map((e) => e.kind)).toEqual(['comment-mention', 'question-to-answer']);
    deleteComment(doc, other, c.value, po);
    expect(inboxOf(doc, dev).map((e) => e.kind)).toEqual(['question-to-answer']);
    archiveItem(doc, item);
    expect(inboxOf(doc, dev)).toEqual([]);
  });

  it('the PO gets unassigned questions (REF-4); others do not', () => {
    const { doc, item } = setup();
    askQuestion(doc, item, dev, { text: 'scope?', now: 100 });
    expect(inboxOf(doc, po).map((e) => e.kind)).toEqual(['question-to-answer']);
    expect(inboxOf(doc, bob)).toEqual([]);
  });
});

describe('[MEN-3] the per-item cache', () => {
  it('gives the same inbox as without it, and re-reads only items whose snapshot changed', () => {
    const { doc, item, other } = setup();
    addComment(doc, item, po, '@Dana', 100, undefined, undefined, [dev.userId]);
    addComment(doc, other, po, '@Dana', 110, undefined, undefined, [dev.userId]);
    const cache = new WeakMap();
    const items = listItems(doc);
    const rounds = [round({ itemId: other, startedAt: 120 })];
    const first = deriveInbox(items, rounds, dev, cache);
    expect(first).toEqual(deriveInbox(items, rounds, dev));
    const kept = items.find((i) => i.id === item)!;
    addComment(doc, other, po, '@Dana again', 130, undefined, undefined, [dev.userId]);
    const next = listItems(doc).map((i) => (i.id === item ? kept : i));
    const second = deriveInbox(next, rounds, dev, cache);
    expect(second.map((e) => e.at)).toEqual([130, 120, 110, 100]);
    expect(second.find((e) => e.itemId === item)).toBe(first.find((e) => e.itemId === item));
  });
});

describe('[MEN-4] unread entries and their markers', () => {
  it('everything is unread until the inbox is opened; opening writes once, and only when something is new', () => {
    const { doc, item, other } = setup();
    addComment(doc, item, po, '@Dana', 100, undefined, undefined, [dev.userId]);
    addComment(doc, other, po, '@Dana again', 110, undefined, undefined, [dev.userId]);
    let markers = readInboxMarkers(doc, dev.userId);
    expect(unreadInboxCount(inboxOf(doc, dev), markers)).toBe(2);
    expect(markInboxRead(doc, dev.userId, inboxOf(doc, dev), 1_000)).toBe(true);
    markers = readInboxMarkers(doc, dev.userId);
    expect(markers.all).toBe(1_000);
    expect(unreadInboxCount(inboxOf(doc, dev), markers)).toBe(0);
    expect(markInboxRead(doc, dev.userId, inboxOf(doc, dev), 2_000)).toBe(false);
    addComment(doc, item, po, '@Dana once more', 1_500, undefined, undefined, [dev.userId]);
    expect(unreadInboxCount(inboxOf(doc, dev), readInboxMarkers(doc, dev.userId))).toBe(1);
  });

  it('opening an item marks only that item’s entries read', () => {
    const { doc, item, other } = setup();
    addComment(doc, item, po, '@Dana', 100, undefined, undefined, [dev.userId]);
    addComment(doc, other, po, '@Dana', 110, undefined, undefined, [dev.userId]);
    expect(markInboxItemRead(doc, dev.userId, item, inboxOf(doc, dev), 500)).toBe(true);
    const markers = readInboxMarkers(doc, dev.userId);
    const inbox = inboxOf(doc, dev);
    expect(inbox.filter((e) => isUnread(e, markers)).map((e) => e.itemId)).toEqual([other]);
    expect(markInboxItemRead(doc, dev.userId, item, inbox, 600)).toBe(false);
    expect(readsMap(doc).get(inboxItemKey(dev.userId, item))).toBe(500);
  });

  it('an entry stamped by a clock running ahead still reads as seen once opened', () => {
    const { doc, item } = setup();
    addComment(doc, item, po, '@Dana', 5_000, undefined, undefined, [dev.userId]);
    markInboxRead(doc, dev.userId, inboxOf(doc, dev), 1_000);
    expect(unreadInboxCount(inboxOf(doc, dev), readInboxMarkers(doc, dev.userId))).toBe(0);
  });

  it('markers are per person and travel with the document; they are not comment read counts', () => {
    const { doc, item } = setup();
    addComment(doc, item, po, '@Dana @Bob', 100, undefined, undefined, [dev.userId, bob.userId]);
    markInboxRead(doc, dev.userId, inboxOf(doc, dev), 1_000);
    const phone = new Y.Doc();
    Y.applyUpdate(phone, Y.encodeStateAsUpdate(doc));
    expect(unreadInboxCount(inboxOf(phone, dev), readInboxMarkers(phone, dev.userId))).toBe(0);
    expect(unreadInboxCount(inboxOf(phone, bob), readInboxMarkers(phone, bob.userId))).toBe(1);
    expect(readsOf(phone, dev.userId)).toEqual(new Map());
  });
});
