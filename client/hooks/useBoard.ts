/**
 * React bindings for a connected board. `BoardContext` carries everything a board
 * component needs; the hooks read the stores with useSyncExternalStore so a component
 * re-renders only when the slice it reads changed.
 *
 * Other features (item details, session bar, estimation) plug in through these hooks:
 *   const board = useBoardContext();      // doc, origin, me, canWrite, stores, connection
 *   const item = useItem(board.store, id); // immutable ItemSnapshot, stable identity
 *   setItemStatus(board.doc, id, 'ready', board.origin); // always pass board.origin
 */
import type { DraftStore } from './drafts.ts';
import { createContext, useContext, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import type { EstimationSnapshot } from '../../shared/schema/estimation.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import type { BoardMeta } from '../../shared/schema/meta.ts';
import type { SessionSnapshot } from '../../shared/schema/session.ts';
import type { BoardConnection, ConnectionSnapshot } from './boardConnection.ts';
import type { BoardStore } from './boardStore.ts';
import type { ItemActivity, Peer, PresenceStore } from './presenceStore.ts';

export interface Me {
  boardId: string;
  userId: string;
  name: string;
  role: Role;
  /** Personal token, for REST calls (`Authorization: Bearer`). */
  token: string;
}

export interface BoardContextValue {
  connection: BoardConnection;
  doc: Y.Doc;
  /** Origin for this user's transactions (undo scope); pass to every schema operation. */
  origin: object;
  store: BoardStore;
  presence: PresenceStore;
  me: Me;
  /**
   * canEditItems(me.role) (shared/policy/can.ts): the team (PO, SM, developers) add, edit,
   * move and archive items; viewers and stakeholders see those controls hidden or greyed.
   */
  canWrite: boolean;
  /**
   * canWriteDocument(me.role): anyone but a viewer comments, asks and answers questions and
   * keeps read markers (stakeholders too, POL-19).
   */
  canContribute: boolean;
  /** isFacilitator(me.role): PO and SM run the session. */
  facilitator: boolean;
  /** Unsent text per item and field (comment, question, answer, criterion) [UX-2]. */
  drafts: DraftStore;
}

export const BoardContext = createContext<BoardContextValue | null>(null);

export function useBoardContext(): BoardContextValue {
  const ctx = useContext(BoardContext);
  if (!ctx) throw new Error('useBoardContext() outside a <BoardContext.Provider>');
  return ctx;
}

export const useOrder = (store: BoardStore): readonly ItemId[] => useSyncExternalStore(store.subscribe, store.getOrder);

export function useItem(store: BoardStore, id: string): ItemSnapshot | null {
  return useSyncExternalStore(store.subscribe, () => store.getItem(id));
}

/** When someone else last changed the item (ms since epoch), 0 if never since the board opened. */
export function useRemoteChangeAt(store: BoardStore, id: string): number {
  return useSyncExternalStore(store.subscribe, () => store.getRemoteChangeAt(id));
}

export const useArchived = (store: BoardStore): readonly ItemSnapshot[] => useSyncExternalStore(store.subscribe, store.getArchived);
export const useMeta = (store: BoardStore): BoardMeta => useSyncExternalStore(store.subscribe, store.getMeta);
export const useSession = (store: BoardStore): SessionSnapshot => useSyncExternalStore(store.subscribe, store.getSession);
export const useEstimation = (store: BoardStore): EstimationSnapshot => useSyncExternalStore(store.subscribe, store.getEstimation);
export const useInitialised = (store: BoardStore): boolean => useSyncExternalStore(store.subscribe, store.isInitialised);

export const usePeople = (presence: PresenceStore): readonly Peer[] => useSyncExternalStore(presence.subscribe, presence.getPeople);

export function useItemActivity(presence: PresenceStore, itemId: string): readonly ItemActivity[] {
  return useSyncExternalStore(presence.subscribe, () => presence.getItemActivity(itemId));
}

export const useConnectionSnapshot = (connection: BoardConnection): ConnectionSnapshot =>
  useSyncExternalStore(connection.subscribe, connection.getSnapshot);
