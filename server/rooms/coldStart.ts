/**
 * A room's cold start: the time between reading a board's stored state and having built
 * the doc from it, which is long on a big board. Meanwhile the room answers what needs no
 * doc — welcomes, presence, and a fresh joiner's sync step 1 (empty state vector), whose
 * step 2 *is* the stored state — as long as those tasks head the inbox; the first task
 * that needs the doc ends this, and so does the build.
 */
import { encodeSyncStep2Update } from '../../shared/codec.ts';
import type { StoredBoardState } from '../storage/types.ts';
import type { RoomClient } from './client.ts';
import type { Clock } from './clock.ts';
import type { Task } from './inbox.ts';
import { storedUpdate } from './storedState.ts';
import { isEmptyStateVector } from './syncAnswers.ts';

/**
 * Whether a task can run before the doc is built: joins, presence, and a sync step 1 with
 * an empty state vector (answered from the stored bytes). Anything else reads or changes
 * the doc, and so does everything queued behind it. A malformed frame closes its socket
 * on the normal path, after the build.
 */
export function runsWithoutDoc(task: Task): boolean {
  if (task.kind === 'join' || task.kind === 'fanout-awareness') return true;
  if (task.kind !== 'message') return false;
  const { message } = task;
  if (message.type === 'awareness' || message.type === 'query-awareness') return true;
  return message.type === 'sync-step-1' && isEmptyStateVector(message.stateVector);
}

/** How many tasks at the head of `queue` run without the doc (all of them: its length). */
export function leadingWithoutDoc(queue: readonly Task[]): number {
  const n = queue.findIndex((task) => !runsWithoutDoc(task));
  return n === -1 ? queue.length : n;
}

export class ColdStart {
  /** Set once the doc build has begun: no more tasks run before it. */
  building = false;
  /** Welcomed before the doc existed: their sync step 1 and presence go out after the build. */
  readonly welcomed: RoomClient[] = [];
  /** Sync step 2 for an empty state vector, made from the stored bytes on first need. */
  private fullStep2: Uint8Array | null = null;
  /** Joined but no frame received yet; the build waits briefly for their step 1. */
  private readonly silent = new Set<RoomClient>();
  /** Wakes the wait when something it waits on changes. */
  private wake: (() => void) | null = null;

  constructor(
    readonly stored: StoredBoardState,
    private readonly deps: { clock: Clock; firstFrameWaitMs: number },
  ) {}

  /** A socket joined: until it sends something, the build may wait for its step 1. */
  joined(client: RoomClient): void {
    if (!this.building) this.silent.add(client);
  }

  /** A socket left or spoke: the build need not wait for it any more. */
  heard(client: RoomClient): void {
    if (this.silent.delete(client)) this.wake?.();
  }

  /** A task arrived that may end the wait (one that needs the doc). */
  nudge(): void {
    this.wake?.();
  }

  /**
   * Lets sockets waiting on `joinable` attach and hand over their buffered frames, then
   * waits (briefly) for the first frame of any that sent nothing yet, unless a task that
   * needs the doc already blocks the inbox (`blocked`) or the room is gone (`gone`).
   */
  async waitForJoiners(blocked: () => boolean, gone: () => boolean): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const { clock } = this.deps;
    const deadline = clock.now() + this.deps.firstFrameWaitMs;
    while (this.silent.size > 0 && !blocked() && !gone()) {
      const left = deadline - clock.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const cancel = clock.setTimer(resolve, left);
        this.wake = () => {
          cancel();
          resolve();
        };
      });
      this.wake = null;
    }
  }

  /** Sync step 2 for an empty state vector, from the stored bytes. */
  step2(): Uint8Array {
    this.fullStep2 ??= encodeSyncStep2Update(storedUpdate(this.stored));
    return this.fullStep2;
  }

  /** The full step 2 if one was made: the doc built from the same bytes holds exactly it. */
  get madeStep2(): Uint8Array | null {
    return this.fullStep2;
  }
}
