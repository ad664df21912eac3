/**
 * Unsent text per item and field [UX-2]: what someone typed into a comment, question,
 * answer or criterion box and has not sent yet. Kept in memory and in localStorage (one
 * entry per board and person, beside the board's offline cache, see offlineCache.ts), so
 * closing the panel, following the facilitator or reloading never loses a draft.
 * Follow mode reads `hasDrafts(itemId)` to leave people with unsent text where they are.
 */
import { useCallback, useSyncExternalStore } from 'react';

export type DraftField = 'comment' | 'question' | 'criterion' | `answer:${string}`;

export const draftsStorageKey = (boardId: string, userId: string): string => `refinement-drafts:${boardId}:${userId}`;

export class DraftStore {
  private drafts = new Map<string, string>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storageKey: string | null) {
    if (!storageKey) return;
    try {
      const raw = window.localStorage.getItem(storageKey);
      const parsed: unknown = raw ? JSON.parse(raw) : null;
      if (parsed && typeof parsed === 'object') {
        for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' && v) this.drafts.set(k, v);
      }
    } catch {
      // An unreadable entry is dropped; drafts still live in memory.
    }
  }

  private static key(itemId: string, field: DraftField): string {
    return `${itemId}|${field}`;
  }

  get(itemId: string, field: DraftField): string {
    return this.drafts.get(DraftStore.key(itemId, field)) ?? '';
  }

  set(itemId: string, field: DraftField, text: string): void {
    const k = DraftStore.key(itemId, field);
    if ((this.drafts.get(k) ?? '') === text) return;
    if (text) this.drafts.set(k, text);
    else this.drafts.delete(k);
    // A new Map, so snapshots taken before this change stay what they were.
    this.drafts = new Map(this.drafts);
    this.persist();
    for (const l of this.listeners) l();
  }

  /** Unsent text with content (not only spaces) somewhere on this item. */
  hasDrafts(itemId: string): boolean {
    for (const [k, v] of this.drafts) if (k.startsWith(`${itemId}|`) && v.trim()) return true;
    return false;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  snapshot = (): ReadonlyMap<string, string> => this.drafts;

  private persist(): void {
    if (!this.storageKey) return;
    try {
      if (this.drafts.size === 0) window.localStorage.removeItem(this.storageKey);
      else window.localStorage.setItem(this.storageKey, JSON.stringify(Object.fromEntries(this.drafts)));
    } catch {
      // Storage full or blocked: the draft survives in memory for this page.
    }
  }
}

/** One field's draft as React state: `[text, setText]`; set '' once sent. */
export function useDraft(store: DraftStore, itemId: string, field: DraftField): [string, (text: string) => void] {
  useSyncExternalStore(store.subscribe, store.snapshot);
  const text = store.get(itemId, field);
  const setText = useCallback((t: string) => store.set(itemId, field, t), [store, itemId, field]);
  return [text, setText];
}
