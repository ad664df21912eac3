/**
 * Answering a sync step 1 from the built doc. A fresh joiner (empty state vector) needs
 * the whole doc: its step 2 is encoded once per doc version, not once per joiner, and a
 * step 2 is always the whole board (a y-websocket client treats what comes after it as
 * live changes, e.g. a facilitator's focus to follow).
 *
 * Encoding a 5,000-item board takes tens of milliseconds. After a large change (an
 * import, a bulk edit: at least an eighth of the board's size since the last encoding),
 * a large board is encoded again as soon as it has been quiet for a moment, so the first
 * joiner after it does not pay for it. Small edits only drop the encoding: re-encoding
 * after each of them would cost a busy board more than its joiners do.
 *
 * Nothing here decides what may leave: the room sends an answer only after its group
 * commit has stored everything staged [SRV-2], and everything in the answer was applied
 * to the doc before that.
 */
import type * as Y from 'yjs';
import { encodeSyncStep2 } from '../../shared/codec.ts';
import type { Clock } from './clock.ts';

/** A v1 state vector with no clients: what a fresh y-websocket client sends in step 1. */
export function isEmptyStateVector(sv: Uint8Array): boolean {
  return sv.length === 1 && sv[0] === 0;
}

export interface SyncAnswersOptions {
  clock: Clock;
  /** Boards at least this large (encoded bytes) are encoded again after a large change. */
  eagerBytes?: number;
  /** How long the board must go without an update before that happens. */
  quietMs?: number;
}

const DEFAULTS = { eagerBytes: 64 * 1024, quietMs: 300 } as const;
/** A change of at least this share of the board's size counts as large. */
const LARGE_CHANGE = 1 / 8;

export class SyncAnswers {
  /** Sync step 2 of the whole doc as it is now, or null when it changed since. */
  private full: Uint8Array | null = null;
  /** About how large the whole-doc encoding is: the last one's size plus every update since. */
  private sizeEstimate = 0;
  /** Bytes of the updates applied since the last encoding. */
  private changedBytes = 0;
  private cancelEager: (() => void) | null = null;
  private readonly opts: Required<SyncAnswersOptions>;

  constructor(
    private readonly doc: Y.Doc,
    opts: SyncAnswersOptions,
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Whether the whole-doc step 2 is ready (a fresh joiner's answer costs no encoding). */
  get ready(): boolean {
    return this.full !== null;
  }

  /** The doc applied `update`: the encoding is stale; after a large change, make it again once quiet. */
  applied(update: Uint8Array): void {
    this.full = null;
    this.sizeEstimate += update.length;
    this.changedBytes += update.length;
    if (this.sizeEstimate >= this.opts.eagerBytes && this.changedBytes >= this.sizeEstimate * LARGE_CHANGE) this.scheduleEager();
    else if (this.cancelEager) this.scheduleEager(); // a large change still going on: wait for quiet again
  }

  /** The doc is no longer what was applied to it (a failed apply): keep nothing made from it. */
  invalidate(): void {
    this.full = null;
    this.stopEager();
  }

  /** Takes a whole-doc step 2 made elsewhere (from the stored bytes the doc was just built from). */
  adopt(fullStep2: Uint8Array | null): void {
    this.full = fullStep2;
    if (fullStep2) {
      this.sizeEstimate = fullStep2.length;
      this.changedBytes = 0;
    }
  }

  /** Sync step 2 frame for `stateVector`. Throws on a state vector that does not decode. */
  answer(stateVector: Uint8Array): Uint8Array {
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector);
    if (!this.full) this.encode();
    return this.full!;
  }

  /** Stops the timer (the room is gone). */
  dispose(): void {
    this.stopEager();
  }

  private encode(): void {
    this.stopEager();
    this.adopt(encodeSyncStep2(this.doc, new Uint8Array([0])));
  }

  private scheduleEager(): void {
    this.cancelEager?.();
    this.cancelEager = this.opts.clock.setTimer(() => {
      this.cancelEager = null;
      if (!this.full) this.encode();
    }, this.opts.quietMs);
  }

  private stopEager(): void {
    this.cancelEager?.();
    this.cancelEager = null;
  }
}
