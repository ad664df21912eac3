/**
 * "Follow the facilitator" [REF-12, UX-1, UX-3]: while following, the open detail panel
 * moves to each new focus item — but never under someone's hands. While they have focus
 * in an editable field or unsent text on the item they look at (`isBusy`), the move is
 * held and offered instead ("The team moved on to X — go there"); it happens by itself
 * once they are no longer busy (`retry`, e.g. on leaving the field), or when they go there.
 * A focus that was already set when the page loaded with a shared `?item=` link is only
 * acknowledged: the link wins. A plain class, so the rule is unit-tested without a browser.
 */
export interface FollowDeps {
  /** Opens the detail panel on an item. */
  open: (itemId: string) => void;
  /** True while the person may not be moved (focus in a field, or unsent text). */
  isBusy: () => boolean;
  /** The held move changed (for the "moved on" notice). */
  onChange?: () => void;
}

export class Follower {
  private following = false;
  private focus: string | null = null;
  private shown: string | null = null;
  private pending: string | null = null;

  constructor(private readonly deps: FollowDeps) {}

  get isFollowing(): boolean {
    return this.following;
  }

  /** The focus item this person was not moved to because they were busy, if any. */
  get held(): string | null {
    return this.following ? this.pending : null;
  }

  setFollowing(on: boolean): void {
    if (on === this.following) return;
    this.following = on;
    this.setPending(on && this.focus !== this.shown ? this.focus : null);
    this.retry();
  }

  /** The item the panel shows now (the URL's ?item), whoever opened it. Opening another
   * item by hand is a choice: a held move is dropped, not forced on them later. */
  setShown(itemId: string | null): void {
    if (itemId === this.shown) return;
    this.shown = itemId;
    this.setPending(null);
  }

  /** The facilitator's focus item changed (or was first read). */
  setFocus(itemId: string | null): void {
    if (itemId === this.focus) return;
    this.focus = itemId;
    if (!this.following) return;
    this.setPending(itemId !== this.shown ? itemId : null);
    this.retry();
  }

  /** Records the focus without moving (it was there before a deep link was opened). */
  acknowledge(itemId: string | null): void {
    this.focus = itemId;
    this.setPending(null);
  }

  /** The person may have stopped being busy: make the held move if so. */
  retry(): void {
    if (!this.following || this.pending === null || this.deps.isBusy()) return;
    this.goThere();
  }

  /** Makes the held move now (the person chose to). */
  goThere(): void {
    const target = this.pending;
    if (target === null) return;
    this.shown = target;
    this.setPending(null);
    this.deps.open(target);
  }

  private setPending(itemId: string | null): void {
    if (this.pending === itemId) return;
    this.pending = itemId;
    this.deps.onChange?.();
  }
}
