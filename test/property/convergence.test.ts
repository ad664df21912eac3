/**
 * [ORD-3][ORD-6][ITEM-1][ITEM-2] Random peers editing one board, random delivery order,
 * random disconnects: after everything is delivered every peer holds the same board,
 * in the same order, with no item lost or duplicated.
 *
 * Reproduce a failure with FC_SEED=<printed seed> npx vitest run test/property/convergence.test.ts
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId, UserId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { compareRanked, isValidRank } from '../../shared/ranking.ts';
import {
  addItem,
  appendItems,
  archiveItem,
  getItem,
  initBoard,
  listItems,
  moveItem,
  type Placement,
  restoreItem,
  setItemTitle,
} from '../../shared/schema/board.ts';
import { ROOT } from '../../shared/schema/roots.ts';
import { runSeed, withSeededRandom } from './arbitraries.ts';
import { Network } from './network.ts';

const seed = runSeed();
/** FC_RUNS raises the run count for a longer hunt; the default is sized for every suite run. */
const RUNS = Number(process.env.FC_RUNS ?? 200);
const user = 'propuser01' as UserId;

type Op =
  | { kind: 'add'; peer: number; placement: Placement }
  | { kind: 'move'; peer: number; item: number; to: Placement }
  | { kind: 'archive'; peer: number; item: number }
  | { kind: 'restore'; peer: number; item: number }
  | { kind: 'title'; peer: number; item: number; at: number; del: number; text: string }
  | { kind: 'deliver'; from: number; to: number; pick: number; count: number }
  | { kind: 'disconnect'; peer: number }
  | { kind: 'reconnect'; peer: number };

const peerArb = fc.nat(4);
const itemArb = fc.nat(1000);
const placementArb: fc.Arbitrary<Placement> = fc.oneof(
  fc.constant('top' as const),
  fc.constant('bottom' as const),
  fc.nat(12).map((index) => ({ index })),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('add' as const), peer: peerArb, placement: placementArb }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('move' as const), peer: peerArb, item: itemArb, to: placementArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('archive' as const), peer: peerArb, item: itemArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restore' as const), peer: peerArb, item: itemArb }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('title' as const),
      peer: peerArb,
      item: itemArb,
      at: fc.nat(40),
      del: fc.nat(3),
      text: fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é', '😀'), maxLength: 4 }),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('deliver' as const), from: peerArb, to: peerArb, pick: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('disconnect' as const), peer: peerArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reconnect' as const), peer: peerArb }) },
);

const scenarioArb = fc.record({
  peers: fc.integer({ min: 3, max: 5 }),
  initialItems: fc.nat(6),
  ops: fc.array(opArb, { minLength: 5, maxLength: 60, size: 'max' }),
  random: fc.integer(),
  /** Without jitter, concurrent inserts at one spot get equal keys: ties and re-keying get exercised. */
  jitter: fc.boolean(),
  settlePick: fc.nat(),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

/** The index a placement asks for in a list of `length` others (mirrors the schema's clamp). */
function expectedIndex(placement: Placement, length: number): number {
  if (placement === 'top') return 0;
  if (placement === 'bottom') return length;
  return Math.max(0, Math.min(placement.index, length));
}

/** Runs a scenario; returns the network and every id ever added, for the assertions. */
function run(s: Scenario): { net: Network; added: ItemId[] } {
  return withSeededRandom(s.jitter ? s.random : null, () => {
    const origin = new Y.Doc();
    origin.clientID = 1000; // fixed, so a replay builds the same structs
    initBoard(origin, { title: 'prop', createdAt: 1 });
    const added = appendItems(
      origin,
      Array.from({ length: s.initialItems }, (_, i) => ({ title: `init ${i}`, createdBy: user, now: 1, id: `init${i}000000` as ItemId })),
    );
    const net = new Network(s.peers, origin);
    s.ops.forEach((op, step) => {
      const at = (peer: number) => peer % s.peers;
      const item = (n: number) => added[n % Math.max(1, added.length)];
      switch (op.kind) {
        case 'add': {
          const doc = net.docs[at(op.peer)]!;
          const before = listItems(doc).length;
          const id = addItem(doc, { title: `item ${step}`, createdBy: user, placement: op.placement, now: step, id: `add${step}0000000` as ItemId });
          added.push(id);
          // [ORD-4] locally the new item lands exactly where it was put, ties or not.
          expect(listItems(doc).findIndex((i) => i.id === id)).toBe(expectedIndex(op.placement, before));
          break;
        }
        case 'move': {
          const id = item(op.item);
          const doc = net.docs[at(op.peer)]!;
          if (!id) break;
          const wasActive = listItems(doc).some((i) => i.id === id);
          const others = listItems(doc).filter((i) => i.id !== id).length;
          moveItem(doc, id, op.to);
          if (wasActive) expect(listItems(doc).findIndex((i) => i.id === id)).toBe(expectedIndex(op.to, others));
          break;
        }
        case 'archive': {
          const id = item(op.item);
          if (id) archiveItem(net.docs[at(op.peer)]!, id, 10_000 + step);
          break;
        }
        case 'restore': {
          const id = item(op.item);
          if (id) restoreItem(net.docs[at(op.peer)]!, id);
          break;
        }
        case 'title': {
          const id = item(op.item);
          const doc = net.docs[at(op.peer)]!;
          const current = id ? getItem(doc, id) : null;
          if (!id || !current) break;
          const cut = Math.min(op.at, current.title.length);
          setItemTitle(doc, id, current.title.slice(0, cut) + op.text + current.title.slice(cut + op.del));
          break;
        }
        case 'deliver':
          net.deliver(at(op.from), at(op.to), op.pick, op.count);
          break;
        case 'disconnect':
          net.disconnect(at(op.peer));
          break;
        case 'reconnect':
          net.reconnect(at(op.peer));
          break;
      }
    });
    net.settle(s.settlePick);
    return { net, added };
  });
}

/** Every root of the board as plain JSON (doc.toJSON lists only roots a doc has opened). */
const rootsJson = (doc: Y.Doc): Record<string, unknown> =>
  Object.fromEntries(Object.values(ROOT).map((name) => [name, doc.getMap(name).toJSON()]));

function assertConverged(net: Network, added: readonly ItemId[]): void {
  const [first, ...rest] = net.docs;
  const reference = {
    state: Y.encodeStateVector(first!),
    json: rootsJson(first!),
    active: listItems(first!),
    all: listItems(first!, { includeArchived: true }),
  };
  for (const doc of net.docs) expect(doc.store.pendingStructs, 'no update left waiting for a dependency').toBeNull();
  for (const doc of rest) {
    // [ORD-6] one identical document and one identical order everywhere.
    expect(Y.encodeStateVector(doc)).toEqual(reference.state);
    expect(rootsJson(doc)).toEqual(reference.json);
    expect(listItems(doc)).toEqual(reference.active);
  }
  const allIds = reference.all.map((i) => i.id);
  // [ORD-3] no item twice; [ITEM-1] no item ever added is lost, archived or not.
  expect(new Set(allIds).size).toBe(allIds.length);
  expect([...allIds].sort()).toEqual([...new Set(added)].sort());
  for (const item of reference.all) {
    expect(isValidRank(item.rank), item.rank).toBe(true);
    expect(item.rank.length).toBeLessThanOrEqual(LIMITS.maxRankLength);
  }
  // [ORD-1][ORD-2] (rank, id) is a strict total order over the active list.
  for (let i = 1; i < reference.active.length; i++) {
    expect(compareRanked(reference.active[i - 1]!, reference.active[i]!)).toBeLessThan(0);
  }
}

/** Failing scenarios found so far, replayed on every run (fast-check seed and path). */
const REGRESSIONS: readonly { seed: number; path: string; note: string }[] = [
  {
    seed: 1639218445,
    path: '133:0:0:5:4:8:9:9:11:10:14:16:17:17:19:9:17:9:19:11:19:9:18:10:18:9:16:17:7:7:7:7:7:7:7:7:7:7:7:7:7',
    note: 'a title edit deleting half an emoji diverged the writer from its peers',
  },
];

const convergence = fc.property(scenarioArb, (s) => {
  const { net, added } = run(s);
  assertConverged(net, added);
});

describe('board convergence', () => {
  it('[ORD-6][ORD-3][ITEM-1][ITEM-8] random peers, delivery order and disconnects converge with nothing lost or duplicated', () => {
    fc.assert(convergence, { seed, numRuns: RUNS });
  }, Math.max(30_000, RUNS * 100));

  for (const r of REGRESSIONS) {
    it(`[ORD-6][ITEM-4] regression: ${r.note} (seed ${r.seed})`, () => {
      fc.assert(convergence, { seed: r.seed, path: r.path, endOnFailure: true });
    });
  }

  it('[ORD-6][ITEM-4] regression: deleting half an emoji from a title (shrunk counterexample, stable across arbitrary changes)', () => {
    const scenario: Scenario = {
      peers: 3,
      initialItems: 2,
      ops: [
        { kind: 'title', peer: 0, item: 221, at: 6, del: 0, text: 'aa😀' },
        { kind: 'deliver', from: 0, to: 0, pick: 0, count: 1 },
        { kind: 'add', peer: 0, placement: { index: 0 } },
        { kind: 'deliver', from: 0, to: 0, pick: 0, count: 1 },
        { kind: 'add', peer: 0, placement: 'top' },
        { kind: 'title', peer: 0, item: 701, at: 7, del: 2, text: '' },
      ],
      random: 0,
      jitter: false,
      settlePick: 0,
    };
    const { net, added } = run(scenario);
    assertConverged(net, added);
  });

  it('[ORD-4][ORD-9] on a converged board (ties included) a move lands exactly at its index on every peer; a repeat writes nothing', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), fc.nat(14), fc.nat(4), (s, pickItem, index, mover) => {
        const { net } = run(s);
        withSeededRandom(s.jitter ? s.random + 1 : null, () => {
          const doc = net.docs[mover % s.peers]!;
          const active = listItems(doc);
          fc.pre(active.length > 0);
          const id = active[pickItem % active.length]!.id;
          const moved = moveItem(doc, id, { index });
          net.settle(0);
          const at = Math.min(index, active.length - 1);
          for (const peer of net.docs) expect(listItems(peer).findIndex((i) => i.id === id)).toBe(at);
          // A moved item never shares its rank: a tie it was dropped into got re-keyed.
          // (A move to where the item already is writes nothing, so its tie may remain.)
          const after = listItems(doc);
          const rank = after[at]!.rank;
          if (moved) expect(after.filter((i) => i.rank === rank)).toHaveLength(1);
          let updates = 0;
          const count = () => updates++;
          doc.on('update', count);
          moveItem(doc, id, { index });
          doc.off('update', count);
          expect(updates).toBe(0);
        });
      }),
      { seed, numRuns: 100 },
    );
  });

  it('[ORD-3][ORD-6] concurrent moves of the SAME item by every peer leave it exactly once, at one of the targets', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 5 }),
        fc.integer({ min: 2, max: 10 }),
        fc.array(placementArb, { minLength: 5, maxLength: 5 }),
        fc.nat(),
        fc.integer(),
        (peers, n, targets, pick, random) => {
          const { net, ids, targetIndexes } = withSeededRandom(random, () => {
            const origin = new Y.Doc();
            origin.clientID = 1000; // fixed, so a replay builds the same structs
            const ids = appendItems(
              origin,
              Array.from({ length: n }, (_, i) => ({ title: `t${i}`, createdBy: user, now: 1, id: `same${i}000000` as ItemId })),
            );
            const net = new Network(peers, origin);
            const mover = ids[0]!;
            const targetIndexes = new Set<number>();
            net.docs.forEach((doc, p) => {
              const target = targets[p]!;
              targetIndexes.add(expectedIndex(target, n - 1));
              moveItem(doc, mover, target);
            });
            net.settle(pick);
            return { net, ids, targetIndexes };
          });
          assertConverged(net, ids);
          const order = listItems(net.docs[0]!).map((i) => i.id);
          expect(order.filter((id) => id === ids[0])).toHaveLength(1);
          expect(order).toHaveLength(n);
          expect(targetIndexes.has(order.indexOf(ids[0]!))).toBe(true);
        },
      ),
      { seed, numRuns: 200 },
    );
  });

  it('[ORD-3][ITEM-1] a move concurrent with an archive and a restore keeps one copy and the content', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('move', 'archive', 'restore', 'title'), { minLength: 3, maxLength: 5 }), fc.nat(), fc.integer(), (acts, pick, random) => {
        const { net, ids } = withSeededRandom(random, () => {
          const origin = new Y.Doc();
          origin.clientID = 1000; // fixed, so a replay builds the same structs
          const ids = appendItems(
            origin,
            ['a', 'b', 'c', 'd'].map((title, i) => ({ title, createdBy: user, now: 1, id: `arch${i}000000` as ItemId })),
          );
          const net = new Network(acts.length, origin);
          acts.forEach((act, p) => {
            const doc = net.docs[p]!;
            if (act === 'move') moveItem(doc, ids[0]!, { index: p % 4 });
            if (act === 'archive') archiveItem(doc, ids[0]!, 5);
            if (act === 'restore') restoreItem(doc, ids[0]!);
            if (act === 'title') setItemTitle(doc, ids[0]!, `a${p}`);
          });
          net.settle(pick);
          return { net, ids };
        });
        assertConverged(net, ids);
        const all = listItems(net.docs[0]!, { includeArchived: true });
        expect(all.filter((i) => i.id === ids[0])).toHaveLength(1);
        const titleEdits = acts.flatMap((act, p) => (act === 'title' ? [`${p}`] : []));
        // [ITEM-2] every concurrent title edit survives the merge.
        for (const mark of titleEdits) expect(getItem(net.docs[0]!, ids[0]!)!.title).toContain(mark);
      }),
      { seed, numRuns: 200 },
    );
  });
});
