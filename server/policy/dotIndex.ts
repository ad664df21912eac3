/**
 * Every user's dot counts per item of one board, kept current from the document's own
 * change events, so the dot-budget check costs O(items the voter has dots on) instead of
 * a scan of every item on every vote.
 */
import * as Y from 'yjs';
import { DOTS_KEY, isDotCount } from '../../shared/schema/dots.ts';
import { ROOT } from '../../shared/schema/roots.ts';

export class DotIndex {
  /** userId → itemId → that user's dot count on the item. */
  private readonly byUser = new Map<string, Map<string, number>>();
  private readonly items: Y.Map<unknown>;

  constructor(doc: Y.Doc) {
    this.items = doc.getMap(ROOT.items);
    for (const id of this.items.keys()) this.reindexItem(id);
    this.items.observeDeep((events) => {
      for (const ev of events) this.onEvent(ev);
    });
  }

  /** The user's counts by item id (live view: do not modify). */
  of(userId: string): ReadonlyMap<string, number> | undefined {
    return this.byUser.get(userId);
  }

  private onEvent(event: Y.YEvent<Y.AbstractType<unknown>>): void {
    if (!(event instanceof Y.YMapEvent)) return;
    const ev = event as Y.YMapEvent<unknown>;
    const target = ev.target;
    if (target === this.items) {
      for (const id of ev.keysChanged) this.reindexItem(id);
      return;
    }
    const holder = target._item;
    if (!holder) return;
    if (holder.parent === this.items) {
      // An item's own keys: only a replaced `dots` map matters.
      if (ev.keysChanged.has(DOTS_KEY) && holder.parentSub !== null) this.reindexItem(holder.parentSub);
      return;
    }
    const item = (holder.parent as Y.AbstractType<unknown>)._item;
    if (holder.parentSub !== DOTS_KEY || !item || item.parent !== this.items || item.parentSub === null) return;
    // A dots map that is no longer the item's current one changes nothing.
    this.reindexItem(item.parentSub, ev.keysChanged);
  }

  /** Re-reads one item's dots (only `users` when given). */
  private reindexItem(itemId: string, users?: ReadonlySet<string>): void {
    const raw = this.items.get(itemId);
    const dots = raw instanceof Y.Map ? raw.get(DOTS_KEY) : undefined;
    const clear = (u: string) => this.byUser.get(u)?.delete(itemId);
    if (users) for (const u of users) clear(u);
    else for (const m of this.byUser.values()) m.delete(itemId);
    if (!(dots instanceof Y.Map)) return;
    const set = (u: string, n: unknown) => {
      if (!isDotCount(n)) return;
      let m = this.byUser.get(u);
      if (!m) {
        m = new Map();
        this.byUser.set(u, m);
      }
      m.set(itemId, n);
    };
    if (users) for (const u of users) set(u, dots.get(u));
    else for (const [u, n] of dots.entries()) set(u, n);
  }
}
