/**
 * Velocity: committed (at sprint start) and completed points per closed sprint, side by
 * side, with the average of the last three completed as a dashed line. Hand-written SVG
 * with role="img", a title and a description, plus the same numbers as a table.
 */
import { useId } from 'react';
import { ChartTable } from './ChartTable.tsx';
import { useChartWidth } from './useChartWidth.ts';
import { formatPoints, niceTicks } from './chartScale.ts';

export interface VelocityBar {
  id: string;
  name: string;
  committed: number;
  completed: number;
}

export interface VelocityChartProps {
  /** Closed sprints, oldest first. */
  sprints: readonly VelocityBar[];
  /** Average completed points of the last three closed sprints; null before the first. */
  average: number | null;
}

const H = 220;
const PAD = { top: 12, right: 12, bottom: 40, left: 36 };
const SHOWN = 8;

export function VelocityChart({ sprints, average }: VelocityChartProps) {
  const titleId = useId();
  const descId = useId();
  const [measure, W] = useChartWidth();
  // A phone has room for fewer bars; the table below lists the same sprints.
  const shown = sprints.slice(W < 440 ? -4 : -SHOWN);
  const max = Math.max(1, average ?? 0, ...shown.flatMap((s) => [s.committed, s.completed]));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const slot = innerW / Math.max(1, shown.length);
  const bar = Math.min(28, slot / 3);

  const summary =
    shown.length === 0
      ? 'No closed sprints yet.'
      : `${shown.map((s) => `${s.name}: committed ${formatPoints(s.committed)}, completed ${formatPoints(s.completed)}`).join('; ')}.${
          average === null ? '' : ` Average of the last three: ${formatPoints(average)} points.`
        }`;

  return (
    <figure className="plan-chart" data-testid="velocity-chart">
      <div ref={measure} className="plan-chart-measure" />
      <figcaption className="plan-chart-head">
        <h3 className="plan-chart-title">Velocity</h3>
        <span className="plan-legend">
          <span className="plan-key plan-key-committed" aria-hidden="true" /> Committed
          <span className="plan-key plan-key-completed" aria-hidden="true" /> Completed
          {average !== null && (
            <>
              <span className="plan-key plan-key-average" aria-hidden="true" /> Average of last 3:{' '}
              <strong data-testid="velocity-average">{formatPoints(average)}</strong>
            </>
          )}
        </span>
      </figcaption>
      {shown.length === 0 ? (
        <p className="muted small plan-chart-empty">Close a sprint to see the team’s velocity here.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} className="plan-chart-svg" role="img" aria-labelledby={`${titleId} ${descId}`}>
          <title id={titleId}>Velocity per closed sprint</title>
          <desc id={descId}>{summary}</desc>
          {ticks.map((t) => (
            <g key={t} className="plan-grid">
              <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
              <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
                {formatPoints(t)}
              </text>
            </g>
          ))}
          {shown.map((s, i) => {
            const cx = PAD.left + slot * i + slot / 2;
            return (
              <g key={s.id} data-testid="velocity-sprint" data-name={s.name} data-completed={s.completed}>
                <rect className="plan-bar-committed" x={cx - bar - 1} width={bar} y={y(s.committed)} height={y(0) - y(s.committed)} rx={2} />
                <rect className="plan-bar-completed" x={cx + 1} width={bar} y={y(s.completed)} height={y(0) - y(s.completed)} rx={2} />
                <text className="plan-bar-value" x={cx - bar / 2 - 1} y={y(s.committed) - 3} textAnchor="middle">
                  {formatPoints(s.committed)}
                </text>
                <text className="plan-bar-value" x={cx + bar / 2 + 1} y={y(s.completed) - 3} textAnchor="middle">
                  {formatPoints(s.completed)}
                </text>
                <text className="plan-axis-label" x={cx} y={H - PAD.bottom + 16} textAnchor="middle">
                  {s.name.length > 14 ? `${s.name.slice(0, 13)}…` : s.name}
                </text>
              </g>
            );
          })}
          {average !== null && <line className="plan-average" x1={PAD.left} x2={W - PAD.right} y1={y(average)} y2={y(average)} />}
        </svg>
      )}
      {shown.length > 0 && (
        <ChartTable
          caption="Velocity per closed sprint"
          testId="velocity-table"
          columns={['Sprint', 'Committed', 'Completed']}
          rows={[
            ...shown.map((s) => [s.name, formatPoints(s.committed), formatPoints(s.completed)]),
            ...(average === null ? [] : [['Average of last 3', '', formatPoints(average)]]),
          ]}
        />
      )}
    </figure>
  );
}
