/**
 * "Apply dot order" (issue 14): after a dot round the PO may rank the backlog by dots.
 * Most dots first; equal totals (no dots included) keep their current order. One
 * transaction, so it is one undo step, and it writes ranks only [ORD-3]: the backlog's
 * existing ranks are handed out again in the new order, so only items that move change.
 */
import type * as Y from 'yjs';
import type { ItemId } from '../ids.ts';
import { planAppendAll } from '../ranking.ts';
import { getItemMap, listItems, rankedActiveEntries } from './board.ts';
import { sortByDots } from './dots.ts';

/** The backlog's item ids in dot order (ties keep their order). */
export function dotOrder(doc: Y.Doc): ItemId[] {
  return sortByDots(listItems(doc)).map((i) => i.id as ItemId);
}

/** Ranks the active backlog by dots in one transaction; returns how many items moved. */
export function applyDotOrder(doc: Y.Doc, origin?: unknown): number {
  let moved = 0;
  doc.transact(() => {
    const entries = rankedActiveEntries(doc);
    const order = dotOrder(doc);
    const ranks = entries.map((e) => e.rank);
    const distinct = new Set(ranks).size === ranks.length;
    // Equal ranks (order then falls back to ids) cannot be reshuffled: fresh ones instead.
    const plan = distinct ? new Map(order.map((id, i) => [id as string, ranks[i]!])) : planAppendAll([], order);
    const current = new Map(entries.map((e) => [e.id, e.rank]));
    for (const [id, rank] of plan) {
      if (current.get(id) === rank) continue;
      getItemMap(doc, id)?.set('rank', rank);
      moved++;
    }
  }, origin);
  return moved;
}
