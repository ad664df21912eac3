/**
 * Semantic events from accepted updates (HIS-1). The recorder keeps a small view of every
 * item; after an update it re-reads only the items the update's transaction touched (Yjs
 * places every change in its type: walking up from a changed type reaches the item map,
 * as the policy inspector places structs) and compares them with their views. Positions
 * are counted only for items whose rank or archived state changed, so a rebalance that
 * rewrites many ranks but moves one item records one move.
 *
 * Cost (HIS-1, test/bench/history-cost.ts): a view reads only the fields events compare (not
 * the item's criteria, dots or checks), and the views keep the active items in backlog order,
 * so a position is a binary search and a move re-places one entry, instead of comparing every
 * item's rank twice per moved item (which grew with the board: ~270 µs per update at 5,000 items).
 */
import * as Y from 'yjs';
import type { HistoryKind } from '../../shared/history.ts';
import { compareRanked } from '../../shared/ranking.ts';
import { boardRoots } from '../../shared/schema/board.ts';
import { isItemStatus } from '../../shared/schema/item.ts';
import { readNullableNumber, readNullableString, readString, readText } from '../../shared/schema/typed-map.ts';

export interface ItemView {
  id: string;
  rank: string;
  archived: boolean;
  title: string;
  description: string;
  status: string;
  estimate: string | null;
  labels: readonly string[];
  sprintId: string | null;
  questions: Map<string, { answered: boolean; resolved: boolean }>;
  comments: Set<string>;
}

export interface DerivedEvent {
  kind: HistoryKind;
  itemId: string | null;
  fields: Record<string, unknown>;
  /** Set for edits: coalesced per person, item, field and minute (HIS-2). */
  coalesceField?: string;
}

/**
 * An item's view: the fields of `readItem` (shared/schema/item.ts) that events compare, read
 * the same way (the same defaults for a missing or mistyped field; questions and comments
 * without a string id are skipped), and nothing else.
 */
export function viewOf(raw: unknown, key: string): ItemView | null {
  if (!(raw instanceof Y.Map)) return null;
  const m = raw as Y.Map<unknown>;
  const labels = m.get('labels');
  const status = m.get('status');
  const questions = new Map<string, { answered: boolean; resolved: boolean }>();
  const questionsArr = m.get('questions');
  if (questionsArr instanceof Y.Array) {
    for (const q of questionsArr.toArray()) {
      if (!(q instanceof Y.Map)) continue;
      const id = q.get('id');
      if (typeof id !== 'string') continue;
      questions.set(id, { answered: readNullableString(q.get('answer')) !== null, resolved: readNullableNumber(q.get('resolvedAt')) !== null });
    }
  }
  const comments = new Set<string>();
  const commentsArr = m.get('comments');
  if (commentsArr instanceof Y.Array) {
    for (const c of commentsArr.toArray()) {
      if (!(c instanceof Y.Map)) continue;
      const id = c.get('id');
      if (typeof id === 'string') comments.add(id);
    }
  }
  return {
    id: key,
    rank: readString(m.get('rank')),
    archived: readNullableNumber(m.get('archivedAt')) !== null,
    title: readText(m.get('title')),
    description: readText(m.get('description')),
    status: isItemStatus(status) ? status : 'new',
    estimate: readNullableString(m.get('estimate')),
    labels: labels instanceof Y.Map ? [...labels.keys()].sort() : [],
    sprintId: readNullableString(m.get('sprintId')),
    questions,
    comments,
  };
}

/**
 * The recorder's view of every item, with the active (not archived) ones kept in backlog
 * order once a position was asked for: a position is then a binary search, and setting a
 * view moves only its own entry. A change touching many items drops the order instead
 * (`dropOrder`); the next position sorts once.
 */
export class ItemViews {
  private readonly byId = new Map<string, ItemView>();
  private order: ItemView[] | null = null;

  get(id: string): ItemView | undefined {
    return this.byId.get(id);
  }

  set(id: string, view: ItemView): void {
    const old = this.byId.get(id);
    this.byId.set(id, view);
    const order = this.order;
    if (!order) return;
    if (old && !old.archived) {
      if (!view.archived && old.rank === view.rank) {
        order[lowerBound(order, old)] = view;
        return;
      }
      order.splice(lowerBound(order, old), 1);
    }
    if (!view.archived) order.splice(lowerBound(order, view), 0, view);
  }

  /** 1-based backlog position of an active item; null for an archived or unknown one. */
  position(id: string): number | null {
    const self = this.byId.get(id);
    if (!self || self.archived) return null;
    if (!this.order) this.order = [...this.byId.values()].filter((v) => !v.archived).sort(compareRanked);
    return lowerBound(this.order, self) + 1;
  }

  dropOrder(): void {
    this.order = null;
  }
}

/** How many of the sorted `order` come before `view` (ranks, then ids: a total order). */
function lowerBound(order: readonly ItemView[], view: ItemView): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareRanked(order[mid]!, view) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A change touching more items than this re-sorts the order once instead of re-placing each. */
const REPLACE_AT_MOST = 64;

/** The ids of the items a transaction changed, by walking up from each changed type. */
export function touchedItems(doc: Y.Doc, transaction: Y.Transaction): Set<string> {
  const items = boardRoots(doc).items as unknown as Y.AbstractType<unknown>;
  const out = new Set<string>();
  for (const [type, keys] of transaction.changed) {
    if ((type as unknown) === items) {
      for (const k of keys) if (k !== null) out.add(k);
      continue;
    }
    let t: Y.AbstractType<unknown> | null = type as unknown as Y.AbstractType<unknown>;
    while (t?._item) {
      const parent = t._item.parent as Y.AbstractType<unknown>;
      if (parent === items) {
        if (t._item.parentSub) out.add(t._item.parentSub);
        break;
      }
      t = parent;
    }
  }
  return out;
}

/** 1-based backlog positions of `ids` among the active views. */
function positions(views: ItemViews, ids: readonly string[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const id of ids) out.set(id, views.position(id));
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Updates `views` for the touched items and returns the events, in a stable order. `byServer`:
 * the server's own change (an agreed poker estimate is `agreed`, not `estimated`).
 */
export function deriveEvents(doc: Y.Doc, touched: Set<string>, views: ItemViews, byServer: boolean): DerivedEvent[] {
  if (touched.size === 0) return [];
  const items = boardRoots(doc).items;
  const before = new Map<string, ItemView | undefined>();
  const after = new Map<string, ItemView | null>();
  for (const id of touched) {
    before.set(id, views.get(id));
    after.set(id, viewOf(items.get(id), id));
  }
  const reordered = [...touched].filter((id) => {
    const a = before.get(id);
    const b = after.get(id);
    return a && b && (a.rank !== b.rank || a.archived !== b.archived);
  });
  const fromPos = positions(views, reordered);
  if (touched.size > REPLACE_AT_MOST) views.dropOrder();
  for (const [id, v] of after) if (v) views.set(id, v);
  const toPos = positions(views, reordered);

  const events: DerivedEvent[] = [];
  const added = [...touched].filter((id) => !before.get(id) && after.get(id));
  if (added.length > 1) {
    const addedPos = positions(views, added);
    events.push({
      kind: 'imported',
      itemId: null,
      fields: { count: added.length, itemIds: added.slice(0, 100), to: { position: Math.min(...added.map((id) => addedPos.get(id) ?? Infinity)) } },
    });
  } else if (added.length === 1) {
    const id = added[0]!;
    events.push({ kind: 'added', itemId: id, fields: { title: after.get(id)!.title, to: { position: positions(views, [id]).get(id) } } });
  }
  for (const id of touched) {
    const a = before.get(id);
    const b = after.get(id);
    if (!a || !b) continue;
    if (a.archived !== b.archived) events.push({ kind: b.archived ? 'archived' : 'restored', itemId: id, fields: {} });
    else if (a.rank !== b.rank && !b.archived && fromPos.get(id) !== toPos.get(id)) {
      events.push({
        kind: 'moved',
        itemId: id,
        fields: { from: { position: fromPos.get(id), rank: a.rank }, to: { position: toPos.get(id), rank: b.rank } },
      });
    }
    if (a.title !== b.title) events.push({ kind: 'edited', itemId: id, fields: { field: 'title', to: { title: b.title } }, coalesceField: 'title' });
    if (a.description !== b.description) events.push({ kind: 'edited', itemId: id, fields: { field: 'description' }, coalesceField: 'description' });
    if (a.status !== b.status) events.push({ kind: 'status', itemId: id, fields: { from: { status: a.status }, to: { status: b.status } } });
    if (a.estimate !== b.estimate) {
      events.push({ kind: byServer ? 'agreed' : 'estimated', itemId: id, fields: { from: { estimate: a.estimate }, to: { estimate: b.estimate } } });
    }
    if (!sameList(a.labels, b.labels)) {
      events.push({
        kind: 'labels',
        itemId: id,
        fields: { added: b.labels.filter((l) => !a.labels.includes(l)), removed: a.labels.filter((l) => !b.labels.includes(l)) },
      });
    }
    if (a.sprintId !== b.sprintId) events.push({ kind: 'sprint', itemId: id, fields: { from: { sprintId: a.sprintId }, to: { sprintId: b.sprintId } } });
    for (const [qid, q] of b.questions) {
      const old = a.questions.get(qid);
      if (!old) events.push({ kind: 'question-asked', itemId: id, fields: { questionId: qid } });
      if (q.answered && !old?.answered) events.push({ kind: 'question-answered', itemId: id, fields: { questionId: qid } });
      if (q.resolved && !old?.resolved) events.push({ kind: 'question-resolved', itemId: id, fields: { questionId: qid } });
    }
    for (const cid of b.comments) if (!a.comments.has(cid)) events.push({ kind: 'commented', itemId: id, fields: { commentId: cid } });
  }
  return events;
}

/** Views of every item of a doc (on load). */
export function allViews(doc: Y.Doc): ItemViews {
  const views = new ItemViews();
  boardRoots(doc).items.forEach((raw, key) => {
    const v = viewOf(raw, key);
    if (v) views.set(key, v);
  });
  return views;
}

/**
 * The events of several steps of one change as one change's: the items the steps added
 * (an `added` or `imported` event per step) become one `added` (one item) or one `imported`
 * (count, the first 100 ids, the position of the first), in the place of the first such event.
 */
export function joinAdded(events: readonly DerivedEvent[]): DerivedEvent[] {
  const adds = events.filter((e) => e.kind === 'added' || e.kind === 'imported');
  if (adds.length <= 1) return [...events];
  const ids: string[] = [];
  let count = 0;
  let position = Number.POSITIVE_INFINITY;
  for (const e of adds) {
    const to = (e.fields.to as { position?: number | null } | undefined)?.position;
    if (typeof to === 'number') position = Math.min(position, to);
    if (e.kind === 'added') {
      count++;
      if (e.itemId) ids.push(e.itemId);
    } else {
      count += e.fields.count as number;
      ids.push(...(e.fields.itemIds as string[]));
    }
  }
  const joined: DerivedEvent = { kind: 'imported', itemId: null, fields: { count, itemIds: ids.slice(0, 100), to: { position } } };
  const first = events.indexOf(adds[0]!);
  return [...events.slice(0, first), joined, ...events.slice(first + 1).filter((e) => !adds.includes(e))];
}
