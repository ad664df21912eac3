import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, ItemId, UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { Role } from '../../shared/roles.ts';
import {
  addItem,
  archiveItem,
  boardRoots,
  getItemMap,
  initBoard,
  moveItem,
  setItemEstimate,
  setItemField,
  setItemTitle,
} from '../../shared/schema/board.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { changeMyDots, clearAllDots, closeDotRound, openDotRound } from '../../shared/schema/dots.ts';
import { createQuestionMap } from '../../shared/schema/question.ts';
import type { AuthUser, UpdateVerdict } from '../extensions.ts';
import { PolicyGate } from './gate.ts';

const users = {
  po: { userId: 'userPO000001' as UserId, role: 'po' },
  sm: { userId: 'userSM000001' as UserId, role: 'sm' },
  alice: { userId: 'userALICE001' as UserId, role: 'dev' },
  bob: { userId: 'userBOB00001' as UserId, role: 'dev' },
  viewer: { userId: 'userVIEW0001' as UserId, role: 'viewer' },
} satisfies Record<string, { userId: UserId; role: Role }>;
type Who = keyof typeof users;

const auth = (who: Who): AuthUser => ({ boardId: 'board1' as BoardId, name: who, ...users[who] });
/** The token name of the user with this id (entries carry their author's name). */
const nameOf = (userId: UserId): string => Object.entries(users).find(([, u]) => u.userId === userId)?.[0] ?? 'someone';

/** A server doc with a board, and per-user client docs synced from it. */
function setup() {
  const server = new Y.Doc();
  initBoard(server, { title: 'Board', createdAt: 1 });
  const itemA = addItem(server, { title: 'A', createdBy: users.po.userId });
  const itemB = addItem(server, { title: 'B', createdBy: users.po.userId });
  const gate = new PolicyGate();
  const client = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    return doc;
  };
  /** Runs `fn` on a fresh synced client doc and asks the gate about the resulting update. */
  const attempt = (who: Who, fn: (doc: Y.Doc) => void, doc = client()): UpdateVerdict => {
    const before = Y.encodeStateVector(doc);
    fn(doc);
    const update = Y.encodeStateAsUpdate(doc, before);
    return gate.check({ doc: server, user: auth(who), update });
  };
  /** Like attempt, but applies an accepted update to the server (a real sequence). */
  const commit = (who: Who, fn: (doc: Y.Doc) => void): UpdateVerdict => {
    const doc = client();
    const before = Y.encodeStateVector(doc);
    fn(doc);
    const update = Y.encodeStateAsUpdate(doc, before);
    const verdict = gate.check({ doc: server, user: auth(who), update });
    if (verdict.ok) Y.applyUpdate(server, update);
    return verdict;
  };
  return { server, itemA, itemB, gate, client, attempt, commit };
}

const ok = { ok: true };
const refused = (rule: string) => expect.objectContaining({ ok: false, rule });

function addComment(doc: Y.Doc, itemId: ItemId, authorId: UserId, text = 'hi'): string {
  const id = `c${Math.random().toString(36).slice(2, 10)}`;
  const comments = getItemMap(doc, itemId)!.get('comments')!;
  comments.push([createCommentMap({ id: id as never, text, authorId, authorName: nameOf(authorId), createdAt: 1 }) as unknown as Y.Map<unknown>]);
  return id;
}
const commentAt = (doc: Y.Doc, itemId: ItemId, i: number) => getItemMap(doc, itemId)!.get('comments')!.get(i);
function addQuestion(doc: Y.Doc, itemId: ItemId, authorId: UserId): void {
  getItemMap(doc, itemId)!
    .get('questions')!
    .push([createQuestionMap({ id: 'question1' as never, text: 'why?', authorId, authorName: nameOf(authorId), createdAt: 1 }) as unknown as Y.Map<unknown>]);
}
const questionAt = (doc: Y.Doc, itemId: ItemId) => getItemMap(doc, itemId)!.get('questions')!.get(0);

describe('write policy gate', () => {
  it('[AUTH-3] a viewer changes nothing (no region is theirs), but its empty sync reply passes', () => {
    const s = setup();
    expect(s.attempt('viewer', (d) => setItemTitle(d, s.itemA, 'x'))).toEqual(refused('POL-4'));
    expect(s.attempt('viewer', (d) => addItem(d, { title: 'v', createdBy: users.viewer.userId }))).toEqual(refused('POL-4'));
    // A synced viewer's sync step 2 carries its whole delete set (title edits deleted
    // characters); everything in it is already deleted on the server: a no-op.
    expect(s.commit('alice', (d) => setItemTitle(d, s.itemA, 'Alpha'))).toEqual(ok);
    const viewerDoc = s.client();
    const reply = Y.encodeStateAsUpdate(viewerDoc, Y.encodeStateVector(s.server));
    expect(s.gate.check({ doc: s.server, user: auth('viewer'), update: reply })).toEqual(ok);
  });

  it('[POL-2] no client writes estimation, whatever its role', () => {
    const s = setup();
    for (const who of ['po', 'sm', 'alice'] as const) {
      expect(s.attempt(who, (d) => boardRoots(d).estimation.set('state', 'revealed'))).toEqual(refused('POL-2'));
      expect(
        s.attempt(who, (d) => (boardRoots(d).estimation.get('results') as Y.Map<string>).set(users.alice.userId, '8')),
      ).toEqual(refused('POL-2'));
      expect(s.attempt(who, (d) => (boardRoots(d).estimation.get('voted') as Y.Map<true>).delete('x'))).toEqual(ok);
    }
    const s2 = setup();
    s2.server.transact(() => (boardRoots(s2.server).estimation.get('voted') as Y.Map<true>).set(users.bob.userId, true));
    expect(s2.attempt('po', (d) => (boardRoots(d).estimation.get('voted') as Y.Map<true>).delete(users.bob.userId))).toEqual(
      refused('POL-2'),
    );
  });

  it('[POL-3] PO and SM set the title and deck; nobody sets other meta keys', () => {
    const s = setup();
    expect(s.attempt('po', (d) => boardRoots(d).meta.set('title', 'New'))).toEqual(ok);
    expect(s.attempt('sm', (d) => boardRoots(d).meta.set('deck', ['1', '2']))).toEqual(ok);
    expect(s.attempt('alice', (d) => boardRoots(d).meta.set('title', 'New'))).toEqual(refused('POL-3'));
    expect(s.attempt('alice', (d) => boardRoots(d).meta.set('deck', ['1']))).toEqual(refused('POL-3'));
    // Their values are the shape's to judge [POL-17].
    expect(s.attempt('po', (d) => boardRoots(d).meta.set('deck', Array.from({ length: 50 }, (_, i) => String(i))))).toEqual(
      refused('POL-17'),
    );
    expect(s.attempt('po', (d) => boardRoots(d).meta.set('formatVersion', 2))).toEqual(refused('POL-3'));
    expect(s.attempt('po', (d) => boardRoots(d).meta.set('title', 'x'.repeat(500)))).toEqual(refused('POL-17'));
  });

  it('[POL-4] developers add, edit, move and archive items', () => {
    const s = setup();
    expect(s.commit('alice', (d) => addItem(d, { title: 'New', createdBy: users.alice.userId, placement: 'top' }))).toEqual(ok);
    expect(s.commit('alice', (d) => setItemTitle(d, s.itemA, 'A!'))).toEqual(ok);
    expect(s.commit('bob', (d) => moveItem(d, s.itemB, 'top'))).toEqual(ok);
    expect(s.commit('bob', (d) => archiveItem(d, s.itemA))).toEqual(ok);
    expect(s.commit('bob', (d) => getItemMap(d, s.itemB)!.get('labels')!.set('ux', true))).toEqual(ok);
  });

  it('[POL-4] items are never created for someone else, replaced, re-identified or removed', () => {
    const s = setup();
    expect(s.attempt('alice', (d) => addItem(d, { title: 'x', createdBy: users.bob.userId }))).toEqual(refused('POL-4'));
    expect(s.attempt('po', (d) => boardRoots(d).items.delete(s.itemA))).toEqual(refused('POL-4'));
    expect(
      s.attempt('po', (d) => {
        const replacement = new Y.Map<unknown>();
        replacement.set('id', s.itemA);
        replacement.set('createdBy', users.po.userId);
        boardRoots(d).items.set(s.itemA, replacement);
      }),
    ).toEqual(refused('POL-4'));
    expect(s.attempt('po', (d) => getItemMap(d, s.itemA)!.set('createdBy', users.po.userId))).toEqual(refused('POL-4'));
    expect(
      s.attempt('po', (d) => {
        const m = new Y.Map<unknown>();
        m.set('createdBy', users.po.userId);
        boardRoots(d).items.set('x'.repeat(200), m);
      }),
    ).toEqual(refused('POL-4'));
    expect(
      s.attempt('alice', (d) => {
        const m = new Y.Map<unknown>();
        m.set('id', 'other');
        m.set('createdBy', users.alice.userId);
        boardRoots(d).items.set('itemX123456', m);
      }),
    ).toEqual(refused('POL-4'));
  });

  it('[POL-5] only PO and SM set the agreed estimate', () => {
    const s = setup();
    expect(s.attempt('sm', (d) => setItemEstimate(d, s.itemA, '8'))).toEqual(ok);
    expect(s.attempt('po', (d) => setItemEstimate(d, s.itemA, 'about a week'))).toEqual(ok);
    expect(s.attempt('alice', (d) => setItemEstimate(d, s.itemA, '8'))).toEqual(refused('POL-5'));
    // A new item's default `estimate: null` is part of creating it...
    expect(s.attempt('alice', (d) => addItem(d, { title: 'n', createdBy: users.alice.userId }))).toEqual(ok);
    // ...but a developer cannot sneak an estimate in with a new item.
    expect(
      s.attempt('alice', (d) =>
        d.transact(() => {
          const id = addItem(d, { title: 'n', createdBy: users.alice.userId });
          setItemEstimate(d, id, '3');
        }),
      ),
    ).toEqual(refused('POL-5'));
  });

  it('[POL-20] no client of any role writes an externalKey, on a new item or an existing one', () => {
    const s = setup();
    for (const who of ['po', 'sm', 'alice'] as const) {
      expect(s.attempt(who, (d) => getItemMap(d, s.itemA)!.set('externalKey', 'SHOP-1'))).toEqual(refused('POL-20'));
      expect(
        s.attempt(who, (d) => {
          const id = addItem(d, { title: 'n', createdBy: users[who].userId });
          getItemMap(d, id)!.set('externalKey', 'SHOP-2');
        }),
      ).toEqual(refused('POL-20'));
    }
    // Items made by clients carry no key at all, so creating one still passes.
    expect(s.attempt('alice', (d) => addItem(d, { title: 'n', createdBy: users.alice.userId }))).toEqual(ok);
  });

  it('[POL-6] only the PO overrides readiness, in their own name', () => {
    const s = setup();
    const mine = { by: users.po.userId, name: 'po', at: 1 };
    expect(s.attempt('po', (d) => setItemField(d, s.itemA, 'readyOverride', mine))).toEqual(ok);
    expect(s.attempt('sm', (d) => setItemField(d, s.itemA, 'readyOverride', { ...mine, by: users.sm.userId }))).toEqual(
      refused('POL-6'),
    );
    expect(s.attempt('po', (d) => setItemField(d, s.itemA, 'readyOverride', { ...mine, by: users.sm.userId }))).toEqual(
      refused('POL-6'),
    );
  });

  it('[POL-15][POL-18] the ready rule counts questions this update asks or reopens, and every override candidate', () => {
    const s = setup();
    const ready = (d: Y.Doc) => getItemMap(d, s.itemA)!.set('status', 'ready');
    // Asking a question and marking ready in one update: the new question is open.
    expect(
      s.attempt('alice', (d) => {
        addQuestion(d, s.itemA, users.alice.userId);
        ready(d);
      }),
    ).toEqual(refused('POL-15'));
    // A resolved question reopened (resolvedAt: null) in the same update counts as open.
    expect(s.commit('alice', (d) => addQuestion(d, s.itemA, users.alice.userId))).toEqual(ok);
    expect(s.commit('alice', (d) => (questionAt(d, s.itemA) as Y.Map<unknown>).set('resolvedAt', 5))).toEqual(ok);
    expect(s.attempt('alice', ready)).toEqual(ok);
    expect(
      s.attempt('alice', (d) => {
        (questionAt(d, s.itemA) as Y.Map<unknown>).set('resolvedAt', null);
        ready(d);
      }),
    ).toEqual(refused('POL-15'));
  });

  it('[POL-17] no update grows a list, map or text by more than its limit, nor past the concurrency slack', () => {
    const s = setup();
    const labels = (d: Y.Doc) => getItemMap(d, s.itemA)!.get('labels') as Y.Map<true>;
    const max = LIMITS.maxLabelsPerItem;
    expect(s.attempt('alice', (d) => {
      for (let i = 0; i <= max; i++) labels(d).set(`l${i}`, true);
    })).toEqual(refused('POL-17'));
    // Concurrent honest adds may carry a list past its limit (each writer saw room for one
    // more); only the slack is a hard ceiling.
    for (let round = 0; round < LIMITS.concurrentSlack; round++) {
      expect(s.commit('alice', (d) => {
        for (let i = 0; i < max; i++) labels(d).set(`r${round}l${i}`, true);
      })).toEqual(ok);
    }
    expect(s.attempt('alice', (d) => labels(d).set('one-more', true))).toEqual(refused('POL-17'));
    // Swapping one label for another leaves the count where it was.
    expect(s.attempt('alice', (d) => {
      labels(d).delete('r0l0');
      labels(d).set('one-more', true);
    })).toEqual(ok);
    expect(s.attempt('alice', (d) => labels(d).set(' padded ', true))).toEqual(refused('POL-17'));
    const title = (d: Y.Doc) => getItemMap(d, s.itemA)!.get('title') as Y.Text;
    expect(s.attempt('alice', (d) => title(d).insert(0, 'x'.repeat(LIMITS.maxTitleLength + 1)))).toEqual(refused('POL-17'));
    expect(s.attempt('alice', (d) => {
      title(d).delete(0, title(d).length);
      title(d).insert(0, 'x'.repeat(LIMITS.maxTitleLength));
    })).toEqual(ok);
  });

  it('[POL-17] two people replacing one title at once both get through; the merged text may pass the limit', () => {
    const s = setup();
    const full = (c: string) => c.repeat(LIMITS.maxTitleLength);
    const a = s.client();
    const b = s.client();
    const rename = (d: Y.Doc, text: string) => {
      const before = Y.encodeStateVector(d);
      setItemTitle(d, s.itemA, text);
      return Y.encodeStateAsUpdate(d, before);
    };
    const ua = rename(a, full('a'));
    const ub = rename(b, full('b'));
    for (const [who, u] of [['alice', ua], ['bob', ub]] as const) {
      expect(s.gate.check({ doc: s.server, user: auth(who), update: u })).toEqual(ok);
      Y.applyUpdate(s.server, u);
    }
    expect((getItemMap(s.server, s.itemA)!.get('title') as Y.Text).length).toBe(2 * LIMITS.maxTitleLength);
  });

  it('[POL-15] an item with open questions is marked ready only with the PO override in the same update', () => {
    const s = setup();
    const ready = (d: Y.Doc) => getItemMap(d, s.itemA)!.set('status', 'ready');
    // No open question: anyone who edits items may mark it ready.
    expect(s.attempt('alice', ready)).toEqual(ok);
    expect(s.commit('bob', (d) => addQuestion(d, s.itemA, users.bob.userId))).toEqual(ok);
    // Open question: refused for a developer and for the PO without an override...
    expect(s.attempt('alice', ready)).toEqual(refused('POL-15'));
    expect(s.attempt('po', ready)).toEqual(refused('POL-15'));
    // ...a modified client cannot sneak past with someone else's override...
    const poOverride = { by: users.po.userId, name: 'po', at: 1 };
    expect(
      s.attempt('alice', (d) => {
        ready(d);
        setItemField(d, s.itemA, 'readyOverride', poOverride);
      }),
    ).not.toEqual(ok);
    // ...and the PO's own override in the same update lets it through.
    expect(
      s.attempt('po', (d) => {
        ready(d);
        setItemField(d, s.itemA, 'readyOverride', poOverride);
      }),
    ).toEqual(ok);
    // Other items and other statuses are unaffected.
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemB)!.set('status', 'ready'))).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.set('status', 'refining'))).toEqual(ok);
  });

  it('[POL-6] anyone who edits items may clear a stale ready override', () => {
    const s = setup();
    expect(s.commit('po', (d) => setItemField(d, s.itemA, 'readyOverride', { by: users.po.userId, name: 'po', at: 1 }))).toEqual(ok);
    expect(s.attempt('alice', (d) => setItemField(d, s.itemA, 'readyOverride', null))).toEqual(ok);
    expect(s.attempt('viewer', (d) => setItemField(d, s.itemA, 'readyOverride', null))).toEqual(refused('POL-4'));
  });

  it('[POL-7] dots: your own key, whole numbers, only while a round is open', () => {
    const s = setup();
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.set(users.alice.userId, 1))).toEqual(
      refused('POL-7'),
    );
    expect(s.commit('sm', (d) => openDotRound(d, { budget: 3 }))).toEqual(ok);
    expect(s.commit('alice', (d) => changeMyDots(d, s.itemA, users.alice.userId, 1))).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.set(users.bob.userId, 1))).toEqual(
      refused('POL-7'),
    );
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.set(users.alice.userId, 1.5))).toEqual(
      refused('POL-7'),
    );
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.set(users.alice.userId, -1))).toEqual(
      refused('POL-7'),
    );
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.set('dots', new Y.Map()))).toEqual(refused('POL-7'));
    // Someone else's dots: only a facilitator may clear them.
    expect(s.attempt('bob', (d) => getItemMap(d, s.itemA)!.get('dots')!.delete(users.alice.userId))).toEqual(
      refused('POL-7'),
    );
    expect(s.attempt('sm', (d) => clearAllDots(d))).toEqual(ok);
    // Removing your own dots is always fine; placing after close is not.
    expect(s.commit('po', (d) => closeDotRound(d))).toEqual(ok);
    expect(s.attempt('alice', (d) => changeMyDots(d, s.itemA, users.alice.userId, -1))).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemB)!.get('dots')!.set(users.alice.userId, 1))).toEqual(
      refused('POL-7'),
    );
  });

  it('[POL-8] a person places at most the round budget of dots across items', () => {
    const s = setup();
    expect(s.commit('po', (d) => openDotRound(d, { budget: 3 }))).toEqual(ok);
    expect(s.commit('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.set(users.alice.userId, 2))).toEqual(ok);
    expect(s.commit('alice', (d) => getItemMap(d, s.itemB)!.get('dots')!.set(users.alice.userId, 1))).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemB)!.get('dots')!.set(users.alice.userId, 2))).toEqual(
      refused('POL-8'),
    );
    // Moving a dot from A to B in one update stays within budget.
    expect(
      s.attempt('alice', (d) =>
        d.transact(() => {
          getItemMap(d, s.itemA)!.get('dots')!.set(users.alice.userId, 1);
          getItemMap(d, s.itemB)!.get('dots')!.set(users.alice.userId, 2);
        }),
      ),
    ).toEqual(ok);
    // Bob's budget is his own.
    expect(s.attempt('bob', (d) => getItemMap(d, s.itemB)!.get('dots')!.set(users.bob.userId, 3))).toEqual(ok);
    // A facilitator opening a round with a smaller budget in the same update is judged by it.
    expect(
      s.attempt('sm', (d) =>
        d.transact(() => {
          openDotRound(d, { budget: 1 });
          getItemMap(d, s.itemA)!.get('dots')!.set(users.sm.userId, 2);
        }),
      ),
    ).toEqual(refused('POL-8'));
  });

  it('[POL-8] dots freed by removing them, or placed on a newly added item, count from then on', () => {
    const s = setup();
    expect(s.commit('po', (d) => openDotRound(d, { budget: 3 }))).toEqual(ok);
    expect(s.commit('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.set(users.alice.userId, 3))).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemB)!.get('dots')!.set(users.alice.userId, 1))).toEqual(
      refused('POL-8'),
    );
    expect(s.commit('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.delete(users.alice.userId))).toEqual(ok);
    expect(s.commit('alice', (d) => getItemMap(d, s.itemB)!.get('dots')!.set(users.alice.userId, 2))).toEqual(ok);
    const itemC = addItem(s.server, { title: 'C', createdBy: users.po.userId });
    expect(s.commit('alice', (d) => getItemMap(d, itemC)!.get('dots')!.set(users.alice.userId, 1))).toEqual(ok);
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.get('dots')!.set(users.alice.userId, 1))).toEqual(
      refused('POL-8'),
    );
  });

  it('[POL-9] comments are written in your own name and edited or deleted only by their author', () => {
    const s = setup();
    expect(s.commit('alice', (d) => addComment(d, s.itemA, users.alice.userId))).toEqual(ok);
    expect(s.attempt('alice', (d) => addComment(d, s.itemA, users.bob.userId))).toEqual(refused('POL-9'));
    expect(s.attempt('alice', (d) => (commentAt(d, s.itemA, 0) as Y.Map<unknown>).set('text', 'edited'))).toEqual(ok);
    expect(s.attempt('bob', (d) => (commentAt(d, s.itemA, 0) as Y.Map<unknown>).set('text', 'pwned'))).toEqual(
      refused('POL-9'),
    );
    expect(s.attempt('po', (d) => (commentAt(d, s.itemA, 0) as Y.Map<unknown>).set('deletedAt', 5))).toEqual(
      refused('POL-9'),
    );
    expect(s.attempt('bob', (d) => getItemMap(d, s.itemA)!.get('comments')!.delete(0, 1))).toEqual(refused('POL-9'));
    expect(s.attempt('alice', (d) => getItemMap(d, s.itemA)!.get('comments')!.delete(0, 1))).toEqual(ok);
    expect(s.attempt('alice', (d) => (commentAt(d, s.itemA, 0) as Y.Map<unknown>).set('authorId', users.bob.userId))).toEqual(
      refused('POL-9'),
    );
  });

  it('[POL-10] questions: ask in your own name, anyone answers, the asker or the PO resolves', () => {
    const s = setup();
    expect(s.attempt('alice', (d) => addQuestion(d, s.itemA, users.bob.userId))).toEqual(refused('POL-10'));
    expect(s.commit('alice', (d) => addQuestion(d, s.itemA, users.alice.userId))).toEqual(ok);
    const answer = (by: UserId) => (d: Y.Doc) =>
      d.transact(() => {
        const q = questionAt(d, s.itemA) as Y.Map<unknown>;
        q.set('answer', '42');
        q.set('answeredBy', by);
      });
    expect(s.attempt('bob', answer(users.bob.userId))).toEqual(ok);
    expect(s.attempt('bob', answer(users.po.userId))).toEqual(refused('POL-10'));
    expect(s.attempt('viewer', answer(users.viewer.userId))).toEqual(refused('POL-10'));
    const resolve = (by: UserId) => (d: Y.Doc) =>
      d.transact(() => {
        const q = questionAt(d, s.itemA) as Y.Map<unknown>;
        q.set('resolvedAt', 2);
        q.set('resolvedBy', by);
      });
    expect(s.attempt('alice', resolve(users.alice.userId))).toEqual(ok);
    expect(s.attempt('po', resolve(users.po.userId))).toEqual(ok);
    expect(s.attempt('bob', resolve(users.bob.userId))).toEqual(refused('POL-10'));
    expect(s.attempt('sm', resolve(users.sm.userId))).toEqual(refused('POL-10'));
    expect(s.attempt('bob', (d) => (questionAt(d, s.itemA) as Y.Map<unknown>).set('text', 'changed'))).toEqual(
      refused('POL-10'),
    );
  });

  it('[POL-11] [POL-12] facilitators run the session and the sprints', () => {
    const s = setup();
    expect(s.attempt('sm', (d) => boardRoots(d).session.set('phase', 'estimation'))).toEqual(ok);
    expect(s.attempt('alice', (d) => boardRoots(d).session.set('phase', 'estimation'))).toEqual(refused('POL-11'));
    const sprint = (d: Y.Doc) => {
      const m = new Y.Map<unknown>();
      m.set('id', 'sprint01');
      m.set('name', 'Sprint 1');
      boardRoots(d).sprints.set('sprint01', m);
    };
    expect(s.attempt('po', sprint)).toEqual(ok);
    expect(s.attempt('alice', sprint)).toEqual(refused('POL-12'));
  });

  it('[POL-14] read markers: only your own', () => {
    const s = setup();
    expect(s.attempt('alice', (d) => d.getMap('reads').set(`${users.alice.userId}:${s.itemA}`, 2))).toEqual(ok);
    expect(s.attempt('alice', (d) => d.getMap('reads').set(`${users.bob.userId}:${s.itemA}`, 2))).toEqual(refused('POL-14'));
    expect(s.attempt('alice', (d) => d.getMap('reads').set(`${users.alice.userId}:${s.itemA}`, 'x'))).toEqual(
      refused('POL-14'),
    );
    expect(s.attempt('viewer', (d) => d.getMap('reads').set(`${users.viewer.userId}:${s.itemA}`, 1))).toEqual(refused('POL-14'));
  });

  it('[POL-13] updates the server cannot place are refused', () => {
    const s = setup();
    expect(s.attempt('po', (d) => d.getMap('secrets').set('x', 1))).toEqual(refused('POL-13'));
    expect(s.attempt('po', (d) => (getItemMap(d, s.itemA) as unknown as Y.Map<unknown>).set('blob', new Uint8Array([1, 2])))).toEqual(refused('POL-16'));
    expect(s.attempt('po', (d) => (getItemMap(d, s.itemA) as unknown as Y.Map<unknown>).set('sub', new Y.Doc()))).toEqual(refused('POL-16'));
    expect(s.attempt('po', (d) => (getItemMap(d, s.itemA)!.get('title') as Y.Text).format(0, 1, { bold: true }))).toEqual(refused('POL-16'));
    expect(s.gate.check({ doc: s.server, user: auth('po'), update: new Uint8Array([1, 2, 3, 4]) })).toEqual(
      refused('POL-13'),
    );
    // An edit inside an item the server never accepted: its parent is unknown here.
    const d = s.client();
    const ghost = addItem(d, { title: 'ghost', createdBy: users.alice.userId });
    expect(s.attempt('alice', (doc) => setItemTitle(doc, ghost, 'boo'), d)).toEqual(refused('POL-13'));
    // A delete aimed at content that does not exist yet (someone's future comment).
    const future = new Y.Doc();
    future.clientID = 999_999;
    future.getMap('items').set('k', 1);
    const pre = Y.encodeStateAsUpdate(future);
    const onlyDelete = new Y.Doc();
    Y.applyUpdate(onlyDelete, pre);
    const sv = Y.encodeStateVector(onlyDelete);
    onlyDelete.getMap('items').delete('k');
    const del = Y.encodeStateAsUpdate(onlyDelete, sv);
    expect(s.gate.check({ doc: s.server, user: auth('po'), update: del })).toEqual(refused('POL-13'));
  });

  it('[POL-4] content created and deleted in one transaction is garbage, not unknown (seed 604542)', () => {
    const s = setup();
    const verdict = s.attempt('alice', (d) =>
      d.transact(() => {
        const id = addItem(d, { title: 'gone', createdBy: users.alice.userId });
        setItemTitle(d, id, 'gone!');
        boardRoots(d).items.delete(id);
      }),
    );
    expect(verdict).toEqual(ok);
  });

  it('refuses the whole update when one change in it is refused', () => {
    const s = setup();
    const verdict = s.attempt('alice', (d) =>
      d.transact(() => {
        setItemTitle(d, s.itemA, 'fine');
        boardRoots(d).estimation.set('state', 'revealed');
      }),
    );
    expect(verdict).toEqual(refused('POL-2'));
  });

  it('places edits from a client that is behind the server (concurrent edits)', () => {
    const s = setup();
    const stale = s.client();
    expect(s.commit('bob', (d) => setItemTitle(d, s.itemA, 'Bob was here'))).toEqual(ok);
    expect(s.commit('po', (d) => moveItem(d, s.itemA, 'bottom'))).toEqual(ok);
    expect(s.attempt('alice', (d) => setItemTitle(d, s.itemA, 'Alice too'), stale)).toEqual(ok);
    expect(s.attempt('alice', (d) => setItemEstimate(d, s.itemA, '1'), stale)).toEqual(refused('POL-5'));
  });
});
