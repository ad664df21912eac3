/**
 * Which transfer dialog a board shows: none, the import dialog (maybe with a dropped file)
 * or the summary. The header's buttons open them and the board's drop zone opens the
 * import with a file; one <TransferLayer> renders whichever is open. One store per board
 * document (a WeakMap, so it goes with the board), read with useSyncExternalStore.
 */
import { useSyncExternalStore } from 'react';
import type * as Y from 'yjs';

export type TransferView = { kind: 'none' } | { kind: 'import'; file: File | null } | { kind: 'summary' };

export class TransferViewStore {
  private view: TransferView = { kind: 'none' };
  private readonly listeners = new Set<() => void>();

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  get = (): TransferView => this.view;

  show(view: TransferView): void {
    this.view = view;
    for (const l of this.listeners) l();
  }

  close = (): void => this.show({ kind: 'none' });
}

const stores = new WeakMap<Y.Doc, TransferViewStore>();

export function transferViewFor(doc: Y.Doc): TransferViewStore {
  let s = stores.get(doc);
  if (!s) {
    s = new TransferViewStore();
    stores.set(doc, s);
  }
  return s;
}

export function useTransferView(store: TransferViewStore): TransferView {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
