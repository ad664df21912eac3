/**
 * Answering a sync step 1 from the built doc. A fresh joiner (empty state vector) needs
 * the whole doc, and encoding a 5,000-item board takes tens of milliseconds, so the whole
 * doc is encoded once and kept; the updates applied after it are kept beside it and sent
 * after it, as update frames in the same write, until they outgrow the encoding. Then it
 * is encoded again: when the next joiner asks, or, for a large board, as soon as the
 * board has been quiet for a moment, so the first joiner after a big change (an import,
 * a seed) does not pay for it either.
 *
 * Nothing here decides what may leave: the room sends an answer only after its group
 * commit has stored everything staged [SRV-2], and everything in the answer was applied
 * to the doc before that.
 */
import type * as Y from 'yjs';
import { encodeSyncStep2, encodeSyncUpdate } from '../../shared/codec.ts';
import type { Clock } from './clock.ts';

/** A v1 state vector with no clients: what a fresh y-websocket client sends in step 1. */
export function isEmptyStateVector(sv: Uint8Array): boolean {
  return sv.length === 1 && sv[0] === 0;
}

export interface SyncAnswersOptions {
  clock: Clock;
  /** At or above this many bytes, a dropped whole-doc encoding is made again once the board is quiet. */
  eagerBytes?: number;
  /** How long the board must go without an update before that happens. */
  quietMs?: number;
  /** At most this many updates are sent after the encoding (each is a frame of its own). */
  maxTrailing?: number;
}

const DEFAULTS = { eagerBytes: 64 * 1024, quietMs: 300, maxTrailing: 256 } as const;

export class SyncAnswers {
  /** Sync step 2 of the whole doc as it was at some moment, or null when none is kept. */
  private full: Uint8Array | null = null;
  /** Update frames of everything applied to the doc since `full` was made, in order. */
  private trailing: Uint8Array[] = [];
  private trailingBytes = 0;
  /** About how large the whole-doc encoding is: the last one's size plus every update since. */
  private sizeEstimate = 0;
  private cancelEager: (() => void) | null = null;
  private readonly opts: Required<SyncAnswersOptions>;

  constructor(
    private readonly doc: Y.Doc,
    opts: SyncAnswersOptions,
  ) {
    this.opts = { ...DEFAULTS, ...opts };
  }

  /** Whether a whole-doc encoding is kept (a fresh joiner's answer costs no encoding). */
  get ready(): boolean {
    return this.full !== null;
  }

  /** The doc applied `update`: keep it after the encoding, or drop the encoding when it has outgrown it. */
  applied(update: Uint8Array): void {
    this.sizeEstimate += update.length;
    if (this.full) {
      const bytes = this.trailingBytes + update.length;
      if (bytes <= this.full.length && this.trailing.length < this.opts.maxTrailing) {
        this.trailing.push(encodeSyncUpdate(update));
        this.trailingBytes = bytes;
        return;
      }
      this.drop();
    }
    // Still changing: (re)start the wait for quiet.
    if (this.sizeEstimate >= this.opts.eagerBytes) this.scheduleEager();
  }

  /** The doc is no longer what was applied to it (a failed apply): keep nothing made from it. */
  invalidate(): void {
    this.drop();
    this.stopEager();
  }

  /** Takes a whole-doc step 2 made elsewhere (from the stored bytes the doc was just built from). */
  adopt(fullStep2: Uint8Array | null): void {
    this.full = fullStep2;
    this.trailing = [];
    this.trailingBytes = 0;
    if (fullStep2) this.sizeEstimate = fullStep2.length;
  }

  /** The frames that answer `stateVector`, in order. Throws on a state vector that does not decode. */
  answer(stateVector: Uint8Array): Uint8Array[] {
    if (!isEmptyStateVector(stateVector)) return [encodeSyncStep2(this.doc, stateVector)];
    if (!this.full) this.encode();
    return [this.full!, ...this.trailing];
  }

  /** Stops the timer (the room is gone). */
  dispose(): void {
    this.stopEager();
  }

  private encode(): void {
    this.stopEager();
    this.adopt(encodeSyncStep2(this.doc, new Uint8Array([0])));
  }

  private drop(): void {
    this.full = null;
    this.trailing = [];
    this.trailingBytes = 0;
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
