/**
 * [SPR-4][SPR-5][SPR-11] Several peers move items between the backlog and sprints while
 * others start, close and delete sprints, with random delivery order: after everything is
 * delivered every peer holds the same board, every item is in exactly one place (one sprint
 * or the backlog; an item naming a deleted sprint reads as backlog, SPR-2), and no later
 * edit changed a committed record.
 *
 * Reproduce a failure with FC_SEED=<printed seed> npx vitest run test/property/sprints.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, SprintId, UserId } from '../../shared/ids.ts';
import { appendItems, initBoard, listItems, setItemStatus } from '../../shared/schema/board.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { ROOT } from '../../shared/schema/roots.ts';
import { closeSprint, createSprint, deleteSprint, moveItemToSprint, readSprintById, readSprints, sprintOf, startSprint } from '../../shared/schema/sprints.ts';
import { runSeed, withSeededRandom } from './arbitraries.ts';
import { Network } from './network.ts';

const seed = runSeed();
const RUNS = Number(process.env.FC_RUNS ?? 50);
const sm: Actor = { userId: 'propSm0001' as UserId, name: 'Sam', role: 'sm' };
const DAY = 86_400_000;

type Op =
  | { kind: 'move'; peer: number; item: number; to: number }
  | { kind: 'done'; peer: number; item: number }
  | { kind: 'start'; peer: number; sprint: number }
  | { kind: 'close'; peer: number; sprint: number; to: number }
  | { kind: 'delete'; peer: number; sprint: number }
  | { kind: 'deliver'; from: number; to: number; pick: number; count: number };

const peerArb = fc.nat(4);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('move' as const), peer: peerArb, item: fc.nat(20), to: fc.nat(3) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('done' as const), peer: peerArb, item: fc.nat(20) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('start' as const), peer: peerArb, sprint: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), peer: peerArb, sprint: fc.nat(2), to: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), peer: peerArb, sprint: fc.nat(2) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: peerArb, to: peerArb, pick: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }) },
);

const rootsJson = (doc: Y.Doc) => Object.fromEntries(Object.values(ROOT).map((name) => [name, doc.getMap(name).toJSON()]));

describe('sprint planning converges', () => {
  it('[SPR-4][SPR-5][SPR-11] concurrent moves, starts, closes and deletes converge; each item in one place; committed records unchanged', () => {
    fc.assert(
      fc.property(fc.record({ peers: fc.integer({ min: 2, max: 5 }), ops: fc.array(opArb, { minLength: 5, maxLength: 60 }), random: fc.integer(), settle: fc.nat() }), (s) =>
        withSeededRandom(s.random, () => {
          const origin = new Y.Doc();
          origin.clientID = 1000;
          initBoard(origin, { title: 'prop', createdAt: 1 });
          const items = appendItems(origin, Array.from({ length: 8 }, (_, i) => ({ title: `i${i}`, createdBy: sm.userId, now: 1, id: `item${i}00000` as ItemId })));
          const sprints: SprintId[] = [0, 1, 2].map((n) => {
            const r = createSprint(origin, sm, { name: `Sprint ${n}`, goal: '', startsAt: n * 14 * DAY, endsAt: n * 14 * DAY + 13 * DAY });
            if (!r.ok) throw new Error(r.message);
            return r.value;
          });
          const net = new Network(s.peers, origin);
          /** Every committed record any peer wrote, per sprint. */
          const written = new Map<SprintId, unknown[]>();
          s.ops.forEach((op, step) => {
            const doc = (p: number) => net.docs[p % s.peers]!;
            const target = (n: number) => (n === 3 ? null : sprints[n]!);
            switch (op.kind) {
              case 'move':
                moveItemToSprint(doc(op.peer), sm, items[op.item % items.length]!, target(op.to));
                break;
              case 'done':
                setItemStatus(doc(op.peer), items[op.item % items.length]!, 'done');
                break;
              case 'start': {
                const id = sprints[op.sprint]!;
                if (startSprint(doc(op.peer), sm, id, step).ok) {
                  written.set(id, [...(written.get(id) ?? []), readSprintById(doc(op.peer), id)!.committed]);
                }
                break;
              }
              case 'close': {
                const to = target(op.to);
                closeSprint(doc(op.peer), sm, sprints[op.sprint]!, { all: to ?? 'backlog', now: step });
                break;
              }
              case 'delete':
                deleteSprint(doc(op.peer), sm, sprints[op.sprint]!);
                break;
              case 'deliver':
                net.deliver(op.from % s.peers, op.to % s.peers, op.pick, op.count);
                break;
            }
          });
          net.settle(s.settle);
          const [first, ...rest] = net.docs;
          for (const d of rest) expect(rootsJson(d)).toEqual(rootsJson(first!));
          const known = new Set(readSprints(first!).map((x) => x.id));
          const all = listItems(first!);
          // Exactly one place: the backlog or one existing sprint; nothing lost or doubled.
          expect(all.map((i) => i.id).sort()).toEqual([...items].sort());
          // A sprintId is null, an existing sprint, or one of the sprints a peer deleted (reads as backlog).
          for (const item of all) expect(item.sprintId === null || sprints.includes(item.sprintId as SprintId)).toBe(true);
          const places = [null, ...known].map((p) => all.filter((i) => sprintOf(first!, i) === p).length);
          expect(places.reduce((a, b) => a + b, 0)).toBe(items.length);
          // No move or close rewrote a committed record: the one kept is one a start wrote.
          for (const sprint of readSprints(first!)) {
            const candidates = written.get(sprint.id) ?? [];
            if (sprint.committed === null) expect(candidates).toEqual([]);
            else expect(candidates).toContainEqual(sprint.committed);
            if (candidates.length === 1) expect(sprint.committed).toEqual(candidates[0]);
          }
        }),
      ),
      { seed, numRuns: RUNS },
    );
  });
});
