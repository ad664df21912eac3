/**
 * When a room folds its board's update log into the snapshot. Compaction re-merges the
 * whole snapshot, so it waits for a quiet moment: once the log passes the threshold, it
 * runs after a quiet period without new appends, or at once when the log reaches a
 * multiple of the threshold. A burst then costs one or two compactions instead of one per
 * threshold's worth of updates, each stealing the core from relaying. Timings and clock
 * are injected (RoomTimings, Clock), so tests advance time instead of sleeping.
 */
import type { Clock, RoomTimings } from './clock.ts';

export interface CompactionDeps {
  timings: Pick<RoomTimings, 'compactionThreshold' | 'compactQuietMs' | 'compactNowFactor'>;
  clock: Clock;
  /** Folds the stored log once; resolves with how many updates it folded. */
  fold: () => Promise<number>;
  /** Whether a compaction whose quiet period ended may still start (the room is live). */
  live: () => boolean;
  log: (message: string) => void;
}

export class CompactionScheduler {
  /** Updates appended since the last snapshot (by this instance, or found at load). */
  private pending = 0;
  private lastAppendAt = 0;
  private cancelTimer: (() => void) | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: CompactionDeps) {}

  /** Updates in the log after the snapshot, as far as this instance knows. */
  get pendingCount(): number {
    return this.pending;
  }

  /** The compaction under way, if any. */
  get inProgress(): Promise<void> | null {
    return this.running;
  }

  /** The stored board was read with `count` updates after its snapshot. */
  loaded(count: number): void {
    this.pending = count;
  }

  /** `count` updates were just appended: compact now, after the quiet period, or not yet. */
  appended(count: number): void {
    this.pending += count;
    const { compactionThreshold: threshold, compactQuietMs: quietMs, compactNowFactor } = this.deps.timings;
    if (this.pending < threshold) return;
    if (this.pending >= threshold * compactNowFactor) {
      void this.compact();
      return;
    }
    // One timer per quiet period, not one per update: it re-arms itself for what is left
    // of the quiet period if updates kept coming.
    const { clock } = this.deps;
    this.lastAppendAt = clock.now();
    if (this.cancelTimer) return;
    const wait = (ms: number) => {
      this.cancelTimer = clock.setTimer(() => {
        const left = this.lastAppendAt + quietMs - clock.now();
        if (left > 0) return wait(left);
        this.cancelTimer = null;
        if (this.deps.live() && this.pending >= threshold) void this.compact();
      }, ms);
    };
    wait(quietMs);
  }

  /** Folds the update log into a snapshot; at most one at a time. */
  compact(): Promise<void> {
    this.running ??= (async () => {
      try {
        const folded = await this.deps.fold();
        this.pending = Math.max(0, this.pending - folded);
      } catch (err) {
        this.deps.log(`compaction failed: ${String(err)}`);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  /** No more timers (the room is gone). */
  stop(): void {
    this.cancelTimer?.();
    this.cancelTimer = null;
  }
}
