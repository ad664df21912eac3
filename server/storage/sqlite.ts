/**
 * The embedded SQLite adapter of Storage (better-sqlite3, WAL), run on a worker thread.
 *
 * Durability: `synchronous = FULL` — every commit fsyncs the WAL, so an update whose
 * appendUpdates() resolved survives a power cut, not just a process crash. NORMAL would
 * only lose the last commits on power loss, but the promise [SRV-2] is "no update anyone
 * has seen is lost", so we pay one fsync per commit (docs/operations.md) and make commits
 * rare instead: group commit (below).
 *
 * Threading: better-sqlite3 is synchronous, so on the main thread every fsync and every
 * compaction's Y.mergeUpdates would stall relaying all other boards. The connection lives
 * in a worker (sqlite-worker.mjs) that runs operations in request order; appends that
 * arrive while a commit is in progress share the next transaction, so under load one fsync
 * covers many appends from many boards. Each board's append runs in its own
 * savepoint, so an unknown board fails alone. appendUpdates still resolves only after the
 * commit is durable.
 *
 * Layout: `boards` holds each board's record and its snapshot (the initial content counts
 * as the first snapshot); `updates` holds what was appended after the snapshot; `private`
 * holds server-only values (PrivateStore); `client_ids` binds each Yjs clientID to its
 * first writer [AUTH-6]. Compaction (compaction.ts) folds snapshot + updates on the
 * compactor thread and swaps the result in with one transaction, so a reader sees either
 * the old or the new state, never half of it.
 */
import { Worker } from 'node:worker_threads';
import type { BoardId } from '../../shared/ids.ts';
import { pack, unpack } from './bytes.mjs';
import { compactBoard } from './compaction.ts';
import type {
  BoardRecord,
  CheckpointRequest,
  DeadlineStore,
  FoldedBoard,
  FoldedRange,
  HistoryOfBatch,
  HistoryStore,
  MemberStore,
  StorageAdapter,
  StoredBoardState,
  StoredDeadline,
  StoredMember,
  StoredHistoryEvent,
  StoredUpdate,
} from './types.ts';

export interface SqliteStorageOptions {
  /** Milliseconds to wait for another connection's write lock (several processes). */
  busyTimeoutMs?: number;
  /**
   * FULL (default) fsyncs every commit: nothing acknowledged is lost even on power loss.
   * NORMAL survives process crashes only (the OS still holds the WAL); for dev and benches.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

// The worker protocol (sqlite-worker.mjs): requests `{ id, op, args }`, replies batched as
// `{ results: [[id, ok, value], ...] }`; a failed operation's value is an ErrorInfo.
type Reply = [id: number, ok: boolean, value: unknown];
interface ErrorInfo {
  message: string;
  code?: unknown;
}
interface BoardRow {
  id: string;
  title: string;
  created_at: number;
}
/** loadBoard's reply: the snapshot and every update's bytes in transferred buffers. */
interface LoadReply {
  snapshot: ArrayBuffer | null;
  seqs: number[];
  buffer: ArrayBuffer;
  lengths: number[];
}

// Plain JS, so it starts without a TypeScript loader (vitest gives worker threads none).
const WORKER_URL = new URL('./sqlite-worker.mjs', import.meta.url);

/**
 * The parent's node flags minus a tsx loader (`node --import tsx`, the tsx CLI's --require
 * and --import): the worker is plain JS, and registering the loader there would only add
 * the loader's own start-up to the worker's.
 */
export function workerExecArgv(): string[] {
  const argv = process.execArgv;
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (/^--(import|require|loader|experimental-loader)$/.test(arg) && /tsx/.test(argv[i + 1] ?? '')) i++;
    else if (!/^--(import|require|loader|experimental-loader)=.*tsx/.test(arg)) out.push(arg);
  }
  return out;
}

function toError(info: ErrorInfo): Error {
  const err = new Error(info.message) as Error & { code?: unknown };
  if (info.code !== undefined) err.code = info.code;
  return err;
}

/** The SQLite adapter, plus a fault-injection hook that only tests call. */
export interface SqliteStorage extends StorageAdapter {
  /**
   * Simulates a storage fault on this adapter's connection, for tests: 'full' makes every
   * write that needs a new page fail with SQLITE_FULL (the database is capped at its
   * current size, as on a full disk), 'read-only' makes every write fail with
   * SQLITE_READONLY (as on a read-only file system; root ignores chmod, so the test cannot
   * use one); null ends the fault. Reads keep working, as they do on a full disk.
   */
  injectFault(fault: 'full' | 'read-only' | null): Promise<void>;
  /** Tests only: holds the storage thread for `ms`, so requests sent meanwhile commit as one group. */
  holdForTest(ms: number): Promise<void>;
}

export function openSqliteStorage(file: string, opts: SqliteStorageOptions = {}): SqliteStorage {
  const worker = new Worker(WORKER_URL, {
    execArgv: workerExecArgv(),
    workerData: { file, synchronous: opts.synchronous ?? 'FULL', busyTimeoutMs: opts.busyTimeoutMs ?? 5000 },
  });
  const pending = new Map<number, { resolve(value: unknown): void; reject(err: Error): void }>();
  let nextId = 0;
  let failure: Error | null = null;
  let closing: Promise<void> | null = null;

  // The worker keeps the process alive only while an operation is pending, so a storage
  // that is never closed does not hold a finished process (or test run) open.
  worker.unref();
  const fail = (err: Error) => {
    if (failure) return;
    failure = err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker.unref();
  };
  worker.on('message', (msg: { results: Reply[] }) => {
    for (const [id, ok, value] of msg.results) {
      const p = pending.get(id);
      if (!p) continue;
      pending.delete(id);
      if (ok) p.resolve(value);
      else p.reject(toError(value as ErrorInfo));
    }
    if (pending.size === 0) worker.unref();
  });
  worker.on('error', (err) => fail(new Error(`SQLite storage worker failed: ${err.message}`, { cause: err })));
  worker.on('messageerror', (err) => fail(new Error(`SQLite storage worker message failed: ${err.message}`)));
  worker.on('exit', (code) =>
    fail(new Error(closing ? 'storage is closed' : `SQLite storage worker exited unexpectedly (code ${code})`)),
  );

  const send = <T>(op: string, args: unknown[], transfer: ArrayBuffer[] = []): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure) {
        reject(failure);
        return;
      }
      const id = ++nextId;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (pending.size === 1) worker.ref();
      worker.postMessage({ id, op, args }, transfer);
    });
  const call = <T>(op: string, args: unknown[], transfer?: ArrayBuffer[]): Promise<T> =>
    closing ? Promise.reject(new Error('storage is closed')) : send<T>(op, args, transfer);

  const snapshots = {
    /** Read and merged on the worker's compactor thread, so the merge never runs here. */
    readFolded: (id: BoardId) => call<FoldedBoard>('readFolded', [id]),
    replaceSnapshot(id: BoardId, range: FoldedRange, snapshot: Uint8Array, checkpoint?: CheckpointRequest | null) {
      const { buffer } = pack([snapshot]);
      return call<{ replaced: boolean; snapshotBytes: number }>('replaceSnapshot', [id, range, buffer, checkpoint ?? null], [buffer]);
    },
  };

  return {
    ...snapshots,
    async createBoard(board: BoardRecord, initialUpdate: Uint8Array) {
      const { buffer } = pack([initialUpdate]);
      await call('createBoard', [board.id, board.title, board.createdAt, new Uint8Array(buffer)], [buffer]);
    },
    async getBoard(id: BoardId) {
      const row = await call<BoardRow | null>('getBoard', [id]);
      return row ? { id: row.id as BoardId, title: row.title, createdAt: row.created_at } : null;
    },
    async loadBoard(id: BoardId): Promise<StoredBoardState | null> {
      const r = await call<LoadReply | null>('load', [id]);
      if (!r) return null;
      const parts = unpack(r.buffer, r.lengths);
      const updates: StoredUpdate[] = r.seqs.map((seq, i) => ({ seq, data: parts[i]! }));
      return { snapshot: r.snapshot ? new Uint8Array(r.snapshot) : null, updates };
    },
    async appendUpdates(id: BoardId, updates: readonly Uint8Array[], history?: HistoryOfBatch | null) {
      if (updates.length === 0) return call<number>('lastSeq', [id]);
      if (history && history.ats.length !== updates.length) throw new Error('history of a batch must give one time (or null) per update');
      const { buffer, lengths } = pack(updates);
      // The history rides along (times and events only: the bytes are the updates'), HIS-7.
      return call<number>('append', [id, buffer, lengths, history ? { ats: history.ats, events: history.events } : null], [buffer]);
    },
    compact: (id: BoardId) => compactBoard(snapshots, id),
    async pendingUpdateCount(id: BoardId) {
      return call<number>('pendingUpdateCount', [id]);
    },
    async getPrivate(id: BoardId, key: string) {
      return call<string | null>('getPrivate', [id, key]);
    },
    async putPrivate(id: BoardId, key: string, value: string) {
      await call('putPrivate', [id, key, value]);
    },
    async deletePrivate(id: BoardId, key: string) {
      await call('deletePrivate', [id, key]);
    },
    ...sqliteDeadlines(call),
    ...sqliteHistory(call),
    ...sqliteMembers(call),
    async claimClientIds(id: BoardId, owner: string, clientIds: readonly number[]) {
      const unique = [...new Set(clientIds)];
      if (unique.length === 0) return new Map<number, string>();
      return new Map(await call<Array<[number, string]>>('claimClientIds', [id, owner, unique]));
    },
    injectFault: async (fault: 'full' | 'read-only' | null) => void (await call('injectFault', [fault])),
    holdForTest: async (ms: number) => void (await call('holdForTest', [ms])),
    async healthy() {
      if (failure || closing) return false;
      try {
        return await call<boolean>('ping', []);
      } catch {
        return false;
      }
    },
    close() {
      // Queued appends commit first (the worker runs requests in order), then the
      // connection closes and the thread ends.
      closing ??= (async () => {
        if (!failure) await send('close', []).catch(() => {});
        await worker.terminate();
      })();
      return closing;
    },
  };
}

/** DeadlineStore on the worker (sqlite-deadlines.mjs). */
function sqliteDeadlines(call: <T>(op: string, args: unknown[]) => Promise<T>): DeadlineStore {
  return {
    putDeadline: async (id, key, dueAt) => void (await call('putDeadline', [id, key, dueAt])),
    deleteDeadline: async (id, key) => void (await call('deleteDeadline', [id, key])),
    dueDeadlines: (now, limit) => call<StoredDeadline[]>('dueDeadlines', [now, limit]),
    nextDeadlineAt: () => call<number | null>('nextDeadlineAt', []),
    claimDeadline: (id, key, dueAt, leaseUntil) => call<boolean>('claimDeadline', [id, key, dueAt, leaseUntil]),
  };
}

/** MemberStore on the worker (sqlite-members.mjs). */
function sqliteMembers(call: <T>(op: string, args: unknown[]) => Promise<T>): MemberStore {
  return {
    touchMember: async (id, member, at) => void (await call('touchMember', [id, member, at])),
    listMembers: (id, limit) => call<StoredMember[]>('listMembers', [id, limit]),
    removeMember: (id, userId, at) => call<boolean>('removeMember', [id, userId, at]),
    memberRemoved: (id, userId) => call<boolean>('memberRemoved', [id, userId]),
  };
}

/** HistoryStore on the worker (sqlite-history.mjs). */
function sqliteHistory(call: <T>(op: string, args: unknown[]) => Promise<T>): HistoryStore {
  return {
    appendHistory: async (id, batch) => void (await call('appendHistory', [id, batch])),
    putHistoryBase: (id, at, state) => call<boolean>('putHistoryBase', [id, at, state]),
    historyEvents: (id, q) => call<StoredHistoryEvent[]>('historyEvents', [id, q]),
    historyUpdatesUntil: (id, at) => call<{ baseAt: number; updates: Uint8Array[] } | null>('historyUpdatesUntil', [id, at]),
    noteLatestMove: (id, userId, note, notBefore) =>
      call<StoredHistoryEvent | null>('noteLatestMove', [id, userId, note, notBefore]),
  };
}

/** Opens the storage and waits until the database is open, so a bad path fails at startup. */
export async function createSqliteStorage(file: string, opts?: SqliteStorageOptions): Promise<StorageAdapter> {
  const storage = openSqliteStorage(file, opts);
  if (!(await storage.healthy())) {
    // Surface the worker's own error (for example "unable to open database file").
    const err = await storage.getBoard('' as BoardId).then(
      () => new Error(`SQLite storage at ${file} is not healthy`),
      (e: unknown) => e,
    );
    await storage.close();
    throw err;
  }
  return storage;
}
