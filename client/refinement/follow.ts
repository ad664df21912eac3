/**
 * "Follow the facilitator" [REF-12]: while following, the open detail panel moves to the
 * session's focus item, but never under someone's hands: while they type (and until
 * TYPING_QUIET_MS after their last keystroke, or until the field loses focus) the move
 * waits and happens once they stop. A plain class with an injected clock and timer so
 * the rule is unit-tested without a browser.
 */
export const TYPING_QUIET_MS = 2000;

export interface FollowDeps {
  /** Opens the detail panel on an item (or closes it for null). */
  open: (itemId: string | null) => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export class Follower {
  private following = false;
  private focus: string | null = null;
  private shown: string | null = null;
  private lastKeystroke = Number.NEGATIVE_INFINITY;
  private editing = false;
  private timer: unknown = null;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;

  constructor(private readonly deps: FollowDeps) {
    this.now = deps.now ?? Date.now;
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  }

  get isFollowing(): boolean {
    return this.following;
  }

  /** True while a move is held back because the person is typing. */
  get isWaiting(): boolean {
    return this.following && this.focus !== null && this.focus !== this.shown && this.typing();
  }

  setFollowing(on: boolean): void {
    this.following = on;
    if (on) this.sync();
    else this.cancel();
  }

  /** The item the panel shows now (the URL's ?item), whoever opened it. */
  setShown(itemId: string | null): void {
    this.shown = itemId;
  }

  /** The facilitator's focus item changed (or was first read). */
  setFocus(itemId: string | null): void {
    this.focus = itemId;
    this.sync();
  }

  /** The person typed in an editable field. */
  keystroke(): void {
    this.lastKeystroke = this.now();
    this.editing = true;
  }

  /** The person left the field they were typing in: a pending move may happen now. */
  blur(): void {
    this.editing = false;
    this.lastKeystroke = Number.NEGATIVE_INFINITY;
    this.sync();
  }

  destroy(): void {
    this.cancel();
  }

  private typing(): boolean {
    return this.editing && this.now() - this.lastKeystroke < TYPING_QUIET_MS;
  }

  private sync(): void {
    if (!this.following || this.focus === null || this.focus === this.shown) {
      this.cancel();
      return;
    }
    if (this.typing()) {
      this.cancel();
      const wait = TYPING_QUIET_MS - (this.now() - this.lastKeystroke);
      this.timer = this.setTimer(() => {
        this.timer = null;
        this.sync();
      }, Math.max(50, wait));
      return;
    }
    this.cancel();
    this.shown = this.focus;
    this.deps.open(this.focus);
  }

  private cancel(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }
}
