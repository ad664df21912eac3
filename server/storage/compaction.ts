/**
 * Compaction, once for every adapter: read and fold the stored state (the adapter's
 * `readFolded`, which may merge on a thread of its own), then swap the new snapshot in with
 * the adapter's compare-and-swap. Nothing stored after the snapshot: nothing to do. The
 * swap refused: another compaction (another instance, or a concurrent call) folded those
 * updates first, so this one folded nothing and the next compaction folds everything.
 * Updates appended between the read and the swap have higher seqs and stay either way.
 * The swapped-in snapshot may also become a history checkpoint (HIS-8), in the same swap.
 */
import type { BoardId } from '../../shared/ids.ts';
import { MIN_CHECKPOINT_BYTES } from './historyCheckpoint.mjs';
import type { CompactionResult, SnapshotStore } from './types.ts';

export interface CompactOptions {
  /** [HIS-8] History bytes since the last checkpoint before the new snapshot becomes one. */
  checkpointMinBytes?: number;
}

export async function compactBoard(store: SnapshotStore, id: BoardId, opts: CompactOptions = {}): Promise<CompactionResult> {
  const { snapshotBytes, folded, history } = await store.readFolded(id);
  if (!folded) return { updatesFolded: 0, snapshotBytes };
  // The new snapshot doubles as a history checkpoint when enough history came since (HIS-8).
  const checkpoint = history ? { ...history, minBytes: opts.checkpointMinBytes ?? MIN_CHECKPOINT_BYTES } : null;
  const swap = await store.replaceSnapshot(id, folded.range, folded.snapshot, checkpoint);
  return { updatesFolded: swap.replaced ? folded.range.count : 0, snapshotBytes: swap.snapshotBytes };
}
