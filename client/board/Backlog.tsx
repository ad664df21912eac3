/**
 * The ranked backlog with drag and drop (dnd-kit). While a drag is in progress the list
 * shows a frozen copy of the order taken at pick-up, so remote moves don't shift cards
 * under the pointer; dnd-kit previews the drop with transforms. On drop we commit ONE
 * moveItem transaction placed after the same neighbour in the live order (remote changes
 * during the drag are respected); on cancel nothing is written and the frozen copy goes.
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
  useSensors,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { useMemo, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { moveItem } from '../../shared/schema/board.ts';
import { useBoardContext, useOrder } from '../hooks/useBoard.ts';
import { placementIndex } from './dropPlacement.ts';
import { ItemCard } from './ItemCard.tsx';
import type { ItemFilter } from './slots.tsx';

const verticalOnly: Modifier = ({ transform }) => ({ ...transform, x: 0 });

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
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
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
        moveItem(doc, id, { index: placementIndex(preview, store.getOrder(), id) }, origin);
      }
    }
    setFrozen(null);
    presence.setActivity({ dragging: null });
  }

  function onDragCancel() {
    setFrozen(null);
    presence.setActivity({ dragging: null });
  }

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
      modifiers={[verticalOnly]}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{ announcements, screenReaderInstructions: SCREEN_READER_INSTRUCTIONS }}
    >
      <SortableContext items={visible as ItemId[]} strategy={verticalListSortingStrategy} disabled={!canDrag}>
        <ol className={`backlog ${frozen ? 'is-sorting' : ''}`} aria-label="Backlog, highest priority first">
          {visible.map((id) => (
            <ItemCard key={id} id={id} canDrag={canDrag} />
          ))}
        </ol>
      </SortableContext>
    </DndContext>
  );
}
