import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSeed } from '../test/property/arbitraries.ts';
import { isIdLike, newBoardId, newItemId, randomId } from './ids.ts';

const seed = runSeed();
const BASE62 = /^[0-9A-Za-z]*$/;

describe('ids', () => {
  it('randomId has the asked length and only base62 characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), (length) => {
        const id = randomId(length);
        expect(id).toHaveLength(length);
        expect(id).toMatch(BASE62);
      }),
      { seed },
    );
    expect(randomId()).toHaveLength(16);
    expect(newBoardId()).toHaveLength(12);
    expect(newItemId()).toHaveLength(16);
  });

  it('randomId uses the whole alphabet about evenly (no modulo bias toward the first characters)', () => {
    const counts = new Map<string, number>();
    const sample = randomId(62 * 400);
    for (const c of sample) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    // Expected 400 each; a biased generator (byte % 62) gives the first 8 chars ~25% more.
    const first8 = [...'01234567'].reduce((sum, c) => sum + (counts.get(c) ?? 0), 0) / 8;
    const rest = (sample.length - first8 * 8) / 54;
    expect(first8 / rest).toBeLessThan(1.12);
    for (const n of counts.values()) expect(n).toBeGreaterThan(250);
  });

  it('ids do not repeat', () => {
    const ids = new Set(Array.from({ length: 5000 }, () => newItemId()));
    expect(ids.size).toBe(5000);
  });

  it('isIdLike accepts made ids and url/sql-safe strings of 6..64 chars, nothing else', () => {
    expect(isIdLike(newItemId())).toBe(true);
    expect(isIdLike(newBoardId())).toBe(true);
    expect(isIdLike('abc_DEF-12')).toBe(true);
    for (const bad of [undefined, null, 12345678, '', 'short', 'x'.repeat(65), 'has space1', 'semi;colon', '../../etc', 'ünïcode1', 'a/b/c/d/e']) {
      expect(isIdLike(bad), String(bad)).toBe(false);
    }
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(isIdLike(s)).toBe(/^[0-9A-Za-z_-]{6,64}$/.test(s));
      }),
      { seed },
    );
  });
});
