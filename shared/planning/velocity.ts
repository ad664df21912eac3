/** Velocity (SPR-7), pure: committed vs completed per closed sprint, the last three's average. */
export interface ClosedSprintFigures {
  id: string;
  name: string;
  endsAt: number | null;
  committed: number;
  completed: number;
}

/** The average completed points of the last `n` (default 3) closed sprints, in the order given; null with none. */
export function averageVelocity(closed: readonly ClosedSprintFigures[], n = 3): number | null {
  const last = closed.slice(-n);
  if (last.length === 0) return null;
  return last.reduce((s, c) => s + c.completed, 0) / last.length;
}
