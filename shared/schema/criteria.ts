/**
 * Operations on an item's acceptance criteria [REF-9]: add, check, edit, remove
 * (non-viewers). The record (fields, keys, shape) is criterion.ts.
 */
import type * as Y from 'yjs';
import type { CriterionId, ItemId } from '../ids.ts';
import { newCriterionId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { canEditItems } from '../policy/can.ts';
import { getItemMap } from './board.ts';
import { createCriterionMap, MAX_CRITERION_LENGTH } from './criterion.ts';
import { type Actor, arrayOf, cleanText, findById, ok, type Result, refuse } from './operation.ts';

function criteriaOf(doc: Y.Doc, itemId: ItemId, actor: Actor): Result<Y.Array<Y.Map<unknown>>> {
  if (!canEditItems(actor.role)) return refuse('forbidden');
  const arr = arrayOf(getItemMap(doc, itemId), 'criteria');
  return arr ? ok(arr) : refuse('not-found');
}

export function addCriterion(
  doc: Y.Doc,
  itemId: ItemId,
  actor: Actor,
  text: string,
  origin?: unknown,
  id: CriterionId = newCriterionId(),
): Result<CriterionId> {
  const clean = cleanText(text, MAX_CRITERION_LENGTH);
  if (!clean) return refuse('invalid');
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  if (arr.value.length >= LIMITS.maxCriteriaPerItem) return refuse('full');
  doc.transact(() => {
    arr.value.push([createCriterionMap({ id, text: clean }) as unknown as Y.Map<unknown>]);
  }, origin);
  return ok(id);
}

/** Checks or unchecks a criterion; concurrent toggles resolve to one value (last writer). */
export function setCriterionDone(doc: Y.Doc, itemId: ItemId, criterionId: string, actor: Actor, done: boolean, origin?: unknown): Result {
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  const found = findById(arr.value, criterionId);
  if (!found) return refuse('not-found');
  if (found.map.get('done') !== done) doc.transact(() => found.map.set('done', done), origin);
  return ok(undefined);
}

export function editCriterion(doc: Y.Doc, itemId: ItemId, criterionId: string, actor: Actor, text: string, origin?: unknown): Result {
  const clean = cleanText(text, MAX_CRITERION_LENGTH);
  if (!clean) return refuse('invalid');
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  const found = findById(arr.value, criterionId);
  if (!found) return refuse('not-found');
  if (found.map.get('text') !== clean) doc.transact(() => found.map.set('text', clean), origin);
  return ok(undefined);
}

export function removeCriterion(doc: Y.Doc, itemId: ItemId, criterionId: string, actor: Actor, origin?: unknown): Result {
  const arr = criteriaOf(doc, itemId, actor);
  if (!arr.ok) return arr;
  const found = findById(arr.value, criterionId);
  if (!found) return refuse('not-found');
  doc.transact(() => arr.value.delete(found.index, 1), origin);
  return ok(undefined);
}
