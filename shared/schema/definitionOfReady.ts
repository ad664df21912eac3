/**
 * The Definition of Ready's operations: the PO's setting (`meta.definitionOfReady`, DOR-5)
 * and the team's ticks on an item (`items.<id>.readyChecks`, DOR-6). Each is one
 * transaction; each refuses what the server's gate would refuse, so the UI never sends it.
 */
import * as Y from 'yjs';
import { type ItemId, randomId } from '../ids.ts';
import { canSetDefinitionOfReady, canTickReadyChecks } from '../policy/can.ts';
import { getItemMap, readMeta } from './board.ts';
import { META_KEYS, metaMap } from './meta.ts';
import { type Actor, ok, type Result, refuse } from './operation.ts';
import { cleanDefinitionOfReady, type DefinitionOfReady } from './readiness.ts';

/** An id for a new team check (id-like, as the stored definition needs). */
export const newReadyCheckId = (): string => randomId(10);

/** [DOR-5] The PO stores what `ready` requires; the value is cleaned first (readiness.ts). */
export function setDefinitionOfReady(doc: Y.Doc, actor: Actor, dor: DefinitionOfReady, origin?: unknown): Result<DefinitionOfReady> {
  if (!canSetDefinitionOfReady(actor.role)) return refuse('forbidden');
  const clean = cleanDefinitionOfReady(dor);
  if (!clean.ok) return refuse('invalid');
  doc.transact(() => metaMap(doc).set(META_KEYS.definitionOfReady, clean.value), origin);
  return ok(clean.value);
}

/**
 * [DOR-6] Ticks (or unticks) one of the team's checks on an item. Ticks of checks the
 * definition no longer has are dropped at the same time, so an item never fills up with
 * stale ones (the map holds at most maxCustomReadyChecks keys).
 */
export function setReadyCheck(doc: Y.Doc, actor: Actor, itemId: ItemId, checkId: string, checked: boolean, origin?: unknown): Result {
  if (!canTickReadyChecks(actor.role)) return refuse('forbidden');
  const item = getItemMap(doc, itemId);
  if (!item) return refuse('not-found');
  const known = new Set(readMeta(doc).definitionOfReady.custom.map((c) => c.id));
  if (!known.has(checkId)) return refuse('not-found');
  doc.transact(() => {
    let ticks = item.get('readyChecks');
    if (!(ticks instanceof Y.Map)) {
      if (!checked) return;
      // Old items have no map yet; two people's first ticks at once may keep only one.
      ticks = new Y.Map<true>();
      item.set('readyChecks', ticks);
    }
    for (const k of [...ticks.keys()]) if (!known.has(k)) ticks.delete(k);
    if (checked) ticks.set(checkId, true);
    else if (ticks.has(checkId)) ticks.delete(checkId);
  }, origin);
  return ok(undefined);
}
