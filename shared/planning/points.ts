/** An item's points from its agreed estimate: a number ("5", "0.5", "½"), else unestimated (null). */
export function pointsOf(estimate: string | null): number | null {
  if (estimate === null) return null;
  const t = estimate.trim().replace('½', '0.5');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}
