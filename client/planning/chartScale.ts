/**
 * Small helpers for the hand-written SVG charts: a rounded axis maximum with evenly spaced
 * ticks, and number formatting for labels and tables. Pure, so the charts stay markup.
 */

/** An axis from 0 to a "nice" maximum ≥ `max` (1, 2, 2.5 or 5 × 10^n steps), about `count` ticks. */
export function niceTicks(max: number, count = 4): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1000) / 1000);
  return ticks;
}

/** Points for labels: whole numbers plain, others to one decimal. */
export const formatPoints = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

// Days are stored as their UTC midnight (sprintForm.ts): format in UTC so no time zone shifts them.
const DAY_FORMAT = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
/** A short day label ("3 Dec") in the reader's locale. */
export const formatDay = (ms: number): string => DAY_FORMAT.format(new Date(ms));
