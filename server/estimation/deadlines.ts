/**
 * Fires stored deadlines (DeadlineStore) on time, whether or not their board is loaded and
 * across restarts (EST-14): at start it handles everything already due, then sleeps until
 * the next stored deadline, but never longer than `pollMs`, so deadlines another instance
 * stored are found too. Each due deadline is claimed first (a lease), so of several
 * instances exactly one handles it; a handler that dies leaves it due again after the lease.
 */
import type { Clock } from '../rooms/clock.ts';
import type { DeadlineStore, StoredDeadline } from '../storage/types.ts';

export interface DeadlineSchedulerDeps {
  store: DeadlineStore;
  clock: Clock;
  /** Handles a due deadline; expected to delete (or move) it. */
  handle(deadline: StoredDeadline): Promise<void>;
  log(message: string): void;
  /** Longest sleep between looks at the store. */
  pollMs?: number;
  /** How long a claimed deadline stays taken before it falls due again. */
  leaseMs?: number;
}

const BATCH = 50;

export class DeadlineScheduler {
  private cancelTimer: (() => void) | null = null;
  private wakeAt = Number.POSITIVE_INFINITY;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly deps: DeadlineSchedulerDeps) {}

  /** Handles what is already due (a restart), then keeps watching. */
  start(): Promise<void> {
    return this.tick();
  }

  /** A deadline was just stored: wake by then if that is earlier than planned. */
  scheduled(dueAt: number): void {
    if (!this.stopped && dueAt < this.wakeAt) this.sleepUntil(dueAt);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
    await this.running?.catch(() => {});
  }

  private tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.fireDue();
      } while (this.again && !this.stopped);
      if (!this.stopped) await this.planNext();
    })()
      .catch((err: unknown) => {
        this.deps.log(`deadlines: ${String(err)}`);
        if (!this.stopped) this.sleepUntil(this.deps.clock.now() + (this.deps.pollMs ?? 60_000));
      })
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async fireDue(): Promise<void> {
    for (;;) {
      const now = this.deps.clock.now();
      const due = await this.deps.store.dueDeadlines(now, BATCH);
      for (const d of due) {
        if (this.stopped) return;
        const lease = now + (this.deps.leaseMs ?? 60_000);
        if (!(await this.deps.store.claimDeadline(d.boardId, d.key, d.dueAt, lease))) continue;
        try {
          await this.deps.handle(d);
        } catch (err) {
          this.deps.log(`deadline ${d.key} of board ${d.boardId} failed (retried after the lease): ${String(err)}`);
        }
      }
      if (due.length < BATCH) return;
    }
  }

  private async planNext(): Promise<void> {
    const next = await this.deps.store.nextDeadlineAt();
    const poll = this.deps.clock.now() + (this.deps.pollMs ?? 60_000);
    this.sleepUntil(next === null ? poll : Math.min(next, poll));
  }

  private sleepUntil(at: number): void {
    this.cancelTimer?.();
    this.wakeAt = at;
    this.cancelTimer = this.deps.clock.setTimer(
      () => {
        this.cancelTimer = null;
        this.wakeAt = Number.POSITIVE_INFINITY;
        void this.tick();
      },
      Math.max(0, at - this.deps.clock.now()),
    );
  }
}
