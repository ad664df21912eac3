/**
 * Burndown and burn-up of a sprint (SPR-10), pure: one point per day from start to end
 * (or `now`), remaining = scope − points done by the end of that day. An item's done time
 * is its `doneAt` (set when it becomes done, board.ts setItemStatus). An item that is done
 * but has no `doneAt` (marked done before the field existed, or imported so) counts as done
 * from the sprint's first day: done, at a time nobody recorded (docs/format.md).
 */
const DAY_MS = 86_400_000;

export interface BurnItem {
  points: number | null;
  doneAt: number | null;
  /** Is it done now? Absent: done when `doneAt` is set. An item no longer done never counts. */
  done?: boolean;
}

/** When an item counts as done in a sprint starting at `startsAt`; null = not done. */
export function doneTime(item: BurnItem, startsAt: number): number | null {
  const isDone = item.done ?? item.doneAt !== null;
  if (!isDone) return null;
  return item.doneAt ?? startsAt;
}

export interface BurnPoint {
  day: number;
  /** Points not yet done at the end of that day. */
  remaining: number;
  /** Points done by the end of that day. */
  done: number;
  /** Total points in the sprint (the burn-up's scope line). */
  scope: number;
  /** The ideal remaining line, from scope to 0. */
  ideal: number;
}

export function burnSeries(startsAt: number, endsAt: number, items: readonly BurnItem[], now: number): BurnPoint[] {
  const first = Math.floor(startsAt / DAY_MS);
  const last = Math.max(first, Math.floor(endsAt / DAY_MS));
  const today = Math.floor(now / DAY_MS);
  const scope = items.reduce((s, i) => s + (i.points ?? 0), 0);
  const doneAt = items.map((i) => doneTime(i, first * DAY_MS));
  const out: BurnPoint[] = [];
  const span = Math.max(1, last - first);
  for (let d = first; d <= Math.min(last, Math.max(first, today)); d++) {
    const end = (d + 1) * DAY_MS;
    const done = items.reduce((s, i, n) => {
      const at = doneAt[n];
      return s + (at !== null && at !== undefined && at < end ? (i.points ?? 0) : 0);
    }, 0);
    out.push({ day: d * DAY_MS, remaining: scope - done, done, scope, ideal: Math.round(scope * (1 - (d - first) / span) * 10) / 10 });
  }
  return out;
}
