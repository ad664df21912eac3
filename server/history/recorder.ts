/**
 * A loaded board's history recorder (HIS-1, HIS-4). The room tells it three things: the doc
 * is loaded (it stores the base if the board has none and builds its item views), an update
 * was applied (with its author from the token, AUTH-2, and the time; events are derived
 * now, on the event loop, and held), and a batch is being appended: the held updates and
 * events go into the same storage transaction as the batch (HIS-7), so history has every
 * stored update and nothing of one that was not stored (SRV-2), whenever the process dies.
 */
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import type { AuthUser } from '../extensions.ts';
import type { HistoryEventRecord, HistoryOfBatch, HistoryStore } from '../storage/types.ts';
import { allViews, deriveEvents, type ItemView, touchedItems } from './derive.ts';

/** The server's own changes (poker agreement, estimation) are recorded under this user. */
export const SERVER_AUTHOR = { userId: 'server', name: 'Server', role: 'server' } as const;

/** [HIS-8] A checkpoint is considered after at least this many recorded bytes (or the last checkpoint's size, if larger). */
export const MIN_CHECKPOINT_BYTES = 256 * 1024;
/** Updates younger than this are left for the next checkpoint (appends in flight elsewhere). */
export const CHECKPOINT_SETTLE_MS = 5_000;

interface Held {
  at: number;
  events: HistoryEventRecord[];
}

export class HistoryRecorder {
  private views = new Map<string, ItemView>();
  private readonly held = new Map<Uint8Array, Held>();
  private chain: Promise<void> = Promise.resolve();
  private ready = false;
  private bytesSinceCheckpoint = 0;
  private checkpointEvery = MIN_CHECKPOINT_BYTES;
  private checkpointing = false;
  private nextCheckpointTry = 0;

  constructor(
    private readonly boardId: BoardId,
    private readonly store: HistoryStore,
    private readonly now: () => number,
    private readonly log: (message: string) => void,
  ) {}

  /** The doc holds the stored state: the base, when the board has none yet, is exactly it. */
  loaded(doc: Y.Doc): void {
    this.views = allViews(doc);
    this.ready = true;
    const state = Y.encodeStateAsUpdate(doc);
    this.enqueue(() => this.store.putHistoryBase(this.boardId, this.now(), state).then(() => {}));
  }

  /**
   * An update was applied. `author` null: it came from another instance (which records it);
   * only the views follow it.
   */
  applied(update: Uint8Array, doc: Y.Doc, transaction: Y.Transaction, author: AuthUser | typeof SERVER_AUTHOR | null): void {
    if (!this.ready) return;
    const derived = deriveEvents(doc, touchedItems(doc, transaction), this.views, author === SERVER_AUTHOR);
    if (author === null) return;
    const at = this.now();
    const minute = Math.floor(at / 60_000);
    this.held.set(update, {
      at,
      events: derived.map((e) => ({
        at,
        userId: author.userId,
        userName: author.name,
        userRole: author.role,
        kind: e.kind,
        itemId: e.itemId,
        data: JSON.stringify(e.fields),
        coalesceKey: e.coalesceField ? `${author.userId}|${e.itemId}|${e.coalesceField}|${minute}` : null,
      })),
    });
  }

  /**
   * These updates are about to be appended: hands over what was held for them, to be stored
   * in the same transaction (HIS-7), and forgets the rest, which no append will carry (an
   * apply that was rolled back, SRV-11). Null when none of them is recorded.
   */
  take(updates: readonly Uint8Array[]): HistoryOfBatch | null {
    const ats: (number | null)[] = [];
    const events: HistoryEventRecord[] = [];
    let any = false;
    for (const u of updates) {
      const held = this.held.get(u);
      ats.push(held ? held.at : null);
      if (!held) continue;
      any = true;
      for (const e of held.events) events.push(e);
    }
    this.held.clear();
    if (!any) return null;
    this.considerCheckpoint(updates, ats);
    return { ats, events };
  }

  /**
   * [HIS-8] Once about a board's worth of updates were recorded since the last checkpoint,
   * asks the store for a new one, so "as of" replays at most about twice the board's size
   * however long its history. Only updates older than CHECKPOINT_SETTLE_MS are folded, so
   * an append still in flight on another instance is never skipped.
   */
  private considerCheckpoint(updates: readonly Uint8Array[], ats: readonly (number | null)[]): void {
    for (let i = 0; i < updates.length; i++) if (ats[i] !== null) this.bytesSinceCheckpoint += updates[i]!.byteLength;
    const now = this.now();
    if (this.bytesSinceCheckpoint < this.checkpointEvery || this.checkpointing || now < this.nextCheckpointTry) return;
    this.checkpointing = true;
    const due = this.checkpointEvery;
    // On the chain, so after the appends before it; what is younger waits for the next one.
    this.enqueue(async () => {
      try {
        const made = await this.store.checkpointHistory(this.boardId, now - CHECKPOINT_SETTLE_MS, due);
        if (made === null) {
          // Mostly too recent to fold yet: try again once it has settled.
          this.nextCheckpointTry = now + CHECKPOINT_SETTLE_MS;
        } else {
          this.bytesSinceCheckpoint = 0;
          this.checkpointEvery = Math.max(MIN_CHECKPOINT_BYTES, made);
        }
      } finally {
        this.checkpointing = false;
      }
    });
  }

  /** Resolves once everything stored so far is in the history store. */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(fn: () => Promise<void>): void {
    this.chain = this.chain.then(fn).catch((err: unknown) => this.log(`history append failed: ${String(err)}`));
  }
}
