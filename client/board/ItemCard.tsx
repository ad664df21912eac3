/**
 * One backlog card. Memoised and subscribed to its own item snapshot only, so a change to
 * one item re-renders one card. dnd-kit's sortable context changes on every drag step,
 * which re-renders every mounted sortable wrapper (the list is windowed, so a few dozen);
 * the card's content is a separate memo (CardContent), so a step costs one hook and one
 * <li> per mounted card. `top` places the card in the windowed list; `rank` is its number.
 */
import { type NewIndexGetter, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { type CSSProperties, memo, useCallback, useEffect, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { RankHistory } from '../history/RankHistory.tsx';
import { archiveItem, moveItem, restoreItem } from '../../shared/schema/board.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { StatusSelect } from '../components/StatusSelect.tsx';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext, useItem, useItemActivity, useRemoteChangeAt } from '../hooks/useBoard.ts';
import type { ItemActivity } from '../hooks/presenceStore.ts';
import { useCheckedStatus } from '../refinement/useCheckedStatus.ts';
import { CardMenu } from './CardMenu.tsx';
import { openItemDetail } from './itemLink.ts';
import { ItemTitle } from './ItemTitle.tsx';
import { CardExtrasSlot } from './slots.tsx';

const ACTIVITY_VERB: Readonly<Record<ItemActivity['kind'], string>> = {
  dragging: 'is moving this',
  editing: 'is editing',
  viewing: 'is looking at this',
};

const FLASH_MS = 1600;

/** dnd-kit's default copies the whole id list (arrayMove) for every card on every drag step. */
const newIndexAfterMove: NewIndexGetter = ({ id, items, activeIndex, overIndex }) => {
  const i = items.indexOf(id);
  if (i === activeIndex) return overIndex;
  if (activeIndex < overIndex && i > activeIndex && i <= overIndex) return i - 1;
  if (activeIndex > overIndex && i >= overIndex && i < activeIndex) return i + 1;
  return i;
};

/** True for a moment after `at` changes to a recent time: a card someone else just changed. */
function useFlash(at: number): boolean {
  const [on, setOn] = useState(false);
  useEffect(() => {
    if (!at || Date.now() - at > FLASH_MS) return;
    setOn(true);
    const t = setTimeout(() => setOn(false), FLASH_MS);
    return () => clearTimeout(t);
  }, [at]);
  return on;
}

interface ItemCardProps {
  id: ItemId;
  /** 1-based position in the shown list, and its length (for assistive tech: most cards are not in the DOM). */
  rank: number;
  setSize: number;
  /** Offset from the top of the list, px. */
  top: number;
  canDrag: boolean;
  /** From useWindowedList: observes the card's height; returns the cleanup. */
  measure: (el: HTMLElement) => () => void;
}

export const ItemCard = memo(function ItemCard({ id, rank, setSize, top, canDrag, measure }: ItemCardProps) {
  const { store, presence, canWrite } = useBoardContext();
  const item = useItem(store, id);
  const activity = useItemActivity(presence, id);
  const flashing = useFlash(useRemoteChangeAt(store, id));
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id,
    disabled: !canDrag,
    getNewIndex: newIndexAfterMove,
  });
  const ref = useCallback(
    (el: HTMLLIElement | null) => {
      setNodeRef(el);
      if (!el) return;
      const stop = measure(el);
      return () => {
        stop();
        setNodeRef(null);
      };
    },
    [setNodeRef, measure],
  );

  if (!item) return null;
  // Someone moving or editing wins the outline over someone merely looking.
  const lead = activity.find((a) => a.kind !== 'viewing') ?? activity[0];
  const style: CSSProperties & Record<'--activity-color', string | undefined> = {
    top,
    transform: CSS.Translate.toString(transform),
    transition,
    '--activity-color': lead?.color,
  };
  return (
    <li
      ref={ref}
      id={`item-${id}`}
      aria-posinset={rank}
      aria-setsize={setSize}
      style={style}
      className={['card', `status-${item.status}`, isDragging && 'is-dragging', lead && 'has-activity', lead && `activity-${lead.kind}`, flashing && 'is-flashing', !canWrite && 'is-readonly']
        .filter(Boolean)
        .join(' ')}
      data-item-id={id}
      data-testid="item-card"
    >
      {canDrag && (
        <button
          type="button"
          ref={setActivatorNodeRef}
          className="drag-handle"
          aria-label={`Move “${item.title || 'Untitled'}”`}
          data-testid="drag-handle"
          {...attributes}
          {...listeners}
        >
          <svg viewBox="0 0 12 20" width="12" height="20" aria-hidden="true">
            {[4, 10, 16].map((y) => [3, 9].map((x) => <circle key={`${x}-${y}`} cx={x} cy={y} r="1.6" />))}
          </svg>
        </button>
      )}
      <RankHistory itemId={id} rank={rank} />
      <CardContent item={item} activity={activity} canWrite={canWrite} />
    </li>
  );
});

const CardContent = memo(function CardContent({
  item,
  activity,
  canWrite,
}: {
  item: ItemSnapshot;
  activity: readonly ItemActivity[];
  canWrite: boolean;
}) {
  const id = item.id;
  return (
    <>
      <div className="card-body">
        <ItemTitle item={item} />
        <CardMeta item={item} />
        {activity.length > 0 && (
          <ul className="activity-tags" aria-label="Others on this item">
            {activity.map((a) => (
              <li
                key={`${a.userId}-${a.kind}`}
                // Looking is quieter than moving or editing: outlined instead of filled.
                style={a.kind === 'viewing' ? { color: a.color, borderColor: a.color } : { background: a.color, borderColor: a.color }}
                className={`activity-tag activity-tag-${a.kind}`}
              >
                {a.name} {ACTIVITY_VERB[a.kind]}
              </li>
            ))}
          </ul>
        )}
      </div>
      {canWrite && <CardActions item={item} />}
      {!canWrite && (
        <div className="card-actions">
          <button
            type="button"
            className="icon-btn"
            aria-label={`Open details of “${item.title || 'Untitled'}”`}
            title="Open details"
            onClick={() => openItemDetail(id)}
            data-testid="open-details"
          >
            <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
              <path d="M9 2.5h4.5V7M13.5 2.5 8 8M6.5 3.5h-3v9h9v-3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
            </svg>
          </button>
        </div>
      )}
    </>
  );
});

function CardMeta({ item }: { item: ItemSnapshot }) {
  const { canWrite } = useBoardContext();
  const changeStatus = useCheckedStatus();
  const comments = item.comments.length;
  return (
    <div className="card-meta">
      <StatusSelect
        status={item.status}
        editable={canWrite}
        label={`Status of “${item.title}”`}
        onChange={(status) => changeStatus(item.id, status)}
      />
      {item.estimate !== null && (
        <span className="estimate" title="Agreed estimate">
          <span className="visually-hidden">Estimate </span>
          {item.estimate}
        </span>
      )}
      {item.labels.map((l) => (
        <span key={l} className="chip">
          {l}
        </span>
      ))}
      {item.openQuestionCount > 0 && (
        <span className="count count-questions" title={`${item.openQuestionCount} open question(s)`}>
          <span aria-hidden="true">?</span> {item.openQuestionCount}
          <span className="visually-hidden"> open {item.openQuestionCount === 1 ? 'question' : 'questions'}</span>
        </span>
      )}
      {comments > 0 && (
        <span className="count count-comments" title={`${comments} comment(s)`}>
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
            <path d="M2 3h12v8H6l-3 3v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
          </svg>{' '}
          {comments}
          <span className="visually-hidden"> {comments === 1 ? 'comment' : 'comments'}</span>
        </span>
      )}
      <CardExtrasSlot item={item} />
    </div>
  );
}

function CardActions({ item }: { item: ItemSnapshot }) {
  const { doc, origin, store } = useBoardContext();
  const toasts = useToasts();
  const title = item.title || 'Untitled';
  function archive() {
    archiveItem(doc, item.id, Date.now(), origin);
    toasts.show({
      message: `Archived “${title.length > 40 ? `${title.slice(0, 40)}…` : title}”`,
      action: { label: 'Undo', run: () => restoreItem(doc, item.id, origin) },
    });
  }
  return (
    <div className="card-actions">
      <button
        type="button"
        className="icon-btn secondary-action"
        aria-label={`Open details of “${title}”`}
        title="Open details"
        onClick={() => openItemDetail(item.id)}
        data-testid="open-details"
      >
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path d="M9 2.5h4.5V7M13.5 2.5 8 8M6.5 3.5h-3v9h9v-3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      <button type="button" className="icon-btn secondary-action" aria-label={`Archive “${title}”`} title="Archive" onClick={archive} data-testid="archive">
        <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
          <path d="M2 3h12v3H2zM3 6v7h10V6M6.5 9h3" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
        </svg>
      </button>
      <CardMenu
        label={`More actions for “${title}”`}
        actions={() => {
          const order = store.getOrder();
          return [
            { label: 'Move to top', run: () => moveItem(doc, item.id, 'top', origin), disabled: order[0] === item.id },
            { label: 'Move to bottom', run: () => moveItem(doc, item.id, 'bottom', origin), disabled: order.at(-1) === item.id },
            { label: 'Open details', run: () => openItemDetail(item.id) },
            { label: 'Archive', run: archive, danger: true },
          ];
        }}
      />
    </div>
  );
}
