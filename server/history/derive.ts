/**
 * Semantic events from accepted updates (HIS-1). The recorder keeps a small view of every
 * item; after an update it re-reads only the items the update's transaction touched (Yjs
 * places every change in its type: walking up from a changed type reaches the item map,
 * as the policy inspector places structs) and compares them with their views. Positions
 * are counted only for items whose rank or archived state changed, so a rebalance that
 * rewrites many ranks but moves one item records one move.
 */
import type * as Y from 'yjs';
import type { HistoryKind } from '../../shared/history.ts';
import { compareRanked } from '../../shared/ranking.ts';
import { boardRoots } from '../../shared/schema/board.ts';
import { readItem } from '../../shared/schema/item.ts';

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

export function viewOf(raw: unknown, key: string): ItemView | null {
  const item = readItem(raw, key);
  if (!item) return null;
  return {
    id: key,
    rank: item.rank,
    archived: item.archivedAt !== null,
    title: item.title,
    description: item.description,
    status: item.status,
    estimate: item.estimate,
    labels: item.labels,
    sprintId: item.sprintId,
    questions: new Map(item.questions.map((q) => [q.id, { answered: q.answer !== null, resolved: q.resolvedAt !== null }])),
    comments: new Set(item.comments.map((c) => c.id)),
  };
}

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
function positions(views: Map<string, ItemView>, ids: readonly string[]): Map<string, number | null> {
  const out = new Map<string, number | null>();
  if (ids.length > 4) {
    const sorted = [...views.values()].filter((v) => !v.archived).sort(compareRanked);
    const index = new Map(sorted.map((v, i) => [v.id, i + 1]));
    for (const id of ids) out.set(id, index.get(id) ?? null);
    return out;
  }
  for (const id of ids) {
    const self = views.get(id);
    if (!self || self.archived) {
      out.set(id, null);
      continue;
    }
    let ahead = 0;
    for (const v of views.values()) if (!v.archived && compareRanked(v, self) < 0) ahead++;
    out.set(id, ahead + 1);
  }
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Updates `views` for the touched items and returns the events, in a stable order. `byServer`:
 * the server's own change (an agreed poker estimate is `agreed`, not `estimated`).
 */
export function deriveEvents(doc: Y.Doc, touched: Set<string>, views: Map<string, ItemView>, byServer: boolean): DerivedEvent[] {
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
export function allViews(doc: Y.Doc): Map<string, ItemView> {
  const views = new Map<string, ItemView>();
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
