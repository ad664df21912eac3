/**
 * Compaction, once for every adapter: read and fold the stored state (the adapter's
 * `readFolded`, which may merge on a thread of its own), then swap the new snapshot in with
 * the adapter's compare-and-swap. Nothing stored after the snapshot: nothing to do. The
 * swap refused: another compaction (another instance, or a concurrent call) folded those
 * updates first, so this one folded nothing and the next compaction folds everything.
 * Updates appended between the read and the swap have higher seqs and stay either way.
 */
import type { BoardId } from '../../shared/ids.ts';
import type { CompactionResult, SnapshotStore } from './types.ts';

export async function compactBoard(store: SnapshotStore, id: BoardId): Promise<CompactionResult> {
  const { snapshotBytes, folded } = await store.readFolded(id);
  if (!folded) return { updatesFolded: 0, snapshotBytes };
  const swap = await store.replaceSnapshot(id, folded.range, folded.snapshot);
  return { updatesFolded: swap.replaced ? folded.range.count : 0, snapshotBytes: swap.snapshotBytes };
}
