/**
 * Read model of a board for React. It observes the Y.Doc once and keeps immutable
 * snapshots: one per item (rebuilt only when that item changed, so unchanged cards keep
 * identity and React.memo skips them), the ordered active ids (same array while the order
 * is unchanged), the archived list, meta, session and estimation. Hooks in useBoard.ts read
 * it through useSyncExternalStore.
 */
import * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { boardRoots, isInitialised, rankedActiveEntries, readMeta } from '../../shared/schema/board.ts';
import { type EstimationSnapshot, readEstimation } from '../../shared/schema/estimation.ts';
import { type ItemSnapshot, readItem } from '../../shared/schema/item.ts';
import type { BoardMeta } from '../../shared/schema/meta.ts';
import { readSession, type SessionSnapshot } from '../../shared/schema/session.ts';

/** Remote transactions touching more items than this are syncs or imports, not someone's edit. */
const REMOTE_CHANGE_FLASH_MAX_ITEMS = 8;

const sameIds = (a: readonly ItemId[], b: readonly ItemId[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export class BoardStore {
  private readonly listeners = new Set<() => void>();
  private readonly itemCache = new Map<string, ItemSnapshot | null>();
  private readonly remoteChangeAt = new Map<string, number>();
  private order: readonly ItemId[] = [];
  private archived: readonly ItemSnapshot[] = [];
  private meta: BoardMeta;
  private session: SessionSnapshot;
  private estimation: EstimationSnapshot;
  private initialised: boolean;
  private readonly unobserve: () => void;

  constructor(readonly doc: Y.Doc) {
    const roots = boardRoots(doc);
    this.meta = readMeta(doc);
    this.session = readSession(doc);
    this.estimation = readEstimation(doc);
    this.initialised = isInitialised(doc);
    this.recomputeLists();

    const onItems = (events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) => {
      const changed = new Set<string>();
      for (const ev of events) {
        if (ev.target === roots.items && ev instanceof Y.YMapEvent) for (const key of ev.keysChanged) changed.add(key);
        else {
          const top = ev.path[0];
          if (typeof top === 'string') changed.add(top);
        }
      }
      for (const id of changed) this.itemCache.delete(id);
      // Someone else's edit of a few items: note when, so those cards can flash briefly.
      // Big remote transactions (the first sync, the offline cache, an import) are not news.
      if (!tr.local && changed.size <= REMOTE_CHANGE_FLASH_MAX_ITEMS) {
        const now = Date.now();
        for (const id of changed) this.remoteChangeAt.set(id, now);
      }
      this.recomputeLists();
      this.emit();
    };
    const onMeta = () => {
      this.meta = readMeta(doc);
      this.initialised = isInitialised(doc);
      this.emit();
    };
    const onSession = () => {
      this.session = readSession(doc);
      this.emit();
    };
    const onEstimation = () => {
      this.estimation = readEstimation(doc);
      this.emit();
    };
    roots.items.observeDeep(onItems);
    roots.meta.observeDeep(onMeta);
    roots.session.observeDeep(onSession);
    roots.estimation.observeDeep(onEstimation);
    this.unobserve = () => {
      roots.items.unobserveDeep(onItems);
      roots.meta.unobserveDeep(onMeta);
      roots.session.unobserveDeep(onSession);
      roots.estimation.unobserveDeep(onEstimation);
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Active item ids in backlog order; the same array until the order changes. */
  getOrder = (): readonly ItemId[] => this.order;
  /** Archived items, most recently archived first. */
  getArchived = (): readonly ItemSnapshot[] => this.archived;
  getMeta = (): BoardMeta => this.meta;
  getSession = (): SessionSnapshot => this.session;
  getEstimation = (): EstimationSnapshot => this.estimation;
  /** True once the server's default content (meta.formatVersion) is in the document. */
  isInitialised = (): boolean => this.initialised;

  /** When another person last changed this item (ms), or 0; for a brief highlight. */
  getRemoteChangeAt = (id: string): number => this.remoteChangeAt.get(id) ?? 0;

  /** The item's snapshot; the same object until something inside that item changes. */
  getItem = (id: string): ItemSnapshot | null => {
    let snap = this.itemCache.get(id);
    if (snap === undefined) {
      snap = readItem(boardRoots(this.doc).items.get(id), id);
      this.itemCache.set(id, snap);
    }
    return snap;
  };

  destroy(): void {
    this.unobserve();
    this.listeners.clear();
  }

  private recomputeLists(): void {
    const order = rankedActiveEntries(this.doc).map((e) => e.id as ItemId);
    if (!sameIds(order, this.order)) this.order = order;

    const archived: ItemSnapshot[] = [];
    boardRoots(this.doc).items.forEach((_raw, key) => {
      const snap = this.getItem(key);
      if (snap && snap.archivedAt !== null) archived.push(snap);
    });
    archived.sort((a, b) => (b.archivedAt ?? 0) - (a.archivedAt ?? 0) || (a.id < b.id ? -1 : 1));
    if (archived.length !== this.archived.length || archived.some((s, i) => s !== this.archived[i])) this.archived = archived;
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
