import fc from 'fast-check';
import { generateJitteredKeyBetween, generateNJitteredKeysBetween } from 'fractional-indexing-jittered';
import { describe, expect, it } from 'vitest';
import { invalidRank, runSeed, validRank, withSeededRandom } from '../test/property/arbitraries.ts';
import { LIMITS } from './limits.ts';
import {
  compareRanked,
  isValidRank,
  planAppendAll,
  planPlacement,
  type RankPlan,
  type Ranked,
  sortRanked,
} from './ranking.ts';

const seed = runSeed();

/** The list after applying `plan` to `others` plus the entry, in (rank, id) order. */
function applyPlan(others: readonly Ranked[], plan: RankPlan, entryId?: string): Ranked[] {
  const all = others.filter((e) => e.id !== entryId).map((e) => ({ id: e.id, rank: plan.get(e.id) ?? e.rank }));
  if (entryId !== undefined) all.push({ id: entryId, rank: plan.get(entryId)! });
  return sortRanked(all);
}

const ids = (list: readonly Ranked[]): string[] => list.map((e) => e.id);

/** `n` entries with fresh, well-spread keys, appended to an empty list as the board does. */
function spread(n: number, prefix = 'i'): Ranked[] {
  const newIds = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(3, '0')}`);
  const plan = planAppendAll([], newIds);
  return newIds.map((id) => ({ id, rank: plan.get(id)! }));
}

/** Plans moving `id` (present in `ordered`) to `toIndex` as moveItem does: placed among the others. */
function planMoveOf(ordered: readonly Ranked[], id: string, toIndex: number): RankPlan {
  return planPlacement(ordered.filter((entry) => entry.id !== id), id, toIndex);
}

/** Ordered lists of entries with unique ids whose ranks mix valid keys, ties and junk. */
const rankedList = (opts: { invalid: boolean }) =>
  fc
    .uniqueArray(
      fc.record({
        id: fc.stringMatching(/^[A-Za-z0-9]{1,6}$/),
        rank: opts.invalid ? fc.oneof({ weight: 4, arbitrary: validRank }, { weight: 1, arbitrary: invalidRank }) : validRank,
        tieWithPrevious: fc.boolean(),
      }),
      { selector: (e) => e.id, maxLength: 12 },
    )
    .map((raw) => {
      const out: Ranked[] = [];
      for (const e of raw) {
        const prev = out.at(-1);
        out.push({ id: e.id, rank: e.tieWithPrevious && prev ? prev.rank : e.rank });
      }
      return sortRanked(out);
    });

describe('ordering', () => {
  it('[ORD-1] orders by rank compared as plain strings (ASCII: digits < upper < lower case)', () => {
    const list = [
      { id: 'a', rank: 'a1' },
      { id: 'b', rank: 'Zz' },
      { id: 'c', rank: 'a0V' },
      { id: 'd', rank: 'b00' },
    ];
    expect(ids(sortRanked(list))).toEqual(['b', 'c', 'a', 'd']);
  });

  it('[ORD-2] equal ranks order by id, whatever order the entries arrive in', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), rank: fc.constantFrom('a0', 'a1', '') }), {
          selector: (e) => e.id,
        }),
        fc.nat(),
        (list, rotate) => {
          const shuffled = [...list.slice(rotate % (list.length || 1)), ...list.slice(0, rotate % (list.length || 1))].reverse();
          const sorted = sortRanked(list);
          expect(sortRanked(shuffled)).toEqual(sorted);
          for (let i = 1; i < sorted.length; i++) {
            const [a, b] = [sorted[i - 1]!, sorted[i]!];
            expect(a.rank < b.rank || (a.rank === b.rank && a.id < b.id)).toBe(true);
          }
        },
      ),
      { seed },
    );
  });

  it('[ORD-2] compareRanked is a total order: antisymmetric, and 0 only for the same (rank, id)', () => {
    fc.assert(
      fc.property(fc.record({ id: fc.string(), rank: fc.string() }), fc.record({ id: fc.string(), rank: fc.string() }), (a, b) => {
        expect(Math.sign(compareRanked(a, b)) + Math.sign(compareRanked(b, a))).toBe(0);
        expect(compareRanked(a, b) === 0).toBe(a.id === b.id && a.rank === b.rank);
      }),
      { seed },
    );
  });
});

describe('isValidRank', () => {
  it('[ORD-7] accepts the keys the library generates', () => {
    for (const key of generateNJitteredKeysBetween(null, null, 300)) expect(isValidRank(key), key).toBe(true);
  });

  it('[ORD-7] rejects non-strings, empty, non-base62 and malformed keys', () => {
    for (const bad of [undefined, null, 3, '', 'a0 ', 'a-1', 'ä0', 'x'.repeat(300)]) expect(isValidRank(bad)).toBe(false);
  });

  it('[ORD-7] rejects keys whose integer part is malformed (the key library would throw on them)', () => {
    for (const bad of ['hello', '0', '0abc', 'a', 'b1', 'Y1']) expect(isValidRank(bad), bad).toBe(false);
  });

  it('[ORD-7] rejects the extreme z/A integer heads, which the key library itself mishandles', () => {
    expect(() => generateJitteredKeyBetween(null, `B${'0'.repeat(25)}`)).toThrow();
    for (const bad of ['z', 'zA', `zA${'0'.repeat(26)}`, 'A', 'Az']) expect(isValidRank(bad), bad).toBe(false);
  });

  it('[ORD-5] placing after the largest accepted integer re-spreads instead of throwing', () => {
    const top = `y${'z'.repeat(24)}y`;
    expect(isValidRank(top)).toBe(true);
    const others = [{ id: 'A', rank: top }];
    for (let s = 0; s < 20; s++) {
      const plan = withSeededRandom(s, () => planPlacement(others, 'X', 1));
      expect(ids(applyPlan(others, plan, 'X'))).toEqual(['A', 'X']);
    }
  });

  it('[ORD-7] any base62 string it accepts is one the key library can build on', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z]{1,10}$/), fc.integer(), (key, s) => {
        fc.pre(isValidRank(key));
        withSeededRandom(s, () => {
          expect(generateJitteredKeyBetween(key, null) > key).toBe(true);
          expect(generateJitteredKeyBetween(null, key) < key).toBe(true);
        });
      }),
      { seed, numRuns: 300 },
    );
  });

  it('[ORD-7] rejects keys with a trailing zero fraction (nothing fits between a0 and a00)', () => {
    for (const bad of ['a00', 'a0V0', 'b1200']) expect(isValidRank(bad), bad).toBe(false);
    expect(isValidRank('a0')).toBe(true);
    expect(isValidRank('b10')).toBe(true);
  });
});

describe('planPlacement', () => {
  it('top, bottom and an index write one key for the entry only', () => {
    const others = spread(5);
    for (const [index, expected] of [
      [0, ['x', 'i000', 'i001', 'i002', 'i003', 'i004']],
      [5, ['i000', 'i001', 'i002', 'i003', 'i004', 'x']],
      [2, ['i000', 'i001', 'x', 'i002', 'i003', 'i004']],
    ] as const) {
      const plan = planPlacement(others, 'x', index);
      expect([...plan.keys()]).toEqual(['x']);
      expect(ids(applyPlan(others, plan, 'x'))).toEqual(expected);
    }
  });

  it('[ORD-8] clamps an out-of-range index to the ends', () => {
    const others = spread(3);
    expect(ids(applyPlan(others, planPlacement(others, 'x', -4), 'x'))[0]).toBe('x');
    expect(ids(applyPlan(others, planPlacement(others, 'x', 99), 'x')).at(-1)).toBe('x');
  });

  it('places into an empty list', () => {
    const plan = planPlacement([], 'x', 0);
    expect(plan.size).toBe(1);
    expect(isValidRank(plan.get('x'))).toBe(true);
  });

  it('[ORD-4] an insert inside a tied run lands exactly at the index and re-keys only the run', () => {
    const others: Ranked[] = [
      { id: 'A', rank: 'a0' },
      { id: 'B', rank: 'a1' },
      { id: 'C', rank: 'a1' },
      { id: 'D', rank: 'a1' },
      { id: 'E', rank: 'a2' },
    ];
    for (const index of [2, 3]) {
      const plan = planPlacement(others, 'X', index);
      const expected = ['A', 'B', 'C', 'D', 'E'];
      expected.splice(index, 0, 'X');
      expect(ids(applyPlan(others, plan, 'X'))).toEqual(expected);
      expect([...plan.keys()].sort()).toEqual(['B', 'C', 'D', 'X']);
      const after = applyPlan(others, plan, 'X').map((e) => e.rank);
      expect(new Set(after).size).toBe(after.length);
    }
  });

  it('[ORD-4] an insert at the edge of a tied run needs no re-key', () => {
    const others: Ranked[] = [
      { id: 'A', rank: 'a0' },
      { id: 'B', rank: 'a1' },
      { id: 'C', rank: 'a1' },
      { id: 'E', rank: 'a2' },
    ];
    expect([...planPlacement(others, 'X', 1).keys()]).toEqual(['X']);
    expect([...planPlacement(others, 'X', 3).keys()]).toEqual(['X']);
  });

  it('[ORD-4] a tie at the very top or bottom is re-keyed against the list end', () => {
    const others: Ranked[] = [
      { id: 'A', rank: 'a1' },
      { id: 'B', rank: 'a1' },
      { id: 'C', rank: 'a1' },
    ];
    for (const index of [1, 2]) {
      const order = ids(applyPlan(others, planPlacement(others, 'X', index), 'X'));
      expect(order.indexOf('X')).toBe(index);
    }
  });

  it('[ORD-4] a move next to a tie lands exactly at the dropped index', () => {
    const ordered: Ranked[] = [
      { id: 'A', rank: 'a0' },
      { id: 'B', rank: 'a1' },
      { id: 'C', rank: 'a1' },
      { id: 'D', rank: 'a1' },
      { id: 'E', rank: 'a2' },
    ];
    const plan = planMoveOf(ordered, 'A', 2);
    expect(ids(applyPlan(ordered, plan, 'A'))).toEqual(['B', 'C', 'A', 'D', 'E']);
    expect(plan.has('E')).toBe(false);
  });

  it('[ORD-5] invalid neighbour ranks are healed: the whole list gets fresh valid keys', () => {
    for (const bad of ['hello', '0', '', 'a00', '~~']) {
      const others = sortRanked([
        { id: 'A', rank: 'a0' },
        { id: 'B', rank: bad },
        { id: 'C', rank: 'a2' },
      ]);
      const index = others.findIndex((e) => e.id === 'B') + 1;
      const plan = planPlacement(others, 'X', index);
      const result = applyPlan(others, plan, 'X');
      expect(ids(result).indexOf('X'), bad).toBe(index);
      expect(result.every((e) => isValidRank(e.rank)), bad).toBe(true);
      expect(plan.size).toBe(4);
    }
  });

  it('[ORD-5] 200 inserts at the same spot keep every key within LIMITS.maxRankLength', () => {
    withSeededRandom(seed, () => {
      let list = spread(3);
      const expected = ids(list);
      for (let n = 0; n < 200; n++) {
        const id = `n${String(n).padStart(3, '0')}`;
        const plan = planPlacement(list, id, 1);
        list = applyPlan(list, plan, id);
        expected.splice(1, 0, id);
        expect(ids(list)).toEqual(expected);
      }
      const longest = Math.max(...list.map((e) => e.rank.length));
      expect(longest).toBeLessThanOrEqual(LIMITS.maxRankLength);
    });
  });

  it('[ORD-5] moving one item back and forth between the same two neighbours keeps keys short', () => {
    withSeededRandom(seed, () => {
      let list = spread(4);
      for (let n = 0; n < 200; n++) {
        const mover = n % 2 === 0 ? 'i000' : 'i003';
        list = applyPlan(list, planMoveOf(list, mover, 2), mover);
      }
      expect(Math.max(...list.map((e) => e.rank.length))).toBeLessThanOrEqual(LIMITS.maxRankLength);
    });
  });

  it('[ORD-4][ORD-5] for any list (ties, junk ranks) the entry lands exactly at the index, others keep their order', () => {
    fc.assert(
      fc.property(rankedList({ invalid: true }), fc.integer({ min: -1, max: 14 }), fc.integer(), (others, index, s) => {
        const plan = withSeededRandom(s, () => planPlacement(others, 'ENTRY', index));
        const result = applyPlan(others, plan, 'ENTRY');
        const expected = ids(others);
        expected.splice(Math.max(0, Math.min(index, others.length)), 0, 'ENTRY');
        expect(ids(result)).toEqual(expected);
        for (const [, rank] of plan) {
          expect(isValidRank(rank)).toBe(true);
          expect(rank.length).toBeLessThanOrEqual(LIMITS.maxRankLength);
        }
      }),
      { seed, numRuns: 500 },
    );
  });

  it('[ORD-4] with valid ranks, only the entry and its tied neighbours are re-keyed', () => {
    fc.assert(
      fc.property(rankedList({ invalid: false }), fc.nat(14), fc.integer(), (others, rawIndex, s) => {
        const index = Math.min(rawIndex, others.length);
        const plan = withSeededRandom(s, () => planPlacement(others, 'ENTRY', index));
        const lo = others[index - 1]?.rank;
        const hi = others[index]?.rank;
        const allowed = new Set(['ENTRY']);
        if (lo !== undefined && lo === hi) for (const e of others) if (e.rank === lo) allowed.add(e.id);
        const rewritten = [...plan.keys()];
        // A full re-spread is allowed only when the new key would be too long.
        if (rewritten.length !== others.length + 1 || others.length === 0) {
          for (const id of rewritten) expect(allowed.has(id), id).toBe(true);
        }
      }),
      { seed, numRuns: 500 },
    );
  });
});

describe('sequences of placements against an array model', () => {
  it('[ORD-3][ORD-4][ORD-5] any sequence of inserts and moves matches splice on an array, keys stay short', () => {
    const opArb = fc.record({ insert: fc.boolean(), pick: fc.nat(), to: fc.integer({ min: -1, max: 40 }) });
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 120, size: 'max' }), fc.option(fc.integer(), { nil: null }), (ops, random) => {
        withSeededRandom(random, () => {
          let list: Ranked[] = [];
          const model: string[] = [];
          ops.forEach((op, n) => {
            if (op.insert || model.length === 0) {
              const id = `n${n}`;
              list = applyPlan(list, planPlacement(list, id, op.to), id);
              model.splice(Math.max(0, Math.min(op.to, model.length)), 0, id);
            } else {
              const id = model[op.pick % model.length]!;
              list = applyPlan(list, planMoveOf(list, id, op.to), id);
              model.splice(model.indexOf(id), 1);
              model.splice(Math.max(0, Math.min(op.to, model.length)), 0, id);
            }
            expect(ids(list)).toEqual(model);
          });
          for (const e of list) expect(e.rank.length).toBeLessThanOrEqual(LIMITS.maxRankLength);
        });
      }),
      { seed, numRuns: 200 },
    );
  });
});

describe('regressions', () => {
  it('[ORD-5][ORD-7] placing next to the junk rank "0" does not throw (fast-check seed 54910598)', () => {
    const plan = planPlacement([{ id: '0', rank: '0' }], 'ENTRY', 0);
    expect(ids(applyPlan([{ id: '0', rank: '0' }], plan, 'ENTRY'))).toEqual(['ENTRY', '0']);
  });
});

describe('planAppendAll', () => {
  it('[ORD-10] appends after a valid last rank writing only the new keys', () => {
    const others = spread(3);
    const plan = planAppendAll(others, ['x', 'y']);
    expect([...plan.keys()]).toEqual(['x', 'y']);
    expect(ids(applyPlan([...others, { id: 'x', rank: plan.get('x')! }], plan, 'y'))).toEqual([...ids(others), 'x', 'y']);
  });

  it('[ORD-10] after a junk last rank, re-spreads everything with the new ids at the end', () => {
    fc.assert(
      fc.property(rankedList({ invalid: true }), fc.integer({ min: 1, max: 5 }), (others, n) => {
        const newIds = Array.from({ length: n }, (_, i) => `new${i}`);
        const plan = planAppendAll(others, newIds);
        const all = sortRanked([...others, ...newIds.map((id) => ({ id, rank: '' }))].map((e) => ({ id: e.id, rank: plan.get(e.id) ?? e.rank })));
        expect(ids(all)).toEqual([...ids(others), ...newIds]);
      }),
      { seed },
    );
  });
});
