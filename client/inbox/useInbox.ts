/**
 * The "For me" inbox as React state [MEN-3, MEN-4]: the entries derived from the document
 * (shared/mentions/inbox.ts) and this person's inbox markers (shared/schema/inboxReads.ts),
 * both re-read only when the slice they come from changes.
 */
import { useCallback, useMemo, useRef, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { deriveInbox, type InboxEntry, type InboxMarkers, unreadInboxCount } from '../../shared/mentions/inbox.ts';
import { readInboxMarkers } from '../../shared/schema/inboxReads.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { readsMap } from '../../shared/schema/reads.ts';
import { useAsyncRounds } from '../estimation/hooks.ts';
import type { BoardStore } from '../hooks/boardStore.ts';
import { useBoardContext } from '../hooks/useBoard.ts';

/** Active items in backlog order; the same array until one of them (or the order) changes. */
export function useActiveItems(store: BoardStore): readonly ItemSnapshot[] {
  const last = useRef<readonly ItemSnapshot[]>([]);
  const get = useCallback(() => {
    const next = store
      .getOrder()
      .map((id) => store.getItem(id))
      .filter((i): i is ItemSnapshot => i !== null);
    const prev = last.current;
    if (next.length === prev.length && next.every((it, i) => it === prev[i])) return prev;
    last.current = next;
    return next;
  }, [store]);
  return useSyncExternalStore(store.subscribe, get);
}

/** One person's inbox markers, re-read when one of their `@` keys in `reads` changes. */
function useInboxMarkers(doc: Y.Doc, userId: string): InboxMarkers {
  const last = useRef<{ doc: Y.Doc; userId: string; markers: InboxMarkers } | null>(null);
  const subscribe = useCallback(
    (l: () => void) => {
      const map = readsMap(doc);
      const prefix = `${userId}:@`;
      const onChange = (ev: Y.YMapEvent<number>) => {
        if ([...ev.keysChanged].some((k) => k.startsWith(prefix))) {
          last.current = null;
          l();
        }
      };
      map.observe(onChange);
      return () => map.unobserve(onChange);
    },
    [doc, userId],
  );
  const get = useCallback(() => {
    const held = last.current;
    if (held && held.doc === doc && held.userId === userId) return held.markers;
    const markers = readInboxMarkers(doc, userId);
    last.current = { doc, userId, markers };
    return markers;
  }, [doc, userId]);
  return useSyncExternalStore(subscribe, get);
}

export interface Inbox {
  entries: readonly InboxEntry[];
  markers: InboxMarkers;
  unread: number;
}

export function useInbox(): Inbox {
  const { doc, store, me } = useBoardContext();
  const items = useActiveItems(store);
  const rounds = useAsyncRounds(doc);
  const markers = useInboxMarkers(doc, me.userId);
  const who = useMemo(() => ({ userId: me.userId, role: me.role }), [me.userId, me.role]);
  // Per person (and role): an item's entries stay cached while its snapshot is the same object.
  const cache = useMemo(() => (who ? new WeakMap<ItemSnapshot, readonly InboxEntry[]>() : null), [who]);
  const entries = useMemo(() => deriveInbox(items, rounds, who, cache ?? undefined), [items, rounds, who, cache]);
  return { entries, markers, unread: unreadInboxCount(entries, markers) };
}
