/**
 * Per-user undo/redo [REF-15]: a Y.UndoManager over the items, sprints and session roots
 * that tracks only this user's own transactions (their `origin`), so undo never reverts
 * what someone else did, even on the same item.
 *
 * One exception to plain Y.UndoManager: undoing the creation of an item would remove the
 * item's entry, which the write policy forbids (items are archived, never removed, ITEM-1,
 * POL-4). So a creation gets its own undo step, and undoing it archives the item instead
 * (restorable from the archive). No React here, so it is tested in Node with real clients.
 */
import * as Y from 'yjs';
import { archiveItem, boardRoots } from '../../shared/schema/board.ts';
import type { ItemId } from '../../shared/ids.ts';

const CREATED = 'createdItems';

export interface UndoState {
  canUndo: boolean;
  canRedo: boolean;
}

export class UndoController {
  readonly manager: Y.UndoManager;
  /** Origin of the archive that replaces undoing a creation (not tracked: it is the undo). */
  private readonly sideOrigin = { undoCreation: true };
  private pendingCreated: string[] = [];
  private state: UndoState = { canUndo: false, canRedo: false };
  private readonly listeners = new Set<() => void>();
  private readonly cleanups: (() => void)[] = [];

  constructor(
    private readonly doc: Y.Doc,
    private readonly origin: unknown,
    opts: { captureTimeout?: number } = {},
  ) {
    const roots = boardRoots(doc);
    const items = roots.items;
    this.manager = new Y.UndoManager([items, roots.sprints, roots.session] as Y.AbstractType<unknown>[], {
      trackedOrigins: new Set([origin]),
      captureTimeout: opts.captureTimeout ?? 500,
      // Never remove an item entry (see above); only items are protected this way.
      deleteFilter: (item) => !(item.parent === items && item.parentSub !== null),
    });

    // Item observers run before the UndoManager's afterTransaction handler, so a creation
    // can be cut into its own undo step before it is captured.
    const onItems = (ev: Y.YMapEvent<Y.Map<unknown>>, tx: Y.Transaction) => {
      if (tx.origin !== origin) return;
      const added = [...ev.changes.keys].filter(([, c]) => c.action === 'add').map(([k]) => k);
      if (added.length === 0) return;
      this.pendingCreated.push(...added);
      this.manager.stopCapturing();
    };
    items.observe(onItems);
    const onAdded = (ev: { stackItem: { meta: Map<unknown, unknown> }; type: 'undo' | 'redo' }) => {
      if (ev.type === 'undo' && this.pendingCreated.length > 0) {
        const prev = (ev.stackItem.meta.get(CREATED) as string[] | undefined) ?? [];
        ev.stackItem.meta.set(CREATED, [...prev, ...this.pendingCreated]);
        this.pendingCreated = [];
        this.manager.stopCapturing(); // nothing else joins a creation's step
      }
      this.refresh();
    };
    this.manager.on('stack-item-added', onAdded);
    this.manager.on('stack-item-updated', onAdded);
    this.manager.on('stack-item-popped', () => this.refresh());
    this.manager.on('stack-cleared', () => this.refresh());
    this.cleanups.push(() => items.unobserve(onItems));
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): UndoState => this.state;

  /** Undoes this user's last change; returns false when there was nothing to undo. */
  undo = (): boolean => {
    const top = this.manager.undoStack.at(-1);
    const created = top?.meta.get(CREATED) as string[] | undefined;
    if (top && created?.length) {
      // The step holds the creation (and the neighbours' re-ranking it needed): archive.
      this.manager.undoStack.pop();
      this.doc.transact(() => {
        for (const id of created) archiveItem(this.doc, id as ItemId, Date.now(), this.sideOrigin);
      }, this.sideOrigin);
      this.refresh();
      return true;
    }
    return this.manager.undo() !== null;
  };

  redo = (): boolean => this.manager.redo() !== null;

  destroy(): void {
    for (const c of this.cleanups) c();
    this.manager.destroy();
    this.listeners.clear();
  }

  private refresh(): void {
    const next = { canUndo: this.manager.undoStack.length > 0, canRedo: this.manager.redoStack.length > 0 };
    if (next.canUndo === this.state.canUndo && next.canRedo === this.state.canRedo) return;
    this.state = next;
    for (const l of this.listeners) l();
  }
}

/** Keys that mean undo / redo: Ctrl/Cmd+Z, Shift+Ctrl/Cmd+Z and Ctrl+Y. */
export function undoKey(ev: { key: string; ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }): 'undo' | 'redo' | null {
  if (!(ev.ctrlKey || ev.metaKey) || ev.altKey) return null;
  const k = ev.key.toLowerCase();
  if (k === 'z') return ev.shiftKey ? 'redo' : 'undo';
  if (k === 'y' && ev.ctrlKey && !ev.shiftKey) return 'redo';
  return null;
}

/** Fields with their own undo (typing): the board's undo keys leave them alone. */
export function hasOwnUndo(target: unknown): boolean {
  if (!target || typeof target !== 'object') return false;
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string };
  if (el.isContentEditable) return true;
  const tag = el.tagName?.toUpperCase();
  if (tag === 'TEXTAREA') return true;
  if (tag === 'INPUT') return !['checkbox', 'radio', 'button', 'submit', 'range', 'color'].includes(el.type ?? 'text');
  return false;
}
