/**
 * An item's status and the ready rule [REF-5, POL-15, DOR-4], the one rule that spans
 * records: an item that fails a check of the board's Definition of Ready (by default: has
 * open questions) becomes `ready` only by the PO's recorded override.
 */
import type * as Y from 'yjs';
import type { ItemId } from '../ids.ts';
import { canEditItems, canOverrideReady } from '../policy/can.ts';
import { getItemMap, readMeta } from './board.ts';
import { type ItemSnapshot, type ItemStatus, isItemStatus, READY_STATUS, type ReadyOverride, readItem } from './item.ts';
import type { Actor } from './operation.ts';
import { evaluateReadiness, type ReadinessLine } from './readiness.ts';

export interface StatusOptions {
  /** The PO marks the item ready despite failing checks; recorded as `readyOverride`. */
  override?: boolean;
  now?: number;
}

export type StatusResult =
  | { ok: true; status: ItemStatus; override: ReadyOverride | null }
  | { ok: false; reason: 'not-found' | 'forbidden' | 'invalid' }
  /** [DOR-4] The checks of the Definition of Ready that fail (open questions among them, REF-5). */
  | { ok: false; reason: 'not-ready'; failing: ReadinessLine[]; openQuestions: number; canOverride: boolean };

/**
 * [REF-5, DOR-4] Changes an item's status, enforcing the ready rule: an item that fails a
 * required check becomes `ready` only when the PO asks to override, and the override
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
    const failing = readinessOf(doc, itemId).lines.filter((l) => !l.passed);
    if (failing.length > 0) {
      if (!opts.override || !mayOverride) {
        const openQuestions = readItem(item, itemId)?.openQuestionCount ?? 0;
        return { ok: false, reason: 'not-ready', failing, openQuestions, canOverride: mayOverride };
      }
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

/** [DOR-3] An item's checklist under the board's Definition of Ready, with its own ticks. */
export function readinessOf(doc: Y.Doc, itemId: ItemId): ReturnType<typeof evaluateReadiness> {
  const item = readItem(getItemMap(doc, itemId), itemId);
  if (!item) return { lines: [], ready: false };
  return evaluateReadiness(item, readMeta(doc).definitionOfReady, new Set(item.readyChecks));
}
