/**
 * Forecast (SPR-7), pure: at a velocity, which future sprint each backlog item lands in,
 * filling sprints in backlog order. An item that does not fit what is left of a sprint
 * opens the next one; an item larger than the velocity takes a sprint of its own.
 * Unestimated items count 0 points and ride along with the sprint before them (the UI flags them).
 */
export interface ForecastItem {
  id: string;
  points: number | null;
}

/** item id → sprint offset (0 = the next sprint); empty when velocity is not positive. */
export function forecast(items: readonly ForecastItem[], velocity: number | null): Map<string, number> {
  const out = new Map<string, number>();
  if (velocity === null || !(velocity > 0)) return out;
  let sprint = 0;
  let used = 0;
  for (const item of items) {
    const p = item.points ?? 0;
    if (used > 0 && p > 0 && used + p > velocity) {
      sprint++;
      used = 0;
    }
    out.set(item.id, sprint);
    used += p;
  }
  return out;
}

/**
 * The "what fits" boundary: how many items from the top of `items` fit into `capacity`
 * points (the line is drawn after that many). Stops at the first item that does not fit.
 */
export function whatFits(items: readonly ForecastItem[], capacity: number | null): number {
  if (capacity === null) return 0;
  let used = 0;
  let n = 0;
  for (const item of items) {
    used += item.points ?? 0;
    if (used > capacity) break;
    n++;
  }
  return n;
}
