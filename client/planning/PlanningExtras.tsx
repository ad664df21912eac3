/**
 * The planning view's surroundings: the product goal at the top, the SM's impediments list,
 * and the active sprint's burn chart. Writes go through the shared operations; a refusal's
 * message comes back to the caller through `run`.
 */
import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import type { SprintId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { burnSeries } from '../../shared/planning/burndown.ts';
import { pointsOf } from '../../shared/planning/points.ts';
import { boardRoots, readMeta } from '../../shared/schema/board.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import type { Actor } from '../../shared/schema/operation.ts';
import { type PlanningResult, readImpediments, resolveBlocked, setProductGoal, sprintItems } from '../../shared/schema/sprints.ts';
import { BurnChart } from './BurnChart.tsx';
import { ProductGoalView } from './ProductGoalView.tsx';
import type { SprintView } from './planningData.ts';

/** Re-renders on any change to the document's items or meta (goal, blocked flags, doneAt). */
export function useDocVersion(doc: Y.Doc): number {
  const [v, setV] = useState(0);
  useEffect(() => {
    const roots = boardRoots(doc);
    const bump = () => setV((n) => n + 1);
    roots.items.observeDeep(bump);
    roots.meta.observeDeep(bump);
    return () => {
      roots.items.unobserveDeep(bump);
      roots.meta.unobserveDeep(bump);
    };
  }, [doc]);
  return v;
}

export function PlanningGoal({ doc, actor, canEdit, origin }: { doc: Y.Doc; actor: Actor; canEdit: boolean; origin: unknown }) {
  useDocVersion(doc);
  return (
    <ProductGoalView
      goal={readMeta(doc).productGoal}
      canEdit={canEdit}
      maxLength={LIMITS.maxProductGoalLength}
      onSave={(goal) => {
        const r = setProductGoal(doc, actor, goal, origin);
        return r.ok ? null : r.message;
      }}
    />
  );
}

const since = (at: number, now: number) => {
  const days = Math.floor((now - at) / 86_400_000);
  return days <= 0 ? 'today' : days === 1 ? '1 day' : `${days} days`;
};

export function ImpedimentsList({ doc, actor, origin, run }: { doc: Y.Doc; actor: Actor; origin: unknown; run: (r: PlanningResult) => boolean }) {
  useDocVersion(doc);
  const items: ItemSnapshot[] = readImpediments(doc);
  const now = Date.now();
  return (
    <section className="plan-impediments" aria-labelledby="plan-impediments-heading" data-testid="impediments">
      <h3 id="plan-impediments-heading">Impediments ({items.length})</h3>
      {items.length === 0 ? (
        <p className="muted small">Nothing is blocked.</p>
      ) : (
        <ul>
          {items.map((i) => (
            <li key={i.id} data-testid="impediment">
              <span>
                <strong>{i.title || 'Untitled'}</strong>: {i.blocked?.reason}{' '}
                <span className="muted small">
                  (flagged by {i.blocked?.name || 'someone'}, blocked {since(i.blocked?.at ?? now, now)})
                </span>
              </span>
              <button type="button" className="btn btn-small" onClick={() => run(resolveBlocked(doc, actor, i.id, origin))} data-testid="resolve-impediment">
                Resolve
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ActiveBurn({ doc, sprint }: { doc: Y.Doc; sprint: SprintView }) {
  useDocVersion(doc);
  if (sprint.startsAt === null || sprint.endsAt === null) return null;
  const items = sprintItems(doc, sprint.id as SprintId).map((i) => ({ points: pointsOf(i.estimate), doneAt: i.doneAt, done: i.status === 'done' }));
  const series = burnSeries(sprint.startsAt, sprint.endsAt, items, Date.now());
  return (
    <BurnChart
      sprintName={sprint.name}
      startsAt={sprint.startsAt}
      endsAt={sprint.endsAt}
      committed={sprint.committed?.points ?? 0}
      points={series.map((p) => ({ at: p.day, scope: p.scope, completed: p.done }))}
    />
  );
}
