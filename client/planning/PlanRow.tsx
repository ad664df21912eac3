/**
 * One item in a planning lane: rank, title (opens the item), points, a blocked flag and the
 * drag handle. Memoised and subscribed to its own item, like the board's cards. The handle
 * is greyed (disabled, with the reason as its title) where the server would refuse the move.
 */
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { createContext, type CSSProperties, memo, type ReactNode, useCallback, useContext } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { CardMenu, type MenuAction } from '../board/CardMenu.tsx';
import { openItemDetail } from '../board/itemLink.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { type PlanItem, usePlanItem } from './hooks.ts';

/** A labelled line above a row: where a sprint's capacity runs out. */
export interface Boundary {
  /** `full`: the next sprint is over capacity before any backlog item (drawn as a warning). */
  kind: 'fits' | 'full' | 'forecast';
  label: string;
}

/**
 * The moves a row's menu offers (the single-pointer alternative to dragging): null when
 * this person can't move the item anywhere from its lane.
 */
export const PlanMenuContext = createContext<((id: ItemId) => MenuAction[] | null) | null>(null);

interface PlanRowProps {
  id: ItemId;
  rank: number;
  editable: boolean;
  lockedReason?: string;
  boundaries?: readonly Boundary[];
  /** Offset in a windowed list (the backlog), px. */
  top?: number;
  measure?: (el: HTMLElement) => () => void;
}

export const PlanRow = memo(function PlanRow({ id, rank, editable, lockedReason, boundaries, top, measure }: PlanRowProps) {
  const { canWrite } = useBoardContext();
  const item = usePlanItem(id);
  const menu = useContext(PlanMenuContext);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id, disabled: !editable });
  const ref = useCallback(
    (el: HTMLLIElement | null) => {
      setNodeRef(el);
      if (!el || !measure) return;
      const stop = measure(el);
      return () => {
        stop();
        setNodeRef(null);
      };
    },
    [setNodeRef, measure],
  );
  if (!item) return null;
  // Whether the menu shows at all: asked now; its entries are asked again when it opens.
  const planMoves = editable ? menu?.(id) : null;
  const style: CSSProperties = { top, transform: CSS.Translate.toString(transform), transition };
  return (
    <li ref={ref} style={style} className="plan-row-wrap" data-item-id={id} data-testid="plan-row">
      {boundaries?.map((b) => (
        <div key={b.label} className={`plan-boundary is-${b.kind}`} data-testid={b.kind === 'forecast' ? 'forecast-boundary' : 'what-fits'}>
          {b.label}
        </div>
      ))}
      <PlanRowBody
        item={item}
        rank={rank}
        dragging={isDragging}
        readonly={!canWrite}
        end={planMoves ? <CardMenu label={`Plan “${item.title || 'Untitled'}”`} actions={() => menu?.(id) ?? planMoves} /> : null}
      >
        {canWrite && (
          <button
            type="button"
            ref={setActivatorNodeRef}
            className="drag-handle"
            aria-label={`Plan “${item.title || 'Untitled'}”`}
            title={editable ? undefined : lockedReason}
            disabled={!editable}
            data-testid="plan-handle"
            {...attributes}
            {...(editable ? listeners : {})}
          >
            <HandleIcon />
          </button>
        )}
      </PlanRowBody>
    </li>
  );
});

export function HandleIcon() {
  return (
    <svg viewBox="0 0 12 20" width="12" height="20" aria-hidden="true">
      {[4, 10, 16].map((y) => [3, 9].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.6" />))}
    </svg>
  );
}

interface PlanRowBodyProps {
  item: PlanItem;
  rank: number;
  dragging?: boolean;
  overlay?: boolean;
  readonly?: boolean;
  /** Before the row: the drag handle. */
  children?: ReactNode;
  /** After the row: its menu. */
  end?: ReactNode;
}

export function PlanRowBody({ item, rank, dragging, overlay, readonly, children, end }: PlanRowBodyProps) {
  const cls = ['plan-row', `status-${item.status}`, dragging && 'is-dragging', overlay && 'is-overlay', readonly && 'is-readonly'].filter(Boolean).join(' ');
  return (
    <div className={cls} data-testid="plan-row-body">
      {children}
      <span className="plan-row-rank">
        <span className="visually-hidden">Rank </span>
        {rank}
      </span>
      <span className="plan-row-title">
        <button type="button" onClick={() => openItemDetail(item.id)} data-testid="plan-row-title">
          {item.title || 'Untitled'}
        </button>
      </span>
      <span className="plan-row-meta">
        {item.blocked && (
          <span className="plan-blocked" title={`Blocked: ${item.blocked.reason}`} data-testid="blocked-badge">
            <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden="true" className="plan-blocked-icon">
              <circle cx="6" cy="6" r="5.5" fill="currentColor" />
              <rect x="2.5" y="5" width="7" height="2" rx="0.5" fill="#fff" />
            </svg>
            <span className="plan-blocked-text">Blocked</span>
            <span className="visually-hidden">: {item.blocked.reason}</span>
          </span>
        )}
        {item.points === null ? (
          <span className="plan-points is-missing" title="Not estimated yet">
            <span aria-hidden="true">?</span>
            <span className="visually-hidden">not estimated</span>
          </span>
        ) : (
          <span className="plan-points" title="Estimate (points)">
            {item.points}
            <span className="visually-hidden"> points</span>
          </span>
        )}
      </span>
      {end}
    </div>
  );
}
