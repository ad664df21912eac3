/**
 * Where boards live. Two adapters implement this (SQLite by default, PostgreSQL for
 * several server instances) and one contract suite tests both (storage.contract.ts).
 * A board is stored as a snapshot (a merged Yjs update) plus the updates appended since.
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
   * process crash. Returns the seq of the last one.
   */
  appendUpdates(id: BoardId, updates: readonly Uint8Array[]): Promise<number>;
  /**
   * Folds the snapshot and every stored update into a new snapshot, reading them from the
   * store itself (not from any instance's memory), so an update appended by another
   * instance is never dropped. Updates appended meanwhile are kept.
   */
  compact(id: BoardId): Promise<{ updatesFolded: number; snapshotBytes: number }>;
  /** Number of updates appended since the last compaction (drives background compaction). */
  pendingUpdateCount(id: BoardId): Promise<number>;
  /**
   * Server-private per-board values that never enter the replicated document (for
   * example planning-poker votes before reveal). Values are JSON strings.
   */
  getPrivate(id: BoardId, key: string): Promise<string | null>;
  putPrivate(id: BoardId, key: string, value: string): Promise<void>;
  deletePrivate(id: BoardId, key: string): Promise<void>;
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
