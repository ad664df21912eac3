/**
 * React bindings for planning: the sprints as one snapshot (rebuilt when the `sprints`
 * root changes, same array otherwise), and one item as the planning rows need it. Read
 * with useSyncExternalStore, like the board's store.
 */
import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { boardRoots } from '../../shared/schema/board.ts';
import type { ItemSnapshot, ItemStatus } from '../../shared/schema/item.ts';
import { useBoardContext, useItem } from '../hooks/useBoard.ts';
import { pointsOf } from './model.ts';
import { readSprints, type SprintView } from './planningData.ts';

class SprintsStore {
  private snapshot: readonly SprintView[];
  private readonly listeners = new Set<() => void>();
  constructor(doc: Y.Doc) {
    this.snapshot = readSprints(doc);
    boardRoots(doc).sprints.observeDeep(() => {
      this.snapshot = readSprints(doc);
      for (const l of this.listeners) l();
    });
  }
  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
  get = () => this.snapshot;
}

// One store per document, living as long as the document (its observer goes with it).
const stores = new WeakMap<Y.Doc, SprintsStore>();
function sprintsStore(doc: Y.Doc): SprintsStore {
  let s = stores.get(doc);
  if (!s) {
    s = new SprintsStore(doc);
    stores.set(doc, s);
  }
  return s;
}

export function useSprints(): readonly SprintView[] {
  const { doc } = useBoardContext();
  const store = sprintsStore(doc);
  return useSyncExternalStore(store.subscribe, store.get);
}

export interface PlanItem {
  id: ItemId;
  title: string;
  status: ItemStatus;
  estimate: string | null;
  points: number | null;
  blocked: { reason: string } | null;
}

const planItems = new WeakMap<ItemSnapshot, PlanItem>();
/** The planning view of an item; the same object while its snapshot is the same. */
export function planItemOf(item: ItemSnapshot): PlanItem {
  let p = planItems.get(item);
  if (!p) {
    p = { id: item.id, title: item.title, status: item.status, estimate: item.estimate, points: pointsOf(item.estimate), blocked: item.blocked ? { reason: item.blocked.reason } : null };
    planItems.set(item, p);
  }
  return p;
}

export function usePlanItem(id: ItemId): PlanItem | null {
  const { store } = useBoardContext();
  const item = useItem(store, id);
  return item ? planItemOf(item) : null;
}
