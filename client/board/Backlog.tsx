/**
 * The ranked backlog with drag and drop (dnd-kit). While a drag is in progress the list
 * shows a frozen copy of the order taken at pick-up, so remote moves don't shift cards
 * under the pointer; dnd-kit previews the drop with transforms. On drop we commit ONE
 * moveItem transaction placed after the same neighbour in the live order (remote changes
 * during the drag are respected); on cancel nothing is written and the frozen copy goes.
 *
 * The list is windowed (useWindowedList): only cards near the viewport are mounted, but
 * the SortableContext gets every id, and the dragged card, the drop target and the card
 * holding keyboard focus stay mounted. A keyboard drag past the screen edge scrolls the
 * page (dnd-kit's KeyboardSensor), which mounts the next cards as droppables.
 */
import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  type DragStartEvent,
  KeyboardSensor,
  type Modifier,
  PointerSensor,
  TouchSensor,
  type UniqueIdentifier,
  useSensor,
  useDndContext,
  useSensors,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { type CSSProperties, type FocusEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { moveItem } from '../../shared/schema/board.ts';
import { useBoardContext, useOrder } from '../hooks/useBoard.ts';
import { liveDropIndex } from './dropPlacement.ts';
import { ItemCard } from './ItemCard.tsx';
import { useOpenItemId } from './itemLink.ts';
import { useRevealRequests } from './reveal.ts';
import type { ItemFilter } from './slots.tsx';
import { useWindowedList } from './useWindowedList.ts';

const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });
const MODIFIERS = [verticalOnly];

const SCREEN_READER_INSTRUCTIONS = {
  draggable:
    'To reorder, press Space or Enter to pick up this item. Use the Up and Down arrow keys to move it, Space or Enter to drop it, or Escape to cancel.',
};

export function Backlog({ filter }: { filter: ItemFilter | null }) {
  const { store, doc, origin, canWrite, presence } = useBoardContext();
  const order = useOrder(store);
  const [frozen, setFrozen] = useState<readonly ItemId[] | null>(null);

  const visible = useMemo(() => {
    const base = frozen ?? order;
    if (!filter) return base;
    return base.filter((id) => {
      const item = store.getItem(id);
      return item !== null && filter(item);
    });
  }, [frozen, order, filter, store]);

  // Reordering a filtered view would be ambiguous (between which hidden items?), so a
  // filter turns dragging off; "move to top/bottom" still works.
  const canDrag = canWrite && !filter;

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    // Instant scroll: a smooth scroll still running when the next arrow key arrives is cut
    // short by the next one, and the card lands short of where the keys said.
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates, scrollBehavior: 'auto' }),
  );

  const announcements = useMemo<Announcements>(() => {
    const title = (id: UniqueIdentifier) => `“${store.getItem(String(id))?.title || 'Untitled'}”`;
    const position = (id: UniqueIdentifier | undefined) => {
      const list = frozen ?? order;
      return `position ${list.indexOf(id as ItemId) + 1} of ${list.length}`;
    };
    return {
      onDragStart: ({ active }) => `Picked up ${title(active.id)}, at ${position(active.id)}.`,
      onDragOver: ({ active, over }) =>
        over ? `${title(active.id)} moved to ${position(over.id)}.` : `${title(active.id)} is no longer over the list.`,
      onDragEnd: ({ active, over }) =>
        over ? `${title(active.id)} dropped at ${position(over.id)}.` : `${title(active.id)} dropped; its place did not change.`,
      onDragCancel: ({ active }) => `Moving ${title(active.id)} was cancelled. It stays at ${position(active.id)}.`,
    };
  }, [store, frozen, order]);

  function onDragStart({ active }: DragStartEvent) {
    setFrozen(order);
    presence.setActivity({ dragging: String(active.id) });
  }

  function onDragEnd({ active, over }: DragEndEvent) {
    const list = frozen ?? order;
    const id = active.id as ItemId;
    if (over && over.id !== active.id) {
      const from = list.indexOf(id);
      const to = list.indexOf(over.id as ItemId);
      if (from >= 0 && to >= 0) {
        const preview = arrayMove([...list], from, to);
        moveItem(doc, id, { index: liveDropIndex(preview, store.getOrder(), id) }, origin);
      }
    }
    endDrag();
  }

  function endDrag() {
    setFrozen(null);
    presence.setActivity({ dragging: null });
  }

  const accessibility = useMemo(() => ({ announcements, screenReaderInstructions: SCREEN_READER_INSTRUCTIONS }), [announcements]);

  if (visible.length === 0) {
    return (
      <div className="empty-state">
        {filter ? (
          <p>No items match the filter.</p>
        ) : (
          <>
            <p className="empty-title">The backlog is empty</p>
            <p className="muted">{canWrite ? 'Add the first item above — press Enter to add, and keep typing for the next.' : 'Items appear here as soon as someone adds them.'}</p>
          </>
        )}
      </div>
    );
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      modifiers={MODIFIERS}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={endDrag}
      accessibility={accessibility}
    >
      <SortableContext items={visible as ItemId[]} strategy={verticalListSortingStrategy} disabled={!canDrag}>
        <BacklogRows ids={visible} canDrag={canDrag} sorting={frozen !== null} />
      </SortableContext>
    </DndContext>
  );
}

/**
 * The windowed list itself, apart from Backlog so that scrolling (a new range) and drag
 * steps re-render this small component, not the DndContext above it.
 */
function BacklogRows({ ids, canDrag, sorting }: { ids: readonly ItemId[]; canDrag: boolean; sorting: boolean }) {
  const listRef = useRef<HTMLOListElement>(null);
  const [focusedId, setFocusedId] = useState<ItemId | null>(null);
  const { active, over } = useDndContext();
  const activeId = (active?.id as ItemId | undefined) ?? null;
  const overId = (over?.id as ItemId | undefined) ?? null;
  const pinned = useMemo(() => [activeId, overId, focusedId], [activeId, overId, focusedId]);
  // The render that ends a drag swaps the frozen order for the live one.
  const wasSorting = useRef(sorting);
  const justDropped = wasSorting.current && !sorting;
  useEffect(() => {
    wasSorting.current = sorting;
  }, [sorting]);
  const { rows, totalHeight, measure, reveal } = useWindowedList(ids, listRef, pinned, !justDropped);
  useRevealRequests(reveal);

  // A deep link (?item=) or the facilitator's focus opening a card: bring it on screen —
  // on wide screens, where the details sit beside the list; narrow ones show the details
  // above the list instead (ItemDetailPanel scrolls to them).
  const openItemId = useOpenItemId();
  const hasOpenItem = openItemId !== null && ids.includes(openItemId);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reveal once per opened item, not on every order change
  useEffect(() => {
    if (openItemId && hasOpenItem && !window.matchMedia('(max-width: 1023px)').matches) reveal(openItemId);
  }, [openItemId, hasOpenItem]);

  // The card holding keyboard focus stays mounted even when scrolled far away.
  function onFocus(e: FocusEvent) {
    const id = (e.target as HTMLElement).closest<HTMLElement>('[data-item-id]')?.dataset.itemId;
    if (id) setFocusedId(id as ItemId);
  }
  function onBlur(e: FocusEvent) {
    const next = e.relatedTarget as HTMLElement | null;
    if (!next?.closest('[data-item-id]')) setFocusedId(null);
  }

  return (
    <ol
      ref={listRef}
      className={`backlog ${sorting ? 'is-sorting' : ''}`}
      aria-label="Backlog, highest priority first"
      // Rank numbers line up however many digits the longest one has.
      style={{ height: totalHeight, '--rank-digits': `${String(ids.length).length}ch` } as CSSProperties}
      onFocus={onFocus}
      onBlur={onBlur}
    >
      {rows.map((row) => (
        <ItemCard key={row.id} id={row.id} rank={row.index + 1} setSize={ids.length} top={row.top} canDrag={canDrag} measure={measure} />
      ))}
    </ol>
  );
}
