/**
 * A board's stored state (snapshot + updates) as the room uses it, through the one fold
 * of stored updates (server/storage/fold.mjs).
 */
import type * as Y from 'yjs';
import { applyStored, foldStored } from '../storage/fold.mjs';
import type { StoredBoardState } from '../storage/types.ts';

/**
 * The stored state as one update. A lone snapshot (the usual state after an unload, which
 * compacts) already is it; merging a big snapshot with a few updates still costs less
 * than building the doc and encoding it.
 */
export function storedUpdate(stored: StoredBoardState): Uint8Array {
  return foldStored(
    stored.snapshot,
    stored.updates.map((u) => u.data),
  );
}

/** Applies the stored state to `doc` in one transaction with `origin`. */
export function applyStoredState(doc: Y.Doc, stored: StoredBoardState, origin: unknown): void {
  applyStored(
    doc,
    stored.snapshot,
    stored.updates.map((u) => u.data),
    origin,
  );
}

/** Bytes the stored state takes (for the board size limit). */
export function storedBytesOf(stored: StoredBoardState): number {
  return (stored.snapshot?.length ?? 0) + stored.updates.reduce((n, u) => n + u.data.length, 0);
}

/** The stored snapshot and updates as the parts that merge into the board's state. */
export function storedParts(stored: StoredBoardState): Uint8Array[] {
  const updates = stored.updates.map((u) => u.data);
  return stored.snapshot ? [stored.snapshot, ...updates] : updates;
}
