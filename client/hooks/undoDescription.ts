/**
 * What an undo or redo changed, in words ("move of “Pay with PayPal”"), read from the
 * transaction it made: the items it touched and which of their fields. Issue 14: undo says
 * what it undid, and the board can bring that card on screen.
 */
import * as Y from 'yjs';
import { boardRoots } from '../../shared/schema/board.ts';

const FIELD_WORDS: Readonly<Record<string, string>> = {
  rank: 'move',
  title: 'title edit',
  description: 'description edit',
  status: 'status change',
  archivedAt: 'archive',
  estimate: 'estimate',
  labels: 'label change',
  criteria: 'criteria change',
  questions: 'question change',
  comments: 'comment change',
};

export interface ChangeDescription {
  /** e.g. "move of “Pay with PayPal”", or "change of 3 items". */
  text: string;
  /** The first item it touched, to bring on screen. */
  itemId: string | null;
}

/** Item id and field for a changed type somewhere inside an item. */
function locate(type: Y.AbstractType<unknown>, items: Y.Map<unknown>, keys: Set<string | null>): { itemId: string; field: string | null } | null {
  let node: Y.AbstractType<unknown> | null = type;
  // The item's field the change sits under: the changed key of the item map itself, or
  // the key of the nested type (title text, labels map…) the change happened inside.
  let childKey: string | null = null;
  while (node?._item) {
    const parent = node._item.parent as Y.AbstractType<unknown>;
    if (parent === items) {
      const itemId = node._item.parentSub;
      if (!itemId) return null;
      return { itemId, field: childKey ?? [...keys].find((k) => k !== null) ?? null };
    }
    childKey = node._item.parentSub;
    node = parent;
  }
  return null;
}

export function describeTransaction(doc: Y.Doc, tx: Y.Transaction): ChangeDescription | null {
  const items = boardRoots(doc).items as unknown as Y.Map<unknown>;
  const touched = new Map<string, Set<string>>();
  for (const [type, keys] of tx.changed) {
    const where = locate(type as Y.AbstractType<unknown>, items, keys);
    if (!where) continue;
    const fields = touched.get(where.itemId) ?? new Set<string>();
    if (where.field) fields.add(where.field);
    touched.set(where.itemId, fields);
  }
  if (touched.size === 0) return null;
  const [firstId] = [...touched][0]!;
  const words = new Set([...touched.values()].flatMap((f) => [...f].map((k) => FIELD_WORDS[k] ?? 'change')));
  const verb = words.size === 1 ? [...words][0]! : 'change';
  if (touched.size > 1) return { text: `${verb} of ${touched.size} items`, itemId: firstId };
  const title = items.get(firstId);
  const text = title instanceof Y.Map ? String(title.get('title') ?? '') : '';
  return { text: `${verb} of “${text || 'Untitled'}”`, itemId: firstId };
}
