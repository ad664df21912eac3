/**
 * Burndown (points left) or burn-up (points done against the sprint's scope) of the active
 * sprint, one point per day from its start to today, with the ideal line from the
 * committed points to zero at the end date. Hand-written SVG, role="img", and a table.
 */
import { useId, useState } from 'react';
import { ChartTable } from './ChartTable.tsx';
import { useChartWidth } from './useChartWidth.ts';
import { formatDay, formatPoints, niceTicks } from './chartScale.ts';

export interface BurnPoint {
  /** Start of the day, ms. */
  at: number;
  /** Points in the sprint that day (scope: grows when items are added). */
  scope: number;
  /** Points of done items by the end of that day. */
  completed: number;
}

export interface BurnChartProps {
  sprintName: string;
  startsAt: number;
  endsAt: number;
  /** Points committed at start (the ideal line starts there). */
  committed: number;
  /** Days so far, oldest first. */
  points: readonly BurnPoint[];
}

const H = 220;
const PAD = { top: 12, right: 16, bottom: 32, left: 36 };

export function BurnChart({ sprintName, startsAt, endsAt, committed, points }: BurnChartProps) {
  const [mode, setMode] = useState<'down' | 'up'>('down');
  const [measure, W] = useChartWidth();
  const titleId = useId();
  const descId = useId();
  const span = Math.max(1, endsAt - startsAt);
  const max = Math.max(1, committed, ...points.map((p) => p.scope));
  const ticks = niceTicks(max);
  const top = ticks.at(-1) ?? 1;
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (at: number) => PAD.left + (Math.min(Math.max(at - startsAt, 0), span) / span) * innerW;
  const y = (v: number) => PAD.top + innerH - (v / top) * innerH;
  const left = (p: BurnPoint) => Math.max(0, p.scope - p.completed);
  const line = (value: (p: BurnPoint) => number) => points.map((p) => `${x(p.at).toFixed(1)},${y(value(p)).toFixed(1)}`).join(' ');
  const last = points.at(-1);
  const label = mode === 'down' ? 'Burndown' : 'Burn-up';
  const summary = last
    ? mode === 'down'
      ? `${formatPoints(left(last))} of ${formatPoints(last.scope)} points left on ${formatDay(last.at)}; committed ${formatPoints(committed)} at start.`
      : `${formatPoints(last.completed)} of ${formatPoints(last.scope)} points done on ${formatDay(last.at)}.`
    : 'The sprint has no days yet.';

  return (
    <figure className="plan-chart" data-testid="burn-chart">
      <div ref={measure} className="plan-chart-measure" />
      <figcaption className="plan-chart-head">
        <h3 className="plan-chart-title">
          {label}: {sprintName}
        </h3>
        <fieldset className="segmented plan-segmented">
          <legend className="visually-hidden">Chart type</legend>
          {(['down', 'up'] as const).map((m) => (
            <label key={m} className={mode === m ? 'on' : undefined}>
              <input type="radio" className="visually-hidden" name={`${titleId}-mode`} checked={mode === m} onChange={() => setMode(m)} />
              {m === 'down' ? 'Burndown' : 'Burn-up'}
            </label>
          ))}
        </fieldset>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="plan-chart-svg" role="img" aria-labelledby={`${titleId} ${descId}`}>
        <title id={titleId}>
          {label} of {sprintName}
        </title>
        <desc id={descId}>{summary}</desc>
        {ticks.map((t) => (
          <g key={t} className="plan-grid">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {formatPoints(t)}
            </text>
          </g>
        ))}
        <text className="plan-axis-label" x={PAD.left} y={H - 10}>
          {formatDay(startsAt)}
        </text>
        <text className="plan-axis-label" x={W - PAD.right} y={H - 10} textAnchor="end">
          {formatDay(endsAt)}
        </text>
        {mode === 'down' ? (
          <line className="plan-ideal" x1={x(startsAt)} y1={y(committed)} x2={x(endsAt)} y2={y(0)} />
        ) : (
          <>
            <line className="plan-ideal" x1={x(startsAt)} y1={y(0)} x2={x(endsAt)} y2={y(committed)} />
            <polyline className="plan-scope" points={line((p) => p.scope)} />
          </>
        )}
        <polyline className="plan-actual" points={line(mode === 'down' ? left : (p) => p.completed)} />
        {points.map((p) => (
          <circle key={p.at} className="plan-actual-dot" cx={x(p.at)} cy={y(mode === 'down' ? left(p) : p.completed)} r={3} />
        ))}
      </svg>
      <ChartTable
        caption={`${label} of ${sprintName}, per day`}
        testId="burn-table"
        columns={['Day', 'Scope', 'Done', 'Left']}
        rows={points.map((p) => [formatDay(p.at), formatPoints(p.scope), formatPoints(p.completed), formatPoints(left(p))])}
      />
    </figure>
  );
}
