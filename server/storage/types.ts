/**
 * Where boards live. Two adapters implement these interfaces (SQLite by default,
 * PostgreSQL for several server instances) and one contract suite tests both
 * (test/storage/contract.ts). A board is stored as a snapshot (a merged Yjs update) plus
 * the updates appended since.
 *
 * - `Storage`: boards, their update log and compaction — what rooms use.
 * - `PrivateStore`: server-private per-board values (votes before reveal).
 * - `SnapshotStore`: the read-and-fold and compare-and-swap that compaction.ts builds
 *   `compact` from, once for every adapter.
 */
import type { BoardId } from '../../shared/ids.ts';

export interface BoardRecord {
  id: BoardId;
  title: string;
  createdAt: number;
}

export interface StoredUpdate {
  /** Monotonic per board; assigned by the storage. */
  seq: number;
  data: Uint8Array;
}

export interface StoredBoardState {
  /** Merged state of everything compacted so far, or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** Updates appended after the snapshot, in seq order. */
  updates: StoredUpdate[];
}

export interface Storage {
  /** Registers a board with its initial content. Rejects if the id exists. */
  createBoard(board: BoardRecord, initialUpdate: Uint8Array): Promise<void>;
  getBoard(id: BoardId): Promise<BoardRecord | null>;
  /** Snapshot + later updates, or null for an unknown board. */
  loadBoard(id: BoardId): Promise<StoredBoardState | null>;
  /**
   * Appends updates in one durable transaction; resolves only once they would survive a
   * process crash. Returns the seq of the last one. `history`, when given, is what the
   * history records of these updates, written in the same transaction (HIS-7), so a crash
   * never leaves an accepted update without its history or history of an update not kept.
   */
  appendUpdates(id: BoardId, updates: readonly Uint8Array[], history?: HistoryOfBatch | null): Promise<number>;
  /**
   * Folds the snapshot and every stored update into a new snapshot, reading them from the
   * store itself (not from any instance's memory), so an update appended by another
   * instance is never dropped. Updates appended meanwhile are kept. Folds nothing (and
   * says so) when another compaction swapped its snapshot in first. Every adapter builds
   * it with compactBoard (compaction.ts) from its SnapshotStore.
   */
  compact(id: BoardId): Promise<CompactionResult>;
  /** Number of updates appended since the last compaction (drives background compaction). */
  pendingUpdateCount(id: BoardId): Promise<number>;
  /**
   * Binds Yjs clientIDs to the user who first wrote with them [AUTH-6]: each id of
   * `clientIds` that has no owner on this board yet gets `owner`, atomically across every
   * connection to the store (first writer wins), and the owner of every id asked about is
   * returned. Bindings never change; they go with the board. Rejects for an unknown board.
   */
  claimClientIds(id: BoardId, owner: string, clientIds: readonly number[]): Promise<Map<number, string>>;
  /** True when the store answers a trivial query (GET /healthz). */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export interface CompactionResult {
  /** How many stored updates went into the new snapshot (0: nothing swapped in). */
  updatesFolded: number;
  /** Size of the board's stored snapshot afterwards. */
  snapshotBytes: number;
}

/**
 * Server-private per-board values that never enter the replicated document (for example
 * planning-poker votes before reveal). Values are JSON strings. A value belongs to a board:
 * putting one for an unknown board is rejected.
 */
export interface PrivateStore {
  getPrivate(id: BoardId, key: string): Promise<string | null>;
  putPrivate(id: BoardId, key: string, value: string): Promise<void>;
  deletePrivate(id: BoardId, key: string): Promise<void>;
}

/** The stored updates a fold covered: seqs `firstSeq..lastSeq`, `count` of them, as read. */
export interface FoldedRange {
  firstSeq: number;
  lastSeq: number;
  count: number;
}

/** A board's snapshot and updates as read at one moment, folded (fold.mjs foldLog). */
export interface FoldedBoard {
  /** Size of the snapshot that was read. */
  snapshotBytes: number;
  /** The new snapshot and what it folded; null when no updates were stored. */
  folded: { range: FoldedRange; snapshot: Uint8Array } | null;
  /**
   * [HIS-8] What the new snapshot holds of the board's history, so the swap may keep it as
   * a history checkpoint: every history row up to `coversSeq` (read no later than the log),
   * and nothing stamped after `at` (taken after the log was read). Null: no history rows.
   */
  history?: HistoryCheckpointInfo | null;
}

export interface HistoryCheckpointInfo {
  coversSeq: number;
  at: number;
}

/** [HIS-8] A swapped-in snapshot is also kept as a history checkpoint when this many history bytes came since the last one. */
export interface CheckpointRequest extends HistoryCheckpointInfo {
  minBytes: number;
}

/** What compaction needs from an adapter; the decisions are compactBoard's (compaction.ts). */
export interface SnapshotStore {
  /**
   * Reads the snapshot and every stored update as of one moment and folds them with
   * fold.mjs; where the merge runs is the adapter's choice (SQLite: a thread of its own).
   * Rejects for an unknown board.
   */
  readFolded(id: BoardId): Promise<FoldedBoard>;
  /**
   * Compare-and-swap: stores `snapshot` and deletes the updates of `range` in one
   * transaction, only if the stored updates up to `range.lastSeq` are still exactly those
   * (no other compaction swapped in since they were read). Updates appended later stay.
   * Returns whether it swapped and the stored snapshot's size afterwards. Rejects for an
   * unknown board. With `checkpoint`, a swapped-in snapshot is also stored as a history
   * checkpoint (HIS-8) in the same transaction, when the board records history and the
   * history rows after the last checkpoint add up to `minBytes` and to the snapshot's size.
   */
  replaceSnapshot(
    id: BoardId,
    range: FoldedRange,
    snapshot: Uint8Array,
    checkpoint?: CheckpointRequest | null,
  ): Promise<{ replaced: boolean; snapshotBytes: number }>;
}

/** A board's stored deadline (DeadlineStore): `key` falls due at `dueAt` (ms since epoch). */
export interface StoredDeadline {
  boardId: BoardId;
  key: string;
  dueAt: number;
}

/**
 * Server timers that must fire even when nobody has the board open and across restarts
 * (async poker deadlines, EST-14): kept in one table across boards, so a server finds the
 * due ones without loading every board. Several instances may share it; `claimDeadline`
 * lets exactly one of them handle a due deadline. Deleted with their board.
 */
export interface DeadlineStore {
  /** Sets (or moves) a board's deadline `key`. Rejects for an unknown board. */
  putDeadline(id: BoardId, key: string, dueAt: number): Promise<void>;
  deleteDeadline(id: BoardId, key: string): Promise<void>;
  /** Deadlines with `dueAt <= now`, earliest first, at most `limit`. */
  dueDeadlines(now: number, limit: number): Promise<StoredDeadline[]>;
  /** The earliest stored `dueAt`, or null when none is stored. */
  nextDeadlineAt(): Promise<number | null>;
  /**
   * Takes a due deadline: moves it to `leaseUntil` only if it still falls due at `dueAt`,
   * atomically across connections. True for the one caller that moved it; if that caller
   * dies before deleting it, it falls due again at `leaseUntil`.
   */
  claimDeadline(id: BoardId, key: string, dueAt: number, leaseUntil: number): Promise<boolean>;
}


/** One semantic change to a board (HIS-1), as the history recorder derives it; `data` is JSON. */
export interface HistoryEventRecord {
  at: number;
  userId: string;
  userName: string;
  userRole: string;
  kind: string;
  itemId: string | null;
  data: string;
  /** Events with the same key are one event (edits per person per minute): the later replaces `at` and `data`. */
  coalesceKey: string | null;
}

/** What the history keeps of an appended batch (HIS-7), stored with it. */
export interface HistoryOfBatch {
  /** For each appended update, in order: when it was accepted, or null when it is not recorded. */
  ats: readonly (number | null)[];
  events: readonly HistoryEventRecord[];
}

export interface StoredHistoryEvent extends HistoryEventRecord {
  seq: number;
  note: string | null;
}

/**
 * A board's history (HIS-1…6): the semantic events and every accepted update with its time,
 * kept apart from the update log so compaction never folds them away. The base is the
 * board's whole state when recording began; base + updates up to a time is the board then.
 */
export interface HistoryStore {
  /** Appends updates and events in one transaction. Rejects for an unknown board. */
  appendHistory(id: BoardId, batch: { updates: { at: number; data: Uint8Array }[]; events: HistoryEventRecord[] }): Promise<void>;
  /** Stores the base unless the board already has one; true when it stored it. */
  putHistoryBase(id: BoardId, at: number, state: Uint8Array): Promise<boolean>;
  /** Events newest first (by seq), only those with seq < `before` and `itemId` when given, at most `limit`. */
  historyEvents(id: BoardId, q: { itemId?: string | null; before?: number | null; limit: number }): Promise<StoredHistoryEvent[]>;
  /**
   * What rebuilds the board as it was at `at`, in order: the latest checkpoint (HIS-8)
   * stamped at or before `at`, or the base, then the updates stamped at or before `at` that
   * it may not hold; `baseAt` is the base's time. Null without a base at or before `at`.
   */
  historyUpdatesUntil(id: BoardId, at: number): Promise<{ baseAt: number; updates: Uint8Array[] } | null>;
  /** Sets `note` on `userId`'s latest `moved` event at or after `notBefore`; returns it, or null. */
  noteLatestMove(id: BoardId, userId: string, note: string, notBefore: number): Promise<StoredHistoryEvent | null>;
}

/** One person on a board as the member store keeps them (MEM-1). */
export interface StoredMember {
  userId: string;
  name: string;
  role: string;
  joinedAt: number;
  lastSeenAt: number;
}

/**
 * The people who joined a board (MEM-1): written when someone joins, renews a personal
 * token or opens a socket, so "the team" is known even while nobody is online. Deleted
 * with their board.
 */
export interface MemberStore {
  /**
   * Records that `member` was seen at `at`: a new member gets `joinedAt = lastSeenAt = at`;
   * a known one keeps `joinedAt` and takes the new name, role and `lastSeenAt` (never
   * moved back). Rejects for an unknown board.
   */
  touchMember(id: BoardId, member: { userId: string; name: string; role: string }, at: number): Promise<void>;
  /** The `limit` most recently seen members who were not removed, most recent first. */
  listMembers(id: BoardId, limit: number): Promise<StoredMember[]>;
  /**
   * Removes a member (MEM-4): from then on `memberRemoved` is true for them and they are not
   * listed; a later `touchMember` does not bring them back. False when no such member.
   */
  removeMember(id: BoardId, userId: string, at: number): Promise<boolean>;
  memberRemoved(id: BoardId, userId: string): Promise<boolean>;
}

/** What each adapter opens: all six, on one connection to one store. */
export type StorageAdapter = Storage & PrivateStore & SnapshotStore & DeadlineStore & HistoryStore & MemberStore;
