/**
 * The board document (format v1): its roots, the server's setup of a new board, and the
 * backlog's operations (add, move, archive and edit items). The records' own files
 * (item.ts, question.ts, …) hold their fields and shapes; refinement operations are in
 * questions.ts, comments.ts, criteria.ts, ready.ts and facilitation.ts. Components and the
 * server call these; nobody else touches the raw Y.Maps.
 * Every operation runs in one transaction, so it is one update on the wire and one step
 * of undo. `origin` tags the transaction (the client's UndoManager tracks its own).
 */
import * as Y from 'yjs';
import type { ItemId, UserId } from '../ids.ts';
import { newItemId } from '../ids.ts';
import { LIMITS } from '../limits.ts';
import { planAppendAll, planPlacement, type Ranked, type RankPlan, sortRanked } from '../ranking.ts';
import { type EstimationFields, type EstimationMap, estimationMap, writeEstimationDefaults } from './estimation.ts';
import {
  cleanLabel,
  createItemMap,
  isItemStatus,
  type ItemFields,
  type ItemMap,
  type ItemSnapshot,
  type ItemStatus,
  itemMap,
  readItem,
  readRankEntry,
} from './item.ts';
import { type BoardMeta, DEFAULT_BOARD_TITLE, DEFAULT_DECK, FORMAT_VERSION, type MetaMap, metaMap, writeMetaDefaults } from './meta.ts';
import { ROOT } from './roots.ts';
import { readDefinitionOfReady } from './readiness.ts';
import { type SessionMap, sessionMap, writeSessionDefaults } from './session.ts';
import { limitLength, replaceText } from './text.ts';
import { asTypedMap, readNumber, readString } from './typed-map.ts';

export interface BoardRoots {
  meta: MetaMap;
  items: Y.Map<Y.Map<unknown>>;
  sprints: Y.Map<Y.Map<unknown>>;
  session: SessionMap;
  estimation: EstimationMap;
}

export function boardRoots(doc: Y.Doc): BoardRoots {
  return {
    meta: metaMap(doc),
    items: doc.getMap<Y.Map<unknown>>(ROOT.items),
    sprints: doc.getMap<Y.Map<unknown>>(ROOT.sprints),
    session: sessionMap(doc),
    estimation: asTypedMap<EstimationFields>(estimationMap(doc)),
  };
}

// ---------------------------------------------------------------- board setup (server only)

export interface BoardInit {
  title: string;
  createdAt: number;
  deck?: readonly string[];
}

/**
 * Writes a new board's default content. The server calls this exactly once, when the
 * board is created; a client never seeds a document (two clients would both seed it).
 */
export function initBoard(doc: Y.Doc, init: BoardInit, origin?: unknown): void {
  const { meta, session, estimation } = boardRoots(doc);
  doc.transact(() => {
    writeMetaDefaults(meta, init);
    writeSessionDefaults(session);
    writeEstimationDefaults(estimation);
  }, origin);
}

export function readMeta(doc: Y.Doc): BoardMeta {
  const { meta } = boardRoots(doc);
  const deck = meta.get('deck');
  return {
    title: readString(meta.get('title'), DEFAULT_BOARD_TITLE),
    createdAt: readNumber(meta.get('createdAt')),
    formatVersion: readNumber(meta.get('formatVersion'), FORMAT_VERSION),
    deck: Array.isArray(deck) ? deck.filter((c): c is string => typeof c === 'string') : DEFAULT_DECK,
    productGoal: readString(meta.get('productGoal')),
    developersMayPlan: meta.get('developersMayPlan') === true,
    definitionOfReady: readDefinitionOfReady(meta.get('definitionOfReady')),
  };
}

/** True once the server has written the board's default content. */
export const isInitialised = (doc: Y.Doc): boolean => boardRoots(doc).meta.has('formatVersion');

// ---------------------------------------------------------------- reading the backlog

/** Active (not archived) items in backlog order: (rank, id) [ORD-1, ORD-2]. */
export function rankedActiveEntries(doc: Y.Doc): Ranked[] {
  const entries: Ranked[] = [];
  boardRoots(doc).items.forEach((raw, key) => {
    const entry = readRankEntry(raw, key);
    if (entry && !entry.archived) entries.push(entry);
  });
  return sortRanked(entries);
}

export function getItemMap(doc: Y.Doc, id: ItemId | string): ItemMap | null {
  const raw = boardRoots(doc).items.get(id);
  return raw instanceof Y.Map ? itemMap(raw) : null;
}

export function getItem(doc: Y.Doc, id: ItemId | string): ItemSnapshot | null {
  const raw = boardRoots(doc).items.get(id);
  return raw ? readItem(raw, id) : null;
}

/** Every item, ordered, archived ones included only when asked. */
export function listItems(doc: Y.Doc, opts: { includeArchived?: boolean } = {}): ItemSnapshot[] {
  const out: ItemSnapshot[] = [];
  boardRoots(doc).items.forEach((raw, key) => {
    const item = readItem(raw, key);
    if (item && (opts.includeArchived || item.archivedAt === null)) out.push(item);
  });
  return sortRanked(out);
}

// ---------------------------------------------------------------- changing the backlog

function applyRankPlan(doc: Y.Doc, plan: RankPlan): void {
  const { items } = boardRoots(doc);
  for (const [id, rank] of plan) {
    const raw = items.get(id);
    if (raw instanceof Y.Map) itemMap(raw).set('rank', rank);
  }
}

const cleanLabels = (labels: readonly string[] | undefined): string[] =>
  (labels ?? []).map(cleanLabel).filter((label) => label !== '');

export type Placement = 'top' | 'bottom' | { index: number };

/** The slot in a list of `length` others; out-of-range indexes clamp to the ends. */
function slotIndexOf(placement: Placement, length: number): number {
  if (placement === 'top') return 0;
  if (placement === 'bottom') return length;
  const index = Math.trunc(placement.index);
  return Number.isFinite(index) ? Math.max(0, Math.min(index, length)) : length;
}

export interface AddItemInput {
  title: string;
  createdBy: UserId;
  placement?: Placement;
  now?: number;
  labels?: readonly string[];
  description?: string;
  id?: ItemId;
}

/**
 * Adds an item at the top, the bottom (default) or an index of the active backlog.
 * An `id` that is already on the board writes nothing: replacing the entry would drop
 * the existing item and everything on it [ITEM-8].
 */
export function addItem(doc: Y.Doc, input: AddItemInput, origin?: unknown): ItemId {
  const id = input.id ?? newItemId();
  if (boardRoots(doc).items.has(id)) return id;
  const title = limitLength(input.title.trim(), LIMITS.maxTitleLength);
  doc.transact(() => {
    const others = rankedActiveEntries(doc);
    const plan = planPlacement(others, id, slotIndexOf(input.placement ?? 'bottom', others.length));
    const rank = plan.get(id)!;
    plan.delete(id);
    boardRoots(doc).items.set(
      id,
      createItemMap({
        id,
        title,
        rank,
        createdBy: input.createdBy,
        createdAt: input.now ?? Date.now(),
        labels: cleanLabels(input.labels),
        description: input.description,
      }) as unknown as Y.Map<unknown>,
    );
    applyRankPlan(doc, plan);
  }, origin);
  return id;
}

/**
 * Appends many items after the current last one in one transaction (imports, seeding).
 * Returns one id per input, in order. An input whose `id` is already on the board, or
 * repeats an earlier input's, is skipped [ITEM-8]; its entry names the existing item.
 */
export function appendItems(
  doc: Y.Doc,
  inputs: readonly Omit<AddItemInput, 'placement'>[],
  origin?: unknown,
): ItemId[] {
  const { items } = boardRoots(doc);
  const ids = inputs.map((input) => input.id ?? newItemId());
  const fresh = new Map<ItemId, Omit<AddItemInput, 'placement'>>();
  inputs.forEach((input, i) => {
    const id = ids[i]!;
    if (!items.has(id) && !fresh.has(id)) fresh.set(id, input);
  });
  if (fresh.size === 0) return ids;
  doc.transact(() => {
    const plan = planAppendAll(rankedActiveEntries(doc), [...fresh.keys()]);
    for (const [id, input] of fresh) {
      const rank = plan.get(id)!;
      plan.delete(id);
      items.set(
        id,
        createItemMap({
          id,
          title: limitLength(input.title.trim(), LIMITS.maxTitleLength),
          rank,
          createdBy: input.createdBy,
          createdAt: input.now ?? Date.now(),
          labels: cleanLabels(input.labels),
          description: input.description,
        }) as unknown as Y.Map<unknown>,
      );
    }
    applyRankPlan(doc, plan);
  }, origin);
  return ids;
}

/**
 * Moves an active item to `placement` in the active backlog by writing new ranks only
 * [ORD-3]. Returns false if the item is missing or archived.
 */
export function moveItem(doc: Y.Doc, id: ItemId, placement: Placement, origin?: unknown): boolean {
  let moved = false;
  doc.transact(() => {
    const ordered = rankedActiveEntries(doc);
    const from = ordered.findIndex((e) => e.id === id);
    if (from < 0) return;
    const others = ordered.filter((e) => e.id !== id);
    const to = slotIndexOf(placement, others.length);
    if (to === from) return; // already there: write nothing
    applyRankPlan(doc, planPlacement(others, id, to));
    moved = true;
  }, origin);
  return moved;
}

/** Soft delete [ITEM-1]: the item keeps its content so a concurrent edit is not lost. */
export function archiveItem(doc: Y.Doc, id: ItemId, now = Date.now(), origin?: unknown): void {
  const item = getItemMap(doc, id);
  if (item) doc.transact(() => item.set('archivedAt', now), origin);
}

export function restoreItem(doc: Y.Doc, id: ItemId, origin?: unknown): void {
  const item = getItemMap(doc, id);
  if (item) doc.transact(() => item.set('archivedAt', null), origin);
}

export function setItemTitle(doc: Y.Doc, id: ItemId, title: string, origin?: unknown): void {
  const text = getItemMap(doc, id)?.get('title');
  if (text instanceof Y.Text) doc.transact(() => replaceText(text, limitLength(title, LIMITS.maxTitleLength)), origin);
}

export function setItemDescription(doc: Y.Doc, id: ItemId, description: string, origin?: unknown): void {
  const text = getItemMap(doc, id)?.get('description');
  if (text instanceof Y.Text) doc.transact(() => replaceText(text, description), origin);
}

export function setItemStatus(doc: Y.Doc, id: ItemId, status: ItemStatus, origin?: unknown): void {
  const item = getItemMap(doc, id);
  if (!item || !isItemStatus(status)) return;
  // doneAt feeds the burndown (SPR-10): set when an item becomes done, cleared when it leaves.
  const wasDone = item.get('status') === 'done';
  doc.transact(() => {
    item.set('status', status);
    if (status === 'done' && !wasDone) item.set('doneAt', Date.now());
    if (status !== 'done' && wasDone) item.set('doneAt', null);
  }, origin);
}

export function setItemEstimate(doc: Y.Doc, id: ItemId, estimate: string | null, origin?: unknown): void {
  const item = getItemMap(doc, id);
  if (item) doc.transact(() => item.set('estimate', estimate), origin);
}

export function setItemLabel(doc: Y.Doc, id: ItemId, label: string, on: boolean, origin?: unknown): void {
  const labels = getItemMap(doc, id)?.get('labels');
  const clean = cleanLabel(label);
  if (!(labels instanceof Y.Map) || !clean) return;
  // The server refuses a label past the per-item limit [POL-17]: never send one.
  if (on && !labels.has(clean) && labels.size >= LIMITS.maxLabelsPerItem) return;
  doc.transact(() => (on ? labels.set(clean, true) : labels.delete(clean)), origin);
}

/** Field-level write used by item details; typed so only real fields and values pass. */
export function setItemField<K extends 'sprintId' | 'readyOverride'>(
  doc: Y.Doc,
  id: ItemId,
  key: K,
  value: ItemFields[K],
  origin?: unknown,
): void {
  const item = getItemMap(doc, id);
  if (item) doc.transact(() => item.set(key, value), origin);
}
