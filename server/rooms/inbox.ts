/**
 * A room's serial task queue. Messages from all sockets (and server changes, and fan-out
 * from other instances) go through one inbox and are handled in order, one batch at a
 * time: the tasks queued when a batch starts run one after another, then the batch ends
 * (the room's group commit), then the next batch takes what arrived meanwhile.
 */
import type * as Y from 'yjs';
import type { IncomingMessage } from '../../shared/codec.ts';
import type { RoomClient } from './client.ts';

export type Task =
  /** A decoded frame from one of the room's sockets. */
  | { kind: 'message'; client: RoomClient; message: IncomingMessage }
  /** A frame from one of the room's sockets that did not decode; closes it in turn. */
  | { kind: 'malformed'; client: RoomClient; reason: string }
  | { kind: 'join'; client: RoomClient }
  | { kind: 'change'; fn: (doc: Y.Doc) => void; done: { resolve(): void; reject(err: unknown): void } }
  /** A server change in several transactions, stored and relayed as one update (Room.changeInSteps). */
  | { kind: 'steps'; steps: (doc: Y.Doc) => Iterable<(doc: Y.Doc) => void>; done: { resolve(): void; reject(err: unknown): void } }
  | { kind: 'fanout-update'; payload: Uint8Array }
  | { kind: 'fanout-awareness'; payload: Uint8Array }
  | { kind: 'resync' };

export interface InboxHooks {
  /** How many tasks from the head of `queue` may run now (0 holds them all). */
  runnable(queue: readonly Task[]): number;
  run(task: Task): Promise<void>;
  /** Ends a batch; false stops draining (what is left waits for the next kick). */
  endBatch(): Promise<boolean>;
  /** A batch failed past its own error handling. */
  onError(err: unknown): void;
}

export class Inbox {
  private queue: Task[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly hooks: InboxHooks) {}

  get size(): number {
    return this.queue.length;
  }

  /** The next task to run, if any. */
  get head(): Task | undefined {
    return this.queue[0];
  }

  /** The drain under way, if any. */
  get busy(): Promise<void> | null {
    return this.running;
  }

  /** Queues `task`; it runs once `kick` finds it runnable. */
  push(task: Task): void {
    if (!this.stopped) this.queue.push(task);
  }

  /** Starts draining if nothing drains yet and something may run. */
  kick(): void {
    if (this.running || this.stopped || this.queue.length === 0) return;
    if (this.hooks.runnable(this.queue) === 0) return;
    this.running = this.drain()
      .catch((err: unknown) => this.hooks.onError(err))
      .finally(() => {
        this.running = null;
        // Tasks that arrived while the last batch ended.
        this.kick();
      });
  }

  /** Takes no more tasks; returns the ones that will never run. */
  stop(): Task[] {
    this.stopped = true;
    const left = this.queue;
    this.queue = [];
    return left;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.stopped) {
      const n = this.hooks.runnable(this.queue);
      if (n === 0) return;
      const batch = this.queue.slice(0, n);
      this.queue = this.queue.slice(n);
      for (const task of batch) await this.hooks.run(task);
      if (!(await this.hooks.endBatch())) return;
    }
  }
}
