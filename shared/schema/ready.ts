/**
 * An item's status and the ready rule [REF-5, POL-15], the one rule that spans records: an
 * item with open questions becomes `ready` only by the PO's recorded override.
 */
import type * as Y from 'yjs';
import type { ItemId } from '../ids.ts';
import { canEditItems, canOverrideReady } from '../policy/can.ts';
import { getItemMap } from './board.ts';
import { type ItemSnapshot, type ItemStatus, isItemStatus, READY_STATUS, type ReadyOverride } from './item.ts';
import type { Actor } from './operation.ts';
import { openQuestionCount } from './questions.ts';

export interface StatusOptions {
  /** The PO marks the item ready despite open questions; recorded as `readyOverride`. */
  override?: boolean;
  now?: number;
}

export type StatusResult =
  | { ok: true; status: ItemStatus; override: ReadyOverride | null }
  | { ok: false; reason: 'not-found' | 'forbidden' | 'invalid' }
  | { ok: false; reason: 'open-questions'; openQuestions: number; canOverride: boolean };

/**
 * [REF-5] Changes an item's status, enforcing the ready rule: an item with unresolved
 * questions becomes `ready` only when the PO asks to override, and the override
 * ({by, name, at}) is recorded on the item so everyone sees who decided. Leaving `ready`
 * clears the override when the actor may write it (the PO; POL-6).
 */
export function setStatusChecked(
  doc: Y.Doc,
  itemId: ItemId,
  status: ItemStatus,
  actor: Actor,
  opts: StatusOptions = {},
  origin?: unknown,
): StatusResult {
  if (!isItemStatus(status)) return { ok: false, reason: 'invalid' };
  if (!canEditItems(actor.role)) return { ok: false, reason: 'forbidden' };
  const item = getItemMap(doc, itemId);
  if (!item) return { ok: false, reason: 'not-found' };
  const mayOverride = canOverrideReady(actor.role);
  let override: ReadyOverride | null = null;
  if (status === READY_STATUS) {
    const open = openQuestionCount(doc, itemId);
    if (open > 0) {
      if (!opts.override || !mayOverride) return { ok: false, reason: 'open-questions', openQuestions: open, canOverride: mayOverride };
      override = { by: actor.userId, name: actor.name, at: opts.now ?? Date.now() };
    }
  }
  doc.transact(() => {
    if (item.get('status') !== status) item.set('status', status);
    if (override) item.set('readyOverride', override);
    // Any editor clears a stale override (POL-6 lets them), so it can't resurface later.
    else if (item.get('readyOverride') != null) item.set('readyOverride', null);
  }, origin);
  return { ok: true, status, override };
}

/** The override to show on an item: only while it is `ready` (an old one is history). */
export const visibleOverride = (item: Pick<ItemSnapshot, 'status' | 'readyOverride'>): ReadyOverride | null =>
  item.status === READY_STATUS ? item.readyOverride : null;
