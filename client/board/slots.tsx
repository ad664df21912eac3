/**
 * Mount points for the features that live outside the board screen (client/refinement/
 * and client/estimation/). The board screen renders each slot in its final place; the
 * slot renders its feature's component.
 *
 * Everything a slot needs comes from `useBoardContext()` (client/hooks/useBoard.ts): doc,
 * origin (pass it to every shared/schema operation), store, presence, me, canWrite,
 * facilitator. Keep the prop shapes; the board screen relies on them.
 */
import type { ItemId } from '../../shared/ids.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { DotBadge, EstimationPanel } from '../estimation/EstimationPanel.tsx';
import { SprintBadge } from '../planning/SprintBadge.tsx';
import { BacklogToolbar } from '../refinement/BacklogToolbar.tsx';
import { ItemDetailPanel } from '../refinement/ItemDetailPanel.tsx';
import { SessionBar } from '../refinement/SessionBar.tsx';
import { UnreadBadge } from '../refinement/UnreadBadge.tsx';

/** Top of the board, under the header: phase, timer, focus item. Full width. */
export function SessionBarSlot() {
  return <SessionBar />;
}

/** Filters shown above the backlog; `filter` hides cards (and disables dragging) while set. */
export type ItemFilter = (item: ItemSnapshot) => boolean;
export interface BacklogToolbarSlotProps {
  /** Sets (or, with null, clears) the filter the backlog applies. */
  setFilter: (f: ItemFilter | null) => void;
}
/** Search and filters on the backlog, rendered between the add box and the list. */
export function BacklogToolbarSlot(props: BacklogToolbarSlotProps) {
  return <BacklogToolbar setFilter={props.setFilter} />;
}

export interface ItemDetailSlotProps {
  /** The item from `?item=<id>` (deep link), or null when no item is open. */
  itemId: ItemId | null;
  /** Closes the panel (removes `?item` from the URL). */
  onClose: () => void;
}
/**
 * Rendered as the second column of `.board-main` (which gets `.has-detail` while `?item`
 * is set: backlog left, panel right; one column under 900px); the panel styles itself.
 * Opened by openItemDetail(id) in client/board/itemLink.ts, which sets `?item=<id>`.
 */
export function ItemDetailSlot(props: ItemDetailSlotProps) {
  return <ItemDetailPanel {...props} />;
}

/** Planning-poker panel, under the session bar; shown to everyone. */
export function EstimationPanelSlot() {
  return <EstimationPanel />;
}

export interface CardExtrasSlotProps {
  item: ItemSnapshot;
}
/** Small badges at the end of a card's meta row, e.g. dot-vote totals. Keep it one line. */
export function CardExtrasSlot(props: CardExtrasSlotProps) {
  return (
    <>
      <DotBadge item={props.item} />
      <UnreadBadge item={props.item} />
      <SprintBadge item={props.item} />
    </>
  );
}
