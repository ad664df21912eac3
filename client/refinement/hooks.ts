/**
 * React hooks for refinement features: the server clock, my read markers, the actor that
 * schema operations need, and a ticking "now" for countdowns.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { readsMap, readsOf } from '../../shared/schema/reads.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import type { UserId } from '../../shared/ids.ts';
import type { BoardConnection } from '../hooks/boardConnection.ts';
import { type BoardContextValue, useBoardContext, useConnectionSnapshot } from '../hooks/useBoard.ts';
import { offsetFromWelcome } from './clock.ts';

/** The person using this client, in the shape shared/schema/refinement.ts expects. */
export function useActor(): Actor {
  const { me } = useBoardContext();
  return useMemo(() => ({ userId: me.userId as UserId, name: me.name, role: me.role }), [me.userId, me.name, me.role]);
}

/** Offset (ms) to add to Date.now() to get the server's clock, learnt from each welcome. */
export function useServerOffset(connection: BoardConnection): number {
  const { welcome } = useConnectionSnapshot(connection);
  const [offset, setOffset] = useState(0);
  const seen = useRef<unknown>(null);
  useEffect(() => {
    if (welcome && welcome !== seen.current) {
      seen.current = welcome;
      setOffset(offsetFromWelcome(welcome, Date.now()));
    }
  }, [welcome]);
  return offset;
}

/**
 * Server-clock "now" for display, re-rendering every `everyMs` while `active`, and
 * `read()` for actions: a fresh reading (the displayed value may be minutes old while idle).
 */
export function useServerNow(connection: BoardConnection, active: boolean, everyMs = 250): { now: number; read: () => number } {
  const offset = useServerOffset(connection);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs]);
  const read = useCallback(() => Date.now() + offset, [offset]);
  return { now: now + offset, read };
}

/** A local clock for relative times ("5 min ago"), ticking each minute. */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

class ReadsStore {
  private snapshot: ReadonlyMap<string, number>;
  constructor(
    private readonly doc: Y.Doc,
    private readonly userId: string,
  ) {
    this.snapshot = readsOf(doc, userId);
  }
  subscribe = (l: () => void): (() => void) => {
    const map = readsMap(this.doc);
    const onChange = (ev: Y.YMapEvent<number>) => {
      const prefix = `${this.userId}:`;
      if ([...ev.keysChanged].some((k) => k.startsWith(prefix))) {
        this.snapshot = readsOf(this.doc, this.userId);
        l();
      }
    };
    map.observe(onChange);
    return () => map.unobserve(onChange);
  };
  get = (): ReadonlyMap<string, number> => this.snapshot;
}

const storesByDoc = new WeakMap<Y.Doc, Map<string, ReadsStore>>();

function readsStore(ctx: Pick<BoardContextValue, 'doc' | 'me'>): ReadsStore {
  let byUser = storesByDoc.get(ctx.doc);
  if (!byUser) {
    byUser = new Map();
    storesByDoc.set(ctx.doc, byUser);
  }
  let store = byUser.get(ctx.me.userId);
  if (!store) {
    store = new ReadsStore(ctx.doc, ctx.me.userId);
    byUser.set(ctx.me.userId, store);
  }
  return store;
}

/** My read markers: itemId → number of comments seen [REF-13]. */
export function useMyReads(): ReadonlyMap<string, number> {
  const ctx = useBoardContext();
  const store = readsStore(ctx);
  return useSyncExternalStore(store.subscribe, store.get);
}
