/**
 * [DOR-4][POL-18] The gate's Definition of Ready judgement against what Yjs really keeps:
 * PO, SM and a developer edit descriptions, criteria, ticks and estimates on stale copies,
 * and (as a modified client would, bypassing the UI's check) mark items ready; each one's
 * pending changes reach the server as one merged update, as after being offline.
 * - Sound: whenever the gate accepts, every item the update marked ready passes the
 *   definition on the board as the update leaves it (applied to a copy to find out).
 * - Exact without concurrency: when the sender had seen everything on the server, the gate
 *   refuses (DOR-4) only if one of those items really fails.
 * Seeded; FC_SEED=<printed seed> replays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BoardId, ItemId, UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import { addItem, getItem, getItemMap, initBoard, readMeta, setItemDescription, setItemEstimate } from '../../shared/schema/board.ts';
import { addCriterion, removeCriterion } from '../../shared/schema/criteria.ts';
import { setDefinitionOfReady, setReadyCheck } from '../../shared/schema/definitionOfReady.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { type DefinitionOfReady, evaluateReadiness, READY_CHECKS } from '../../shared/schema/readiness.ts';
import { runSeed } from '../../test/property/arbitraries.ts';
import type { AuthUser } from '../extensions.ts';
import { PolicyGate } from './gate.ts';

const PEOPLE: readonly Actor[] = [
  { userId: 'userPO000001' as UserId, name: 'Paula', role: 'po' },
  { userId: 'userSM000001' as UserId, name: 'Sam', role: 'sm' },
  { userId: 'userDEV00001' as UserId, name: 'Dana', role: 'dev' },
];
const CHECKS = [
  { id: 'uxreview01', label: 'UX reviewed' },
  { id: 'legalok001', label: 'Legal ok' },
];
const TEXTS = ['', '   ', 'Why', 'Why not', ' x ', '\n', 'Guests pay', 'Why'];
const KINDS = ['describe', 'describe', 'criterion', 'uncriterion', 'tick', 'tick', 'untick', 'estimate', 'ready', 'ready', 'ready'] as const;
type Op = { kind: (typeof KINDS)[number]; pick: number };
const opArb: fc.Arbitrary<Op> = fc.record({ kind: fc.constantFrom(...KINDS), pick: fc.nat() });

function perform(doc: Y.Doc, actor: Actor, ids: readonly ItemId[], op: Op): ItemId | null {
  const id = ids[op.pick % ids.length]!;
  const item = getItem(doc, id);
  if (!item) return null;
  switch (op.kind) {
    case 'describe':
      setItemDescription(doc, id, TEXTS[op.pick % TEXTS.length]!);
      return null;
    case 'criterion':
      addCriterion(doc, id, actor, 'Pays');
      return null;
    case 'uncriterion': {
      const c = item.criteria[op.pick % Math.max(1, item.criteria.length)];
      if (c) removeCriterion(doc, id, c.id, actor);
      return null;
    }
    case 'tick':
    case 'untick':
      setReadyCheck(doc, actor, id, CHECKS[op.pick % CHECKS.length]!.id, op.kind === 'tick');
      return null;
    case 'estimate':
      if (actor.role === 'po' || actor.role === 'sm') setItemEstimate(doc, id, (['5', ' ', null, '13', '8'] as const)[op.pick % 5]!);
      return null;
    case 'ready':
      // Straight into the document, as a modified client would: the UI's check is skipped.
      doc.transact(() => getItemMap(doc, id)!.set('status', op.pick % 5 === 0 ? 'refining' : 'ready'));
      return getItem(doc, id)?.status === 'ready' ? id : null;
  }
}

const authOf = (a: Actor): AuthUser => ({ boardId: 'propboard01' as BoardId, userId: a.userId, role: a.role as Role, name: a.name });

function readyAfter(doc: Y.Doc, id: ItemId, dor: DefinitionOfReady): boolean {
  const item = getItem(doc, id)!;
  return evaluateReadiness(item, dor, new Set(item.readyChecks)).ready;
}

const definitionArb: fc.Arbitrary<DefinitionOfReady> = fc.record({
  required: fc.subarray([...READY_CHECKS]),
  custom: fc.subarray(CHECKS),
});

describe('Definition of Ready in the gate, against what Yjs keeps', () => {
  it.each([runSeed()])('[DOR-4][POL-18] accepts only what passes after the update, and refuses only that without concurrency (seed %i)', (seed) => {
    fc.assert(
      fc.property(
        definitionArb,
        fc.boolean(),
        fc.array(fc.tuple(fc.integer({ min: 0, max: PEOPLE.length - 1 }), opArb, fc.integer({ min: 0, max: 2 }).map((n) => n === 0)), { minLength: 1, maxLength: 50 }),
        (dor, primed, script) => {
          const server = new Y.Doc();
          initBoard(server, { title: 'DoR', createdAt: 1 });
          setDefinitionOfReady(server, PEOPLE[0]!, dor);
          const ids = [addItem(server, { title: 'A', createdBy: PEOPLE[0]!.userId }), addItem(server, { title: 'B', createdBy: PEOPLE[0]!.userId })];
          // Primed: items start out meeting every check, so the ops that break one decide.
          for (const id of primed ? ids : []) {
            setItemEstimate(server, id, '5');
            setItemDescription(server, id, 'Why');
            addCriterion(server, id, PEOPLE[0]!, 'Pays');
            for (const c of CHECKS) setReadyCheck(server, PEOPLE[0]!, id, c.id, true);
          }
          const definition = readMeta(server).definitionOfReady;
          const gate = new PolicyGate();
          let version = 0;
          const fresh = () => {
            const doc = new Y.Doc();
            Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
            return doc;
          };
          const peers = PEOPLE.map((actor) => ({ actor, doc: fresh(), since: Y.encodeStateVector(server), syncedAt: 0, marked: new Set<ItemId>() }));
          for (const [who, op, deliver] of script) {
            const peer = peers[who]!;
            const marked = perform(peer.doc, peer.actor, ids, op);
            if (marked) peer.marked.add(marked);
            if (!deliver) continue;
            const update = Y.encodeStateAsUpdate(peer.doc, peer.since);
            const verdict = gate.check({ doc: server, user: authOf(peer.actor), update });
            const probe = new Y.Doc();
            Y.applyUpdate(probe, Y.encodeStateAsUpdate(server));
            Y.applyUpdate(probe, update);
            const failing = [...peer.marked].filter((id) => getItem(probe, id)?.status === 'ready' && !readyAfter(probe, id, definition));
            if (verdict.ok) {
              expect(failing, `${peer.actor.role} ready accepted, yet fails after`).toEqual([]);
              Y.applyUpdate(server, update);
              version++;
              Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(peer.doc)));
              peer.syncedAt = version;
            } else {
              expect(['DOR-4', 'POL-15']).toContain(verdict.rule);
              if (peer.syncedAt === version) expect(failing.length, `refused without concurrency: ${verdict.reason}`).toBeGreaterThan(0);
              // POL-R: the refused client drops its copy and syncs afresh.
              peer.doc = fresh();
              peer.syncedAt = version;
            }
            peer.since = Y.encodeStateVector(peer.doc);
            peer.marked.clear();
          }
        },
      ),
      { seed, numRuns: 250 },
    );
  });
});
