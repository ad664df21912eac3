/**
 * The group commit: accepted updates are staged (applied to the doc, but not yet seen by
 * anyone), appended to storage together in one transaction at the end of a batch, and
 * only then handed on to be relayed [SRV-2]. Flushes never overlap, so when one resolves,
 * everything staged before it was called is stored.
 */
import type { RoomClient } from './client.ts';
import type { Staged } from './relay.ts';

interface Waiter {
  resolve(): void;
  reject(err: unknown): void;
}

export interface GroupCommitDeps {
  /** Appends the updates durably, in order, in one transaction. */
  append(updates: Uint8Array[]): Promise<unknown>;
  /** A batch is stored: relay it, count it. */
  stored(batch: readonly Staged[]): void;
  /** Storage refused the batch: nothing of it may leave. */
  failed(err: unknown): void;
}

export class GroupCommit {
  private staged: Staged[] = [];
  /** Server changes waiting for the commit that stores them. */
  private waiting: Waiter[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Approximate stored size in bytes (snapshot + appended updates), for maxBoardBytes. */
  storedBytes = 0;

  constructor(private readonly deps: GroupCommitDeps) {}

  stage(update: Uint8Array, from: RoomClient | null): void {
    this.staged.push({ update, from, at: performance.now() });
  }

  /** How many updates are staged; with `truncate`, undoes what an apply staged. */
  get stagedCount(): number {
    return this.staged.length;
  }

  truncate(count: number): void {
    this.staged.length = count;
  }

  /** Bytes staged and not yet stored. */
  get stagedBytes(): number {
    return this.staged.reduce((n, s) => n + s.update.length, 0);
  }

  /** Settles `waiter` once the next commit has stored what is staged now. */
  whenStored(waiter: Waiter): void {
    this.waiting.push(waiter);
  }

  /** Rejects every waiter (the room is gone). */
  abandon(err: unknown): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.reject(err);
  }

  /** Appends everything staged in one transaction, then hands it on. */
  flush(): Promise<void> {
    const next = this.chain.then(() => this.flushOnce());
    this.chain = next.catch(() => {});
    return next;
  }

  private async flushOnce(): Promise<void> {
    const batch = this.staged;
    const waiting = this.waiting;
    this.staged = [];
    this.waiting = [];
    if (batch.length === 0) {
      for (const w of waiting) w.resolve();
      return;
    }
    try {
      await this.deps.append(batch.map((s) => s.update));
    } catch (err) {
      for (const w of waiting) w.reject(err);
      this.deps.failed(err);
      return;
    }
    for (const s of batch) this.storedBytes += s.update.length;
    this.deps.stored(batch);
    for (const w of waiting) w.resolve();
  }
}
