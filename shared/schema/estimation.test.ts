import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { initBoard } from './board.ts';
import {
  cardValue,
  readHistory,
  readPoker,
  roundStats,
  suggestedEstimate,
  writeReveal,
  writeRoundStart,
  writeVoted,
} from './estimation.ts';
import { DECKS, validateDeck } from './meta.ts';

describe('poker results', () => {
  it('[EST-7] cards stand for numbers, ½ is 0.5, ? and ☕ for none', () => {
    expect(cardValue('13')).toBe(13);
    expect(cardValue('½')).toBe(0.5);
    expect(cardValue('?')).toBeNull();
    expect(cardValue('☕')).toBeNull();
    expect(cardValue('XL')).toBeNull();
  });

  it('[EST-7] distribution in deck order, median, mean, outliers of a numeric round', () => {
    const s = roundStats(DECKS.fibonacci, { a: '3', b: '5', c: '5', d: '13', e: '?' });
    expect(s.distribution.find((d) => d.card === '5')?.count).toBe(2);
    expect(s.distribution.map((d) => d.card)).toEqual([...DECKS.fibonacci]);
    expect(s.counted).toBe(4);
    expect(s.numeric).toBe(true);
    expect(s.median).toBe('5');
    expect(s.mean).toBeCloseTo(6.5);
    expect([s.min, s.max]).toEqual(['3', '13']);
    expect([...s.outliers].sort()).toEqual(['a', 'd']);
    expect(s.consensus).toBe(false);
  });

  it('[EST-7] an end held by the majority is not an outlier', () => {
    const s = roundStats(DECKS.fibonacci, { a: '5', b: '5', c: '13' });
    expect(s.outliers).toEqual(['c']);
    expect([s.min, s.max]).toEqual(['5', '13']);
  });

  it('[EST-7] even counts take the middle of the two, ½ counts as 0.5', () => {
    const s = roundStats(DECKS.modifiedFibonacci, { a: '½', b: '1', c: '2', d: '3' });
    expect(s.median).toBe('1.5');
    expect(s.mean).toBeCloseTo(1.625);
  });

  it('[EST-7] consensus when everyone who counts picked the same card; ☕ does not break it', () => {
    const s = roundStats(DECKS.fibonacci, { a: '8', b: '8', c: '☕' });
    expect(s.consensus).toBe(true);
    expect(s.outliers).toEqual([]);
    expect(s.min).toBeNull();
    expect(roundStats(DECKS.fibonacci, { a: '8' }).consensus).toBe(false);
    expect(roundStats(DECKS.fibonacci, {}).median).toBeNull();
  });

  it('[EST-7] T-shirt sizes: median by deck position, no mean', () => {
    const s = roundStats(DECKS.tshirt, { a: 'S', b: 'XL', c: 'M' });
    expect(s.numeric).toBe(false);
    expect(s.mean).toBeNull();
    expect(s.median).toBe('M');
    expect([s.min, s.max]).toEqual(['S', 'XL']);
  });

  it('[EST-6] a custom deck is cleaned and limited', () => {
    expect(validateDeck([' 1 ', '2', '2', 'zebra-42'])).toEqual({ ok: true, cards: ['1', '2', 'zebra-42'] });
    expect(validateDeck([]).ok).toBe(false);
    expect(validateDeck(['x'.repeat(13)]).ok).toBe(false);
    expect(validateDeck([1]).ok).toBe(false);
    expect(validateDeck(Array.from({ length: 21 }, (_, i) => String(i))).ok).toBe(false);
  });

  it('[EST-5] reveal writes results and appends the round to the item history', () => {
    const doc = new Y.Doc();
    initBoard(doc, { title: 't', createdAt: 1 });
    writeRoundStart(doc, { round: 1, itemId: 'item1', deck: DECKS.fibonacci, now: 10 });
    writeVoted(doc, 'u1', 'Ann', true);
    expect(readPoker(doc).voted).toEqual(['u1']);
    expect(readPoker(doc).results).toEqual({});
    writeReveal(doc, { u1: '5' }, 20);
    writeRoundStart(doc, { round: 2, itemId: 'item1', deck: DECKS.fibonacci, now: 30 });
    writeVoted(doc, 'u1', 'Ann', true);
    writeReveal(doc, { u1: '8' }, 40);
    expect(readHistory(doc, 'item1').map((r) => [r.round, r.results.u1, r.names.u1])).toEqual([
      [1, '5', 'Ann'],
      [2, '8', 'Ann'],
    ]);
    expect(writeReveal(doc, { u1: '1' }, 50)).toBeNull();
  });
});

describe('[UX-5] suggested agreed estimate', () => {
  const fib = DECKS.fibonacci;
  it('is the deck card nearest the median, never an off-deck number', () => {
    expect(suggestedEstimate(fib, { a: '5', b: '13' })).toBe('8');
    expect(suggestedEstimate(fib, { a: '3', b: '5', c: '21' })).toBe('5');
    expect(suggestedEstimate(fib, { a: '1', b: '2' })).toBe('2');
  });
  it('takes the higher card on a tie', () => {
    // median 4 sits between 3 and 5
    expect(suggestedEstimate(fib, { a: '3', b: '5' })).toBe('5');
    expect(suggestedEstimate(DECKS.powersOfTwo, { a: '2', b: '4' })).toBe('4');
  });
  it('ignores ? and ☕, and suggests nothing without counted votes', () => {
    expect(suggestedEstimate(fib, { a: '?', b: '☕', c: '8' })).toBe('8');
    expect(suggestedEstimate(fib, { a: '?' })).toBeNull();
    expect(suggestedEstimate(fib, {})).toBeNull();
  });
  it('on a T-shirt deck is the median card by deck order', () => {
    const tshirt = DECKS.tshirt;
    expect(suggestedEstimate(tshirt, { a: 'S', b: 'M', c: 'XL' })).toBe('M');
    expect(suggestedEstimate(tshirt, { a: 'XS', b: 'XXL', c: 'XXL' })).toBe('XXL');
    expect(tshirt).toContain(suggestedEstimate(tshirt, { a: 'S', b: 'L' }));
  });
});
