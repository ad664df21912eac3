/**
 * The write gate on mentions [MEN-2] and on "For me" read markers [MEN-4, POL-14], with
 * updates a modified client could send.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, ItemId, UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { Role } from '../../shared/roles.ts';
import { addItem, getItemMap, initBoard } from '../../shared/schema/board.ts';
import { addComment } from '../../shared/schema/comments.ts';
import { createCommentMap } from '../../shared/schema/comment.ts';
import { inboxAllKey, inboxItemKey } from '../../shared/schema/inboxReads.ts';
import { answerQuestion, askQuestion } from '../../shared/schema/questions.ts';
import { readsMap } from '../../shared/schema/reads.ts';
import type { AuthUser, UpdateVerdict } from '../extensions.ts';
import { PolicyGate } from './gate.ts';

const users = {
  po: { userId: 'userPO000001' as UserId, role: 'po', name: 'Paula' },
  alice: { userId: 'userALICE001' as UserId, role: 'dev', name: 'Alice' },
  bob: { userId: 'userBOB00001' as UserId, role: 'dev', name: 'Bob' },
  viewer: { userId: 'userVIEW0001' as UserId, role: 'viewer', name: 'Vera' },
} satisfies Record<string, { userId: UserId; role: Role; name: string }>;
type Who = keyof typeof users;
const actor = (who: Who) => users[who];
const auth = (who: Who): AuthUser => ({ boardId: 'board1' as BoardId, ...users[who] });

function setup() {
  const server = new Y.Doc();
  initBoard(server, { title: 'Board', createdAt: 1 });
  const item = addItem(server, { title: 'A', createdBy: users.po.userId });
  const gate = new PolicyGate();
  const client = () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    return doc;
  };
  const commit = (who: Who, fn: (doc: Y.Doc) => void): UpdateVerdict => {
    const doc = client();
    const before = Y.encodeStateVector(doc);
    fn(doc);
    const update = Y.encodeStateAsUpdate(doc, before);
    const verdict = gate.check({ doc: server, user: auth(who), update });
    if (verdict.ok) Y.applyUpdate(server, update);
    return verdict;
  };
  return { server, item, commit };
}

const ok = { ok: true };
const refused = (rule: string) => expect.objectContaining({ ok: false, rule });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `user${String(i).padStart(8, '0')}`);

/** A comment as a modified client writes it: mentions exactly as given, no cleaning. */
function rawComment(doc: Y.Doc, itemId: ItemId, who: Who, mentions: unknown): void {
  getItemMap(doc, itemId)!
    .get('comments')!
    .push([
      createCommentMap({ id: 'comment0001' as never, text: 'hi', authorId: users[who].userId, authorName: users[who].name, createdAt: 1, mentions: mentions as never }) as unknown as Y.Map<unknown>,
    ]);
}

describe('[MEN-2] the gate admits mentions only as short lists of user ids', () => {
  it('a comment mentioning up to maxMentionsPerEntry people goes in; 10,000 ids are refused', () => {
    const s = setup();
    expect(s.commit('alice', (d) => rawComment(d, s.item, 'alice', ids(LIMITS.maxMentionsPerEntry)))).toEqual(ok);
    const s2 = setup();
    expect(s2.commit('alice', (d) => rawComment(d, s2.item, 'alice', ids(10_000)))).toEqual(refused('MEN-2'));
    expect(s2.commit('alice', (d) => rawComment(d, s2.item, 'alice', ids(LIMITS.maxMentionsPerEntry + 1)))).toEqual(refused('MEN-2'));
  });

  it('ids must be id-like and distinct, in a plain list', () => {
    const s = setup();
    expect(s.commit('alice', (d) => rawComment(d, s.item, 'alice', ['<script>']))).toEqual(refused('MEN-2'));
    expect(s.commit('alice', (d) => rawComment(d, s.item, 'alice', [users.bob.userId, users.bob.userId]))).toEqual(refused('MEN-2'));
    expect(s.commit('alice', (d) => rawComment(d, s.item, 'alice', users.bob.userId))).toEqual(refused('MEN-2'));
    expect(s.commit('alice', (d) => rawComment(d, s.item, 'alice', { [users.bob.userId]: true }))).toEqual(refused('MEN-2'));
    expect(s.commit('alice', (d) => rawComment(d, s.item, 'alice', [users.bob.userId]))).toEqual(ok);
  });

  it('an existing comment’s mentions are its author’s to change (POL-9), and the limit holds there too', () => {
    const s = setup();
    expect(s.commit('alice', (d) => addComment(d, s.item, actor('alice'), '@Bob', 1, undefined, undefined, [users.bob.userId]))).toEqual(ok);
    const mentionsOf = (d: Y.Doc) => getItemMap(d, s.item)!.get('comments')!.get(0);
    expect(s.commit('bob', (d) => mentionsOf(d).set('mentions', [users.po.userId]))).toEqual(refused('POL-9'));
    expect(s.commit('alice', (d) => mentionsOf(d).set('mentions', ids(10_000)))).toEqual(refused('MEN-2'));
    expect(s.commit('alice', (d) => mentionsOf(d).set('mentions', [users.po.userId]))).toEqual(ok);
  });

  it('questions and answers: the asker writes the question’s mentions, any answerer the answer’s', () => {
    const s = setup();
    let qid = '';
    expect(
      s.commit('alice', (d) => {
        const r = askQuestion(d, s.item, actor('alice'), { text: '@Bob?', mentions: [users.bob.userId] });
        if (r.ok) qid = r.value;
      }),
    ).toEqual(ok);
    expect(s.commit('bob', (d) => answerQuestion(d, s.item, qid as never, actor('bob'), 'ask @Paula', 2, undefined, [users.po.userId]))).toEqual(ok);
    const question = (d: Y.Doc) => getItemMap(d, s.item)!.get('questions')!.get(0);
    expect(s.commit('bob', (d) => question(d).set('answerMentions', ids(10_000)))).toEqual(refused('MEN-2'));
    expect(s.commit('bob', (d) => question(d).set('mentions', [users.po.userId]))).toEqual(refused('POL-10'));
    expect(s.commit('viewer', (d) => question(d).set('answerMentions', [users.po.userId]))).toEqual(refused('POL-10'));
  });
});

describe('[MEN-4] For me read markers are the writer’s own (POL-14)', () => {
  it('own inbox and item markers go in; someone else’s are refused', () => {
    const s = setup();
    expect(s.commit('alice', (d) => readsMap(d).set(inboxAllKey(users.alice.userId), 1_700_000_000_000))).toEqual(ok);
    expect(s.commit('alice', (d) => readsMap(d).set(inboxItemKey(users.alice.userId, s.item), 1_700_000_000_000))).toEqual(ok);
    expect(s.commit('alice', (d) => readsMap(d).set(inboxAllKey(users.bob.userId), 0))).toEqual(refused('POL-14'));
    expect(s.commit('alice', (d) => readsMap(d).set(inboxItemKey(users.bob.userId, s.item), 0))).toEqual(refused('POL-14'));
  });

  it('a marker is a whole number ≥ 0 under a well-formed key; viewers keep none', () => {
    const s = setup();
    expect(s.commit('alice', (d) => readsMap(d).set(inboxAllKey(users.alice.userId), -1))).toEqual(refused('POL-14'));
    expect(s.commit('alice', (d) => readsMap(d).set(inboxAllKey(users.alice.userId), 1.5))).toEqual(refused('POL-14'));
    expect(s.commit('alice', (d) => readsMap(d).set(`${users.alice.userId}:@x`, 1))).toEqual(refused('POL-17'));
    expect(s.commit('alice', (d) => readsMap(d).set(`${users.alice.userId}:@inbox:more`, 1))).toEqual(refused('POL-17'));
    expect(s.commit('viewer', (d) => readsMap(d).set(inboxAllKey(users.viewer.userId), 1))).toEqual(refused('POL-14'));
  });
});
