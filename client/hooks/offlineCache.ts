/**
 * Offline cache of a board [REF-16]: y-indexeddb keeps every update of the board's
 * Y.Doc in IndexedDB (one database per board and person), so a reload with no network shows the
 * board as last seen, and edits made offline are stored locally and merge with everyone
 * else's when the socket returns (Yjs updates commute). Attached before the socket
 * connects so cached content and server content merge as plain updates.
 *
 * Also counts this user's changes made while not live, for the "N changes saved on this
 * device" notice.
 */
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb';
import type * as Y from 'yjs';

/**
 * One cache per board *and* person [AUTH-6]: whatever a cache holds that the server lacks
 * goes out under the token of whoever opens it, so one person's unsent edits must never be
 * sent with someone else's token (they would be refused, or bound to the wrong person).
 */
export const cacheName = (boardId: string, userId: string): string => `refinement-board:${boardId}:${userId}`;

/**
 * The cache of earlier versions, one per board. Nothing says whose edits it holds, so it is
 * deleted unread rather than sent under anyone's token.
 */
export const legacyCacheName = (boardId: string): string => `refinement-board:${boardId}`;

/**
 * Registers the app-shell service worker (client/public/sw.js) so the page itself also
 * loads with no network. Only in built apps (the dev server serves modules, not a shell)
 * and in secure contexts (https or localhost), where browsers allow service workers.
 */
export function registerAppShell(): void {
  if (!import.meta.env?.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // No shell cache: the board still works online and keeps its IndexedDB copy.
  });
}

export interface OfflineCache {
  /** Resolves once the cached state (if any) has been loaded into the doc. */
  loaded: Promise<void>;
  destroy(): void;
}

/**
 * Starts caching `doc`; `onLoaded` runs once the cache is read (with or without content).
 * Where IndexedDB is missing or refused (some private modes), the board still works, only
 * without the cache.
 */
export function attachOfflineCache(
  doc: Y.Doc,
  owner: { boardId: string; userId: string },
  onLoaded: () => void,
): OfflineCache {
  registerAppShell();
  if (typeof indexedDB === 'undefined') {
    onLoaded();
    return { loaded: Promise.resolve(), destroy() {} };
  }
  let persistence: IndexeddbPersistence | null = null;
  try {
    clearDocument(legacyCacheName(owner.boardId)).catch(() => {});
    persistence = new IndexeddbPersistence(cacheName(owner.boardId, owner.userId), doc);
  } catch {
    onLoaded();
    return { loaded: Promise.resolve(), destroy() {} };
  }
  const p = persistence;
  const loaded = p.whenSynced.then(
    () => onLoaded(),
    () => onLoaded(),
  );
  return {
    loaded,
    destroy: () => {
      void p.destroy();
    },
  };
}

/** Counts local transactions (by `origin`) while `isLive()` is false; reset when live. */
export class UnsentCounter {
  private count = 0;
  private readonly listeners = new Set<() => void>();
  private readonly onUpdate: (update: Uint8Array, origin: unknown) => void;

  constructor(
    private readonly doc: Y.Doc,
    origin: unknown,
    private readonly isLive: () => boolean,
  ) {
    this.onUpdate = (_u, o) => {
      if (o === origin && !this.isLive()) {
        this.count++;
        this.emit();
      }
    };
    doc.on('update', this.onUpdate);
  }

  /** Call when the connection state changes; going live means everything was sent. */
  connectionChanged(): void {
    if (this.isLive() && this.count !== 0) {
      this.count = 0;
      this.emit();
    }
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getCount = (): number => this.count;

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.listeners.clear();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
