/** Rank keys for items sent back to the top of the backlog at a sprint's close (SPR-6). */
import { generateNJitteredKeysBetween } from 'fractional-indexing-jittered';
import type * as Y from 'yjs';
import { rankedActiveEntries } from './board.ts';

/** `n` keys, in order, all before every active item's rank. */
export function generateRankBefore(doc: Y.Doc, n: number): string[] {
  if (n === 0) return [];
  const first = rankedActiveEntries(doc)[0]?.rank ?? null;
  return generateNJitteredKeysBetween(null, first, n);
}
