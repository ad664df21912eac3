/**
 * Shared fast-check helpers for the board-model property tests: seeded runs and
 * structurally valid rank keys.
 */
import fc from 'fast-check';

/** The run seed: FC_SEED from the environment, else a fresh one. Always printed. */
export function runSeed(): number {
  const fromEnv = process.env.FC_SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : Date.now() ^ (Math.random() * 0x7fffffff);
  if (!Number.isInteger(seed)) throw new Error(`FC_SEED must be an integer, got ${fromEnv}`);
  console.log('fast-check seed', seed);
  return seed;
}

/** mulberry32: a tiny deterministic PRNG so jittered keys replay with the fast-check seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Runs `body` with Math.random replaced by a PRNG seeded from `seed` (or by a constant):
 * the ranking library jitters keys with Math.random, and a replayed counterexample must
 * produce the same keys.
 */
export function withSeededRandom<T>(seed: number | null, body: () => T): T {
  const original = Math.random;
  // null: no randomness at all, so the key library's jitter is off and keys collide.
  Math.random = seed === null ? () => 0 : prng(seed);
  try {
    return body();
  } finally {
    Math.random = original;
  }
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const base62Char = fc.constantFrom(...BASE62);
/** Integer heads and the number of digits that follow each (the key format's integer part). */
const HEADS: readonly [string, number][] = [
  ['X', 3],
  ['Y', 2],
  ['Z', 1],
  ['a', 1],
  ['b', 2],
  ['c', 3],
];

/** A structurally valid rank: integer part, then a fraction that does not end in '0'. */
export const validRank: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...HEADS),
    fc.array(base62Char, { minLength: 3, maxLength: 3 }),
    fc.array(base62Char, { maxLength: 6 }),
  )
  .map(([[head, digits], intDigits, fraction]) => {
    let frac = fraction.join('');
    while (frac.endsWith('0')) frac = frac.slice(0, -1);
    return head + intDigits.slice(0, digits).join('') + frac;
  });

/** Ranks a buggy, old or hostile peer might write. */
export const invalidRank: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'hello', '0', '0abc', 'a', 'a00', 'a1B0', 'b1', '~~', 'a0 ', 'ä0'),
  fc.string({ maxLength: 8 }),
);
