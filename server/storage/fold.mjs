/**
 * The one home of "merge a snapshot and its updates". A stored board is a snapshot (a
 * merged Yjs update, or null) plus the updates appended since; everything that turns that
 * into one state — compaction in every adapter, a room's cold start and resync — goes
 * through here. Plain JS, so worker threads (sqlite-compactor.mjs) load it without a
 * TypeScript loader; typed for TypeScript callers in fold.d.mts.
 */
import * as Y from 'yjs';

/** The v1 update of an empty document. A fresh copy each call, so no caller can alter another's. */
export const emptyUpdate = () => new Uint8Array([0, 0]);

/**
 * The whole stored state as one v1 update: a lone snapshot (or a lone update) is returned
 * as is, nothing at all is the empty update, anything else is Y.mergeUpdates of the
 * snapshot followed by the updates in order.
 * @param {Uint8Array | null} snapshot
 * @param {readonly Uint8Array[]} updates
 * @returns {Uint8Array}
 */
export function foldStored(snapshot, updates) {
  const parts = snapshot ? [snapshot, ...updates] : [...updates];
  if (parts.length === 0) return emptyUpdate();
  if (parts.length === 1) return parts[0];
  return Y.mergeUpdates(parts);
}

/**
 * A compaction's fold: the snapshot and the updates read with it (as of one moment, in seq
 * order) as one new snapshot, with the range of updates it covers — what the adapter's
 * compare-and-swap checks is still stored. Nothing to fold when no updates were stored.
 * @param {Uint8Array | null} snapshot
 * @param {readonly { seq: number; data: Uint8Array }[]} updates
 * @returns {import('./types.ts').FoldedBoard}
 */
export function foldLog(snapshot, updates) {
  const snapshotBytes = snapshot?.byteLength ?? 0;
  const first = updates[0];
  const last = updates.at(-1);
  if (!first || !last) return { snapshotBytes, folded: null };
  const range = { firstSeq: first.seq, lastSeq: last.seq, count: updates.length };
  return { snapshotBytes, folded: { range, snapshot: foldStored(snapshot, updates.map((u) => u.data)) } };
}

/**
 * Applies the stored state to `doc` in one transaction with `origin`: the snapshot, then
 * each update in order (no merge first — applying them one by one is cheaper than merging
 * and then applying).
 * @param {Y.Doc} doc
 * @param {Uint8Array | null} snapshot
 * @param {readonly Uint8Array[]} updates
 * @param {unknown} [origin]
 */
export function applyStored(doc, snapshot, updates, origin) {
  doc.transact(() => {
    if (snapshot) Y.applyUpdate(doc, snapshot);
    for (const u of updates) Y.applyUpdate(doc, u);
  }, origin);
}
