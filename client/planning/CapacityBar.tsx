/**
 * A sprint's load against its capacity: planned points as a bar, the numbers as text, and
 * two warnings that never rely on colour alone: over capacity (warning colour, a "⚠ Over
 * by N" label) and unestimated items (counted, not summed).
 */
import { formatPoints } from './chartScale.ts';

export interface CapacityBarProps {
  /** Sum of the estimates of the sprint's estimated items. */
  planned: number;
  /** Capacity in points; null when nobody has entered it yet. */
  capacity: number | null;
  /** Items in the sprint without a numeric estimate. */
  unestimated: number;
  items: number;
}

export function CapacityBar({ planned, capacity, unestimated, items }: CapacityBarProps) {
  const over = capacity !== null && planned > capacity;
  const fill = capacity ? Math.min(100, (planned / capacity) * 100) : 0;
  const state = capacity === null ? 'unknown' : over ? 'over' : planned === capacity ? 'full' : 'under';
  return (
    <div className={`plan-capacity is-${state}`} data-testid="capacity-bar" data-planned={planned} data-capacity={capacity ?? ''} data-unestimated={unestimated} data-state={state}>
      <div className="plan-capacity-text">
        <span data-testid="capacity-text">
          <strong>{formatPoints(planned)}</strong>
          {capacity === null ? ' pts planned · no capacity set' : ` of ${formatPoints(capacity)} pts`}
        </span>
        <span className="muted">
          {items} {items === 1 ? 'item' : 'items'}
        </span>
      </div>
      <div className="plan-capacity-track" aria-hidden="true">
        <div className="plan-capacity-fill" style={{ width: `${fill}%` }} />
      </div>
      {(over || unestimated > 0) && (
        <p className="plan-capacity-warnings">
          {over && capacity !== null && (
            <span className="plan-warn plan-warn-over" data-testid="over-capacity">
              <span aria-hidden="true">⚠</span>Over capacity by {formatPoints(planned - capacity)} pts
            </span>
          )}
          {unestimated > 0 && (
            <span className="plan-warn plan-warn-unestimated" data-testid="unestimated">
              <span aria-hidden="true">?</span>
              {unestimated} not estimated
            </span>
          )}
        </p>
      )}
    </div>
  );
}
