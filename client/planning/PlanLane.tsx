/**
 * One drop target of the planning view: the backlog (windowed, like the board's backlog,
 * since it may hold hundreds of items) or a sprint (short, rendered whole). Rows are
 * sortable within the lane; the lane itself is a droppable, so an empty sprint takes drops.
 * `boundaries` puts a labelled line above a row: where the next sprint fills up, and the
 * forecast sprint boundaries after it.
 */
import { useDndContext, useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { type FocusEvent, useMemo, useRef, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { useWindowedList } from '../board/useWindowedList.ts';
import type { LaneId } from './lanes.ts';
import { type Boundary, PlanRow } from './PlanRow.tsx';

interface PlanLaneProps {
  lane: LaneId;
  label: string;
  ids: readonly ItemId[];
  /** Rows can be dragged out of / into this lane by this person. */
  editable: boolean;
  /** Why not (shown on the greyed handles), when not editable but the person may write. */
  lockedReason?: string;
  /** Position in the whole backlog order, for the rank numbers. */
  rankOf: (id: ItemId) => number;
  boundaries?: ReadonlyMap<ItemId, readonly Boundary[]>;
  emptyText: string;
}

export function PlanLane(props: PlanLaneProps) {
  const { lane, ids, editable } = props;
  const { setNodeRef, isOver } = useDroppable({ id: lane, disabled: !editable });
  const { active } = useDndContext();
  const dragging = active !== null;
  return (
    <SortableContext id={lane} items={ids as ItemId[]} strategy={verticalListSortingStrategy} disabled={!editable}>
      {lane === 'backlog' ? (
        <WindowedRows {...props} setNodeRef={setNodeRef} />
      ) : (
        <ol
          ref={setNodeRef}
          className={`plan-lane ${isOver ? 'is-over' : ''} ${dragging && !editable ? 'is-refused' : ''}`}
          aria-label={props.label}
          data-testid="sprint-lane"
          data-lane={lane}
        >
          {ids.length === 0 && <li className="plan-lane-empty">{props.emptyText}</li>}
          {ids.map((id) => (
            <PlanRow key={id} id={id} rank={props.rankOf(id)} editable={editable} lockedReason={props.lockedReason} boundaries={props.boundaries?.get(id)} />
          ))}
        </ol>
      )}
    </SortableContext>
  );
}

function WindowedRows({ lane, label, ids, editable, lockedReason, rankOf, boundaries, emptyText, setNodeRef }: PlanLaneProps & { setNodeRef: (el: HTMLElement | null) => void }) {
  const listRef = useRef<HTMLOListElement | null>(null);
  const [focusedId, setFocusedId] = useState<ItemId | null>(null);
  const { active, over } = useDndContext();
  const activeId = (active?.id as ItemId | undefined) ?? null;
  const overId = (over?.id as ItemId | undefined) ?? null;
  const pinned = useMemo(() => [activeId, overId, focusedId], [activeId, overId, focusedId]);
  const { rows, totalHeight, measure } = useWindowedList(ids, listRef, pinned);
  const ref = (el: HTMLOListElement | null) => {
    listRef.current = el;
    setNodeRef(el);
  };
  function onFocus(e: FocusEvent) {
    const id = (e.target as HTMLElement).closest<HTMLElement>('[data-item-id]')?.dataset.itemId;
    if (id) setFocusedId(id as ItemId);
  }
  function onBlur(e: FocusEvent) {
    if (!(e.relatedTarget as HTMLElement | null)?.closest('[data-item-id]')) setFocusedId(null);
  }
  return (
    <ol
      ref={ref}
      className="plan-lane is-backlog"
      aria-label={label}
      style={{ height: ids.length ? totalHeight : undefined }}
      onFocus={onFocus}
      onBlur={onBlur}
      data-testid="backlog-lane"
      data-lane={lane}
    >
      {ids.length === 0 && <li className="plan-lane-empty">{emptyText}</li>}
      {rows.map((row) => (
        <PlanRow
          key={row.id}
          id={row.id}
          rank={rankOf(row.id)}
          editable={editable}
          lockedReason={lockedReason}
          boundaries={boundaries?.get(row.id)}
          top={row.top}
          measure={measure}
        />
      ))}
    </ol>
  );
}
