/**
 * The board's two views, "Backlog" and "Planning", as tabs under the session bar. The tab
 * follows the session phase (a facilitator switching to planning takes everyone there);
 * anyone may switch for themselves (`?view=`). Beside the tabs on the backlog, the board's
 * product goal (SPR-8), so the vision the backlog serves is at the top of the board; the
 * planning view shows it with its editor.
 */
import { type ReactNode, useEffect, useRef } from 'react';
import { LazyPart, lazyPart } from '../components/LazyPart.tsx';
import { useBoardContext, useMeta, useSession } from '../hooks/useBoard.ts';
import { setSearchParam, useSearchParam } from '../router.ts';
import './planning.css';

// Its own chunk: most visits open the backlog (issue 16).
const PlanningView = lazyPart(() => import('./PlanningView.tsx').then((m) => m.PlanningView));

const VIEW_PARAM = 'view';
type View = 'backlog' | 'planning';

export function PlanningTabs({ children }: { children: ReactNode }) {
  const { store } = useBoardContext();
  const { phase } = useSession(store);
  const { productGoal } = useMeta(store);
  const chosen = useSearchParam(VIEW_PARAM);
  const view: View = chosen === 'planning' || chosen === 'backlog' ? chosen : phase === 'planning' ? 'planning' : 'backlog';
  // A new phase overrides a personal choice: drop ?view= when the phase changes.
  const lastPhase = useRef(phase);
  useEffect(() => {
    if (lastPhase.current === phase) return;
    lastPhase.current = phase;
    setSearchParam(VIEW_PARAM, null, { replace: true });
  }, [phase]);

  const tab = (v: View, label: string) => (
    <button
      type="button"
      role="tab"
      id={`tab-${v}`}
      className="plan-tab"
      aria-selected={view === v}
      aria-controls={`panel-${v}`}
      tabIndex={view === v ? 0 : -1}
      onClick={() => setSearchParam(VIEW_PARAM, v, { replace: true })}
      onKeyDown={(e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        const next: View = view === 'backlog' ? 'planning' : 'backlog';
        setSearchParam(VIEW_PARAM, next, { replace: true });
        document.getElementById(`tab-${next}`)?.focus();
      }}
      data-testid={`tab-${v}`}
    >
      {label}
    </button>
  );

  return (
    <>
      <div className="plan-tabs-bar">
        <div className="plan-tabs" role="tablist" aria-label="Board views">
          {tab('backlog', 'Backlog')}
          {tab('planning', 'Planning')}
        </div>
        {view === 'backlog' && productGoal.trim() !== '' && (
          <p className="plan-goal-line" data-testid="board-product-goal">
            <span className="plan-goal-line-label">Product goal</span> {productGoal}
          </p>
        )}
      </div>
      <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        {view === 'planning' ? (
          <LazyPart what="the planning view">
            <PlanningView />
          </LazyPart>
        ) : (
          children
        )}
      </div>
    </>
  );
}
