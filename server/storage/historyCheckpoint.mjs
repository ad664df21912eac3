/**
 * [HIS-8] Rows stamped this close before a history checkpoint's time are replayed after it
 * anyway (idempotently): an append still in flight on another instance when the snapshot
 * was read may hold a lower seq than the checkpoint covers. Plain JS so the SQLite worker
 * threads load it; typed in historyCheckpoint.d.mts.
 */
export const CHECKPOINT_MARGIN_MS = 10_000;

/** A compaction's snapshot becomes a history checkpoint after at least this many history bytes since the last one. */
export const MIN_CHECKPOINT_BYTES = 256 * 1024;
