/**
 * Drag and drop between the backlog and the sprints (dnd-kit multiple containers). At
 * pick-up the lanes are copied into local state; moving over another lane moves the item
 * there in the copy (the preview, which the capacity bars read too); the drop commits ONE
 * change through `onCommit`; Escape or a drop outside restores the copy. Pointer, touch and
 * keyboard sensors, with announcements that name the lane. Dropping a blocked item into a
 * sprint asks first (the move waits, previewed, until the person decides).
 */
import {
  type Announcements,
  closestCorners,
  DndContext,
  type DragEndEvent,
  type DragOverEvent,
  DragOverlay,
  type DragStartEvent,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  type UniqueIdentifier,
  useSensor,
  useSensors,
} from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { type ReactNode, useCallback, useMemo, useRef, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { type Anchor, BACKLOG_LANE, dropAnchor, isLaneId, type LaneId, type Lanes, laneOf, moveToLane } from './lanes.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';

/** One committed drop: the item, the lane it left and the one it joined, and its place in the backlog order. */
export interface PlanMove {
  id: ItemId;
  from: LaneId;
  to: LaneId;
  anchor: Anchor;
  /** Made from a row's menu rather than by dragging (dnd-kit announces drags itself). */
  viaMenu?: boolean;
}

export interface PlanningDndProps {
  /** The live lanes (from the document). */
  lanes: Lanes;
  laneTitle: (lane: LaneId) => string;
  itemTitle: (id: ItemId) => string;
  /** May this person take items out of / put items into `lane`? (The server's rule, greyed where it refuses.) */
  canUseLane: (lane: LaneId) => boolean;
  /** Why the item is blocked, or null: dropping it into a sprint asks first. */
  blockedReason: (id: ItemId) => string | null;
  onCommit: (move: PlanMove) => void;
  /** The dragged row as it follows the pointer. */
  renderOverlay: (id: ItemId) => ReactNode;
  /**
   * The view, given the lanes to show (the preview while dragging) and `requestMove`, the
   * way to plan without dragging (a menu): it asks first for a blocked item too.
   */
  children: (shown: Lanes, requestMove: (move: PlanMove) => void) => ReactNode;
}

const SCREEN_READER_INSTRUCTIONS = {
  draggable:
    'To plan this item, press Space or Enter to pick it up. Use the arrow keys to move it within a list or to another sprint, Space or Enter to drop it, or Escape to cancel.',
};

export function PlanningDnd({ lanes, laneTitle, itemTitle, canUseLane, blockedReason, onCommit, renderOverlay, children }: PlanningDndProps) {
  const [preview, setPreview] = useState<Lanes | null>(null);
  const [activeId, setActiveId] = useState<ItemId | null>(null);
  const [pending, setPending] = useState<PlanMove | null>(null);
  const origin = useRef<LaneId | null>(null);
  // Announcements and handlers read the latest preview without re-creating the DndContext props.
  const previewRef = useRef<Lanes | null>(null);
  previewRef.current = preview;

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, scrollBehavior: 'auto' }),
  );

  const laneOfId = useCallback((id: UniqueIdentifier | undefined, within: Lanes): LaneId | null => {
    if (id === undefined) return null;
    return isLaneId(id) ? String(id) : laneOf(within, id as ItemId);
  }, []);

  const announcements = useMemo<Announcements>(() => {
    const where = (id: UniqueIdentifier | undefined) => {
      const shown = previewRef.current ?? lanes;
      const lane = laneOfId(id, shown);
      if (!lane) return 'nowhere';
      const ids = shown[lane] ?? [];
      const pos = isLaneId(id) ? ids.length : ids.indexOf(id as ItemId) + 1;
      return `${laneTitle(lane)}, position ${Math.max(1, pos)} of ${Math.max(1, ids.length)}`;
    };
    const title = (id: UniqueIdentifier) => `“${itemTitle(id as ItemId)}”`;
    const warn = (id: UniqueIdentifier, over: UniqueIdentifier | undefined) => {
      const reason = blockedReason(id as ItemId);
      const lane = laneOfId(over, previewRef.current ?? lanes);
      return reason && lane && lane !== BACKLOG_LANE ? ` Warning: this item is blocked (${reason}).` : '';
    };
    return {
      onDragStart: ({ active }) => `Picked up ${title(active.id)} in ${where(active.id)}.`,
      onDragOver: ({ active, over }) => (over ? `${title(active.id)} is in ${where(active.id)}.${warn(active.id, active.id)}` : `${title(active.id)} is not over a list.`),
      onDragEnd: ({ active, over }) => (over ? `${title(active.id)} dropped in ${where(active.id)}.` : `${title(active.id)} dropped outside; nothing changed.`),
      onDragCancel: ({ active }) => `Moving ${title(active.id)} was cancelled. It stays in ${laneTitle(origin.current ?? BACKLOG_LANE)}.`,
    };
  }, [lanes, laneTitle, itemTitle, blockedReason, laneOfId]);
  const accessibility = useMemo(() => ({ announcements, screenReaderInstructions: SCREEN_READER_INSTRUCTIONS }), [announcements]);

  function onDragStart({ active }: DragStartEvent) {
    const id = active.id as ItemId;
    origin.current = laneOf(lanes, id);
    setActiveId(id);
    setPreview(lanes);
  }

  // Crossing into another lane moves the item there in the preview; within a lane the
  // sortable transforms show the new place and the drop applies it.
  function onDragOver({ active, over }: DragOverEvent) {
    const shown = previewRef.current;
    if (!shown || !over) return;
    const id = active.id as ItemId;
    const from = laneOf(shown, id);
    const to = laneOfId(over.id, shown);
    if (!from || !to || from === to || !canUseLane(to)) return;
    const target = shown[to] ?? [];
    let index = target.length;
    if (!isLaneId(over.id)) {
      const overIndex = target.indexOf(over.id as ItemId);
      const dragged = active.rect.current.translated;
      const below = dragged ? dragged.top > over.rect.top + over.rect.height / 2 : false;
      index = overIndex < 0 ? target.length : overIndex + (below ? 1 : 0);
    }
    const next = moveToLane(shown, id, to, index);
    previewRef.current = next;
    setPreview(next);
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    const id = active.id as ItemId;
    let shown = previewRef.current ?? lanes;
    const from = origin.current;
    const lane = laneOf(shown, id);
    if (!over || !from || !lane) return reset();
    // A reorder inside the lane the item is in now: take the slot of the item it is over.
    if (!isLaneId(over.id) && over.id !== id && laneOf(shown, over.id as ItemId) === lane) {
      shown = moveToLane(shown, id, lane, (shown[lane] ?? []).indexOf(over.id as ItemId));
    }
    const move: PlanMove = { id, from, to: lane, anchor: dropAnchor(shown, id) };
    if (from === lane && (lanes[lane] ?? []).indexOf(id) === (shown[lane] ?? []).indexOf(id)) return reset();
    if (lane !== BACKLOG_LANE && from !== lane && blockedReason(id)) {
      // Keep the preview on screen while the person decides.
      previewRef.current = shown;
      setPreview(shown);
      setActiveId(null);
      setPending(move);
      return;
    }
    onCommit(move);
    reset();
  }

  const requestMove = useCallback(
    (move: PlanMove) => {
      if (move.to !== BACKLOG_LANE && move.from !== move.to && blockedReason(move.id)) setPending(move);
      else onCommit(move);
    },
    [blockedReason, onCommit],
  );

  function reset() {
    previewRef.current = null;
    setPreview(null);
    setActiveId(null);
    origin.current = null;
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCorners}
      onDragStart={onDragStart}
      onDragOver={onDragOver}
      onDragEnd={onDragEnd}
      onDragCancel={reset}
      accessibility={accessibility}
    >
      {children(preview ?? lanes, requestMove)}
      <DragOverlay dropAnimation={null}>{activeId ? renderOverlay(activeId) : null}</DragOverlay>
      {pending && (
        <ConfirmDialog
          title="This item is blocked"
          confirmLabel="Plan it anyway"
          cancelLabel="Keep it where it was"
          testId="blocked-confirm"
          onConfirm={() => {
            onCommit(pending);
            setPending(null);
            reset();
          }}
          onCancel={() => {
            setPending(null);
            reset();
          }}
        >
          <p>
            “{itemTitle(pending.id)}” is flagged as blocked: <strong>{blockedReason(pending.id)}</strong>
          </p>
          <p className="muted">Plan it into {laneTitle(pending.to)} anyway?</p>
        </ConfirmDialog>
      )}
    </DndContext>
  );
}
