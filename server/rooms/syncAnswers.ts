/**
 * Answering a sync step 1 from the built doc. A fresh joiner (empty state vector) needs
 * the whole doc: its step 2 is encoded once per doc version, not once per joiner, and a
 * step 2 is always the whole board (a y-websocket client treats what comes after it as
 * live changes, e.g. a facilitator's focus to follow).
 *
 * Encoding a 5,000-item board takes tens of milliseconds, a 10,000-item import's board
 * ~100 ms. After a large change (an import, a bulk edit: at least an eighth of the
 * board's size since the last encoding), a large board is made ready again as soon as it
 * has been quiet for a moment, so the first joiner after it does not pay for it. Given a
 * merge off the event loop (the room's UpdateMerger), that is the last whole-board update
 * merged with the updates applied since, on the merge thread (the same state: what a cold
 * load sends, too), so no other board waits for it; without one, the doc is encoded here.
 * Small edits only drop the encoding: re-encoding after each of them would cost a busy
 * board more than its joiners do.
 *
 * Nothing here decides what may leave: the room sends an answer only after its group
 * commit has stored everything staged [SRV-2], and everything in the answer was applied
 * to the doc before that.
 */
import type * as Y from 'yjs';
import { decodeServerFrame, encodeSyncStep2, encodeSyncStep2Update } from '../../shared/codec.ts';
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
  /** Merges updates into one off the event loop (UpdateMerger.merge); without it the doc is encoded here. */
  merge?: (parts: readonly Uint8Array[]) => Promise<Uint8Array>;
}

const DEFAULTS = { eagerBytes: 64 * 1024, quietMs: 300 } as const;
/**
 * The updates since the last whole-board update are kept for a merge only while they are
 * at most this many times its size (and this many updates): past that, encoding the doc
 * is cheaper than keeping them.
 */
const KEEP_SINCE_FACTOR = 2;
const KEEP_SINCE_COUNT = 20_000;
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
  /**
   * Updates that merge into the whole doc at some version (the payload of the last step 2,
   * or the stored snapshot and updates the doc was loaded from), and every update applied since.
   */
  private base: readonly Uint8Array[] | null = null;
  private baseBytes = 0;
  private since: Uint8Array[] = [];
  private sinceBytes = 0;
  /** Of those, the bytes of server-change steps (they raise the cap: see applied). */
  private stepBytes = 0;
  /** Bumped by every update and by invalidate(): a merge's result is the whole doc only if unchanged. */
  private version = 0;
  /** Bumped by invalidate() and dispose(): a merge started before answers nothing. */
  private epoch = 0;
  private merging = false;
  private readonly opts: Required<Omit<SyncAnswersOptions, 'merge'>> & Pick<SyncAnswersOptions, 'merge'>;

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

  /**
   * The doc applied `update`: the encoding is stale; after a large change, make it again once
   * quiet. `step`: a step of a server change (an import), kept for the merge however large,
   * as the room holds its steps anyway until they are stored.
   */
  applied(update: Uint8Array, step = false): void {
    this.full = null;
    this.version++;
    if (this.base) this.keepSince(update, step);
    this.sizeEstimate += update.length;
    this.changedBytes += update.length;
    if (this.sizeEstimate >= this.opts.eagerBytes && this.changedBytes >= this.sizeEstimate * LARGE_CHANGE) this.scheduleEager();
    else if (this.cancelEager) this.scheduleEager(); // a large change still going on: wait for quiet again
  }

  /** The doc is no longer what was applied to it (a failed apply): keep nothing made from it. */
  invalidate(): void {
    this.full = null;
    this.version++;
    this.epoch++;
    this.dropBase();
    this.stopEager();
  }

  /** Takes a whole-doc step 2 made elsewhere (from the stored bytes the doc was just built from). */
  adopt(fullStep2: Uint8Array | null): void {
    this.full = fullStep2;
    if (fullStep2) {
      this.sizeEstimate = fullStep2.length;
      this.changedBytes = 0;
      const m = decodeServerFrame(fullStep2);
      this.rebase(m.type === 'sync-step-2' ? [m.update] : null);
    }
  }

  /** The doc was just built from these stored updates (no step 2 was made from them): they are the base of the next merge. */
  adoptStored(parts: readonly Uint8Array[]): void {
    if (this.full) return;
    this.rebase(parts);
    this.sizeEstimate = this.baseBytes;
    this.changedBytes = 0;
  }

  private rebase(parts: readonly Uint8Array[] | null): void {
    this.base = parts;
    this.baseBytes = parts ? parts.reduce((n, p) => n + p.length, 0) : 0;
    this.since = [];
    this.sinceBytes = 0;
    this.stepBytes = 0;
  }

  /** Sync step 2 frame for `stateVector`. Throws on a state vector that does not decode. */
  answer(stateVector: Uint8Array): Uint8Array {
    if (!isEmptyStateVector(stateVector)) return encodeSyncStep2(this.doc, stateVector);
    if (!this.full) this.encode();
    return this.full!;
  }

  /** Stops the timer (the room is gone). */
  dispose(): void {
    this.epoch++;
    this.dropBase();
    this.stopEager();
  }

  private encode(): void {
    this.stopEager();
    this.adopt(encodeSyncStep2(this.doc, new Uint8Array([0])));
  }

  private keepSince(update: Uint8Array, step: boolean): void {
    this.since.push(update);
    this.sinceBytes += update.length;
    if (step) this.stepBytes += update.length;
    const allowed = (this.baseBytes + this.stepBytes) * KEEP_SINCE_FACTOR + this.opts.eagerBytes;
    if (this.sinceBytes > allowed || this.since.length > KEEP_SINCE_COUNT) this.dropBase();
  }

  private dropBase(): void {
    this.rebase(null);
  }

  private scheduleEager(): void {
    this.cancelEager?.();
    this.cancelEager = this.opts.clock.setTimer(() => {
      this.cancelEager = null;
      if (this.full || this.merging) return;
      if (this.base && this.opts.merge) this.mergeOffThread(this.opts.merge, this.base);
      else this.encode();
    }, this.opts.quietMs);
  }

  /**
   * The whole doc as the base (last whole-board update, or the stored parts) merged with
   * the updates since, on the merge thread. Updates applied meanwhile stay in `since` on top of the result; only if
   * there were none is the result this version's answer.
   */
  private mergeOffThread(merge: (parts: readonly Uint8Array[]) => Promise<Uint8Array>, base: readonly Uint8Array[]): void {
    const { version, epoch } = this;
    const taken = this.since.length;
    this.merging = true;
    merge([...base, ...this.since]).then(
      (whole) => {
        this.merging = false;
        if (epoch !== this.epoch || this.base !== base) return; // invalidated, or re-based by an encoding meanwhile
        const after = this.since.slice(taken);
        this.rebase([whole]);
        for (const u of after) this.keepSince(u, false);
        if (version === this.version) {
          this.full = encodeSyncStep2Update(whole);
          this.sizeEstimate = this.full.length;
          this.changedBytes = 0;
        } else {
          this.sizeEstimate = whole.length + this.sinceBytes;
          this.changedBytes = this.sinceBytes;
          if (!this.cancelEager && this.changedBytes >= this.sizeEstimate * LARGE_CHANGE) this.scheduleEager();
        }
      },
      () => {
        this.merging = false; // the next joiner encodes it here
      },
    );
  }

  private stopEager(): void {
    this.cancelEager?.();
    this.cancelEager = null;
  }
}
