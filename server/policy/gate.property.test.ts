/**
 * [POL-16][POL-17][POL-18] The strict gate must never refuse an honest client: random people
 * (PO, SM, two developers) work on stale copies of one board through the shared schema
 * operations the UI uses, their updates reach the server in random interleavings, and the
 * gate accepts every one. Ops that can honestly race into a refusal (marking ready while
 * someone else asks a question, two people filling a list to its limit) are left out.
 * Seeded; FC_SEED=<printed seed> replays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, CommentId, ItemId, QuestionId, UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import {
  addItem,
  archiveItem,
  initBoard,
  listItems,
  moveItem,
  restoreItem,
  setItemDescription,
  setItemEstimate,
  setItemLabel,
  setItemTitle,
} from '../../shared/schema/board.ts';
import { changeMyDots, openDotRound } from '../../shared/schema/dots.ts';
import { markRead } from '../../shared/schema/reads.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { addComment, deleteComment, editComment } from '../../shared/schema/comments.ts';
import { addCriterion, setCriterionDone } from '../../shared/schema/criteria.ts';
import { answerQuestion, askQuestion, resolveQuestion } from '../../shared/schema/questions.ts';
import { setFocusItem, setPhase, startTimer } from '../../shared/schema/facilitation.ts';
import { setStatusChecked } from '../../shared/schema/ready.ts';
import { runSeed } from '../../test/property/arbitraries.ts';
import type { AuthUser } from '../extensions.ts';
import { PolicyGate } from './gate.ts';

const PEOPLE: readonly Actor[] = [
  { userId: 'userPO000001' as UserId, name: 'Paula', role: 'po' },
  { userId: 'userSM000001' as UserId, name: 'Sam', role: 'sm' },
  { userId: 'userDEV00001' as UserId, name: 'Dana', role: 'dev' },
  { userId: 'userDEV00002' as UserId, name: 'Devi', role: 'dev' },
];

type Op =
  | { kind: 'add' | 'title' | 'describe' | 'move' | 'archive' | 'restore' | 'status' | 'estimate' | 'label' | 'comment' | 'editComment' | 'deleteComment'; pick: number; text: string }
  | { kind: 'ask' | 'answer' | 'resolve' | 'criterion' | 'check' | 'dot' | 'undot' | 'read' | 'phase' | 'focus' | 'timer'; pick: number; text: string };

const KINDS = ['add', 'title', 'describe', 'move', 'archive', 'restore', 'status', 'estimate', 'label', 'comment', 'editComment', 'deleteComment', 'ask', 'answer', 'resolve', 'criterion', 'check', 'dot', 'undot', 'read', 'phase', 'focus', 'timer'] as const;
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom(...KINDS),
  pick: fc.nat(),
  text: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('ü😀 text', 'x'.repeat(300))),
}) as fc.Arbitrary<Op>;

function perform(doc: Y.Doc, actor: Actor, op: Op): void {
  const items = listItems(doc, { includeArchived: true });
  const item = items.length > 0 ? items[op.pick % items.length]! : null;
  const id = item?.id as ItemId;
  const text = op.text.trim() || 'text';
  const nth = <T>(xs: readonly T[]): T | undefined => (xs.length > 0 ? xs[op.pick % xs.length] : undefined);
  switch (op.kind) {
    case 'add':
      if (actor.role !== 'po' && actor.role !== 'sm' && actor.role !== 'dev') return;
      addItem(doc, { title: text, createdBy: actor.userId, placement: op.pick % 2 ? 'top' : 'bottom', labels: ['new'] });
      return;
    case 'title':
      if (item) setItemTitle(doc, id, `${text} ${op.pick % 100}`);
      return;
    case 'describe':
      if (item) setItemDescription(doc, id, text.repeat(1 + (op.pick % 3)));
      return;
    case 'move':
      if (item) moveItem(doc, id, { index: op.pick % 7 });
      return;
    case 'archive':
      if (item) archiveItem(doc, id);
      return;
    case 'restore':
      if (item) restoreItem(doc, id);
      return;
    case 'status':
      // `ready` can race with someone else's new question (a refusal an honest client may meet).
      if (item) setStatusChecked(doc, id, (['new', 'refining', 'done'] as const)[op.pick % 3]!, actor);
      return;
    case 'estimate':
      if (item && (actor.role === 'po' || actor.role === 'sm')) setItemEstimate(doc, id, (['1', '3', '8', null] as const)[op.pick % 4]!);
      return;
    case 'label':
      if (item) setItemLabel(doc, id, (['ux', 'api', 'bug', ' spaced '] as const)[op.pick % 4]!, op.pick % 3 !== 0);
      return;
    case 'comment':
      if (item) addComment(doc, id, actor, text);
      return;
    case 'editComment': {
      const mine = nth(item?.comments.filter((c) => c.authorId === actor.userId && c.deletedAt === null) ?? []);
      if (mine) editComment(doc, id, mine.id as CommentId, actor, `${text} (edited)`);
      return;
    }
    case 'deleteComment': {
      const mine = nth(item?.comments.filter((c) => c.authorId === actor.userId && c.deletedAt === null) ?? []);
      if (mine) deleteComment(doc, id, mine.id as CommentId, actor);
      return;
    }
    case 'ask':
      if (item) askQuestion(doc, id, actor, { text, assignee: op.pick % 2 ? { id: PEOPLE[2]!.userId, name: PEOPLE[2]!.name } : null });
      return;
    case 'answer': {
      const q = nth(item?.questions ?? []);
      if (q) answerQuestion(doc, id, q.id as QuestionId, actor, text);
      return;
    }
    case 'resolve': {
      const q = nth(item?.questions ?? []);
      if (q) resolveQuestion(doc, id, q.id as QuestionId, actor, op.pick % 4 !== 0);
      return;
    }
    case 'criterion':
      if (item) addCriterion(doc, id, actor, text);
      return;
    case 'check': {
      const c = nth(item?.criteria ?? []);
      if (c) setCriterionDone(doc, id, c.id, actor, op.pick % 2 === 0);
      return;
    }
    case 'dot':
      if (item) changeMyDots(doc, id, actor.userId, 1);
      return;
    case 'undot':
      if (item) changeMyDots(doc, id, actor.userId, -1);
      return;
    case 'read':
      if (item) markRead(doc, actor.userId, id);
      return;
    case 'phase':
      setPhase(doc, actor, (['refinement', 'estimation', 'planning'] as const)[op.pick % 3]!);
      return;
    case 'focus':
      setFocusItem(doc, actor, op.pick % 3 === 0 ? null : (id ?? null));
      return;
    case 'timer':
      startTimer(doc, actor, 60_000 * (1 + (op.pick % 10)), Date.now());
      return;
  }
}

const authOf = (a: Actor): AuthUser => ({ boardId: 'propboard01' as BoardId, userId: a.userId, role: a.role as Role, name: a.name });

/** Seeds that once failed: two people renaming one title at once merged past its limit. */
const REGRESSION_SEEDS = [2123927433];

describe('write gate, honest clients', () => {
  it.each([...REGRESSION_SEEDS, runSeed()])('[POL-16][POL-17][POL-18] accepts every update honest people make on stale copies, in any interleaving (seed %i)', (seed) => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: PEOPLE.length - 1 }), opArb, fc.boolean()), { minLength: 1, maxLength: 60 }), (script) => {
        const server = new Y.Doc();
        initBoard(server, { title: 'Honest', createdAt: 1 });
        openDotRound(server, { budget: 5 });
        addItem(server, { title: 'Seed', createdBy: PEOPLE[0]!.userId });
        const gate = new PolicyGate();
        const peers = PEOPLE.map((actor) => {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
          const outbox: Uint8Array[] = [];
          doc.on('update', (u: Uint8Array, origin: unknown) => origin !== 'sync' && outbox.push(u));
          return { actor, doc, outbox };
        });
        for (const [who, op, deliver] of script) {
          const peer = peers[who]!;
          perform(peer.doc, peer.actor, op);
          if (!deliver) continue;
          for (const update of peer.outbox.splice(0)) {
            const verdict = gate.check({ doc: server, user: authOf(peer.actor), update });
            expect(verdict, `${peer.actor.role} ${op.kind}`).toEqual({ ok: true });
            Y.applyUpdate(server, update);
          }
          Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(peer.doc)), 'sync');
        }
      }),
      { seed, numRuns: 80 },
    );
  });
});
