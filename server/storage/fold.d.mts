/** Types of fold.mjs (plain JS so worker threads load it). */
import type * as Y from 'yjs';
import type { FoldedBoard } from './types.ts';

/** The v1 update of an empty document ([0, 0]), a fresh copy each call. */
export function emptyUpdate(): Uint8Array;

/**
 * The whole stored state as one v1 update: a lone snapshot (or lone update) as is, nothing
 * → the empty update, otherwise Y.mergeUpdates(snapshot, ...updates).
 */
export function foldStored(snapshot: Uint8Array | null, updates: readonly Uint8Array[]): Uint8Array;

/**
 * A compaction's fold: snapshot + the updates read with it (seq order) as one new snapshot,
 * with the range of seqs it covers; `folded` is null when no updates were stored.
 */
export function foldLog(snapshot: Uint8Array | null, updates: readonly { seq: number; data: Uint8Array }[]): FoldedBoard;

/** Applies snapshot then updates to `doc` in one transaction with `origin`. */
export function applyStored(
  doc: Y.Doc,
  snapshot: Uint8Array | null,
  updates: readonly Uint8Array[],
  origin?: unknown,
): void;
