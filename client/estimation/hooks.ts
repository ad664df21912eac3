/** React bindings for the poker round and dot voting, read straight from the document. */
import { useMemo, useRef, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { type AsyncRound, readAsyncRounds } from '../../shared/schema/asyncRound.ts';
import { type DotVoting, dotsUsedBy, readDotVoting, readStakeholderDots } from '../../shared/schema/dots.ts';
import { type PokerSnapshot, readHistory, readPoker, type RoundRecord } from '../../shared/schema/estimation.ts';
import { ROOT, type RootName } from '../../shared/schema/roots.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { asyncPokerApi, pokerApi } from '../api.ts';

/** A snapshot of one root, rebuilt only when that root changes (stable identity otherwise). */
function useRootSnapshot<T>(doc: Y.Doc, root: RootName, read: (doc: Y.Doc) => T): T {
  const cache = useRef<{ doc: Y.Doc; value: T; dirty: boolean } | null>(null);
  const subscribe = useMemo(
    () => (notify: () => void) => {
      const map = doc.getMap(root);
      const onChange = () => {
        if (cache.current) cache.current.dirty = true;
        notify();
      };
      map.observeDeep(onChange);
      return () => map.unobserveDeep(onChange);
    },
    [doc, root],
  );
  return useSyncExternalStore(subscribe, () => {
    if (!cache.current || cache.current.dirty || cache.current.doc !== doc) cache.current = { doc, value: read(doc), dirty: false };
    return cache.current.value;
  });
}

/**
 * Dots used per person, counted once per change of the items however many cards ask
 * (every card's "+" reads it while a round is open).
 */
const dotsUsedCache = new WeakMap<Y.Doc, { dirty: boolean; used: Map<string, number> }>();

function cachedDotsUsed(doc: Y.Doc, userId: string): number {
  let entry = dotsUsedCache.get(doc);
  if (!entry) {
    const fresh = { dirty: true, used: new Map<string, number>() };
    doc.getMap(ROOT.items).observeDeep(() => {
      fresh.dirty = true;
    });
    dotsUsedCache.set(doc, fresh);
    entry = fresh;
  }
  if (entry.dirty) {
    entry.used.clear();
    entry.dirty = false;
  }
  let n = entry.used.get(userId);
  if (n === undefined) {
    n = dotsUsedBy(doc, userId);
    entry.used.set(userId, n);
  }
  return n;
}

/** How many dots `userId` has placed across items; re-renders only when that number changes. */
export function useDotsUsed(doc: Y.Doc, userId: string): number {
  const subscribe = useMemo(
    () => (notify: () => void) => {
      const items = doc.getMap(ROOT.items);
      items.observeDeep(notify);
      return () => items.unobserveDeep(notify);
    },
    [doc],
  );
  return useSyncExternalStore(subscribe, () => cachedDotsUsed(doc, userId));
}

export const usePoker = (doc: Y.Doc): PokerSnapshot => useRootSnapshot(doc, ROOT.estimation, readPoker);
export const useDotVoting = (doc: Y.Doc): DotVoting | null => useRootSnapshot(doc, ROOT.session, readDotVoting);
/** The board setting that lets stakeholders place dots (POL-19). */
export const useStakeholderDots = (doc: Y.Doc): boolean => useRootSnapshot(doc, ROOT.session, readStakeholderDots);
/** Every async round (EST-12), rebuilt when the estimation root changes. */
export const useAsyncRounds = (doc: Y.Doc): readonly AsyncRound[] => useRootSnapshot(doc, ROOT.estimation, readAsyncRounds);

/** Revealed rounds of an item; call it where usePoker already re-renders on reveal. */
export function readItemHistory(doc: Y.Doc, itemId: string | null): readonly RoundRecord[] {
  return itemId ? readHistory(doc, itemId) : [];
}

export function usePokerApi() {
  const { me } = useBoardContext();
  return useMemo(() => pokerApi(me.boardId, me.token), [me.boardId, me.token]);
}

export function useAsyncPokerApi() {
  const { me } = useBoardContext();
  return useMemo(() => asyncPokerApi(me.boardId, me.token), [me.boardId, me.token]);
}
