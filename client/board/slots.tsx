/**
 * Mount points for features built elsewhere (issue 3: client/refinement/, issue 4:
 * client/estimation/). Each slot is rendered by the board screen in its final place and
 * renders nothing until its owner replaces the body with their component, e.g.
 *
 *   export function ItemDetailSlot(props: ItemDetailSlotProps) {
 *     return <ItemDetailPanel {...props} />;   // from '../refinement/ItemDetailPanel.tsx'
 *   }
 *
 * Everything a slot needs comes from `useBoardContext()` (client/hooks/useBoard.ts): doc,
 * origin (pass it to every shared/schema operation), store, presence, me, canWrite,
 * facilitator. Keep the prop shapes; the board screen relies on them.
 */
import type { ItemId } from '../../shared/ids.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { DotBadge, EstimationPanel } from '../estimation/EstimationPanel.tsx';
import { BacklogToolbar } from '../refinement/BacklogToolbar.tsx';
import { ItemDetailPanel } from '../refinement/ItemDetailPanel.tsx';
import { SessionBar } from '../refinement/SessionBar.tsx';
import { UnreadBadge } from '../refinement/UnreadBadge.tsx';

/**
 * Turn on the board's entry points to a slot once it renders something: the card's
 * "Details" action and title-bar button appear only when `itemDetail` is true.
 */
export const SLOT_FEATURES = {
  itemDetail: true,
} as const;

/** Top of the board, under the header: phase, timer, focus item (issue 3). Full width. */
export function SessionBarSlot() {
  return <SessionBar />;
}

/** Filters shown above the backlog; `filter` hides cards (and disables dragging) while set. */
export type ItemFilter = (item: ItemSnapshot) => boolean;
export interface BacklogToolbarSlotProps {
  filter: ItemFilter | null;
  setFilter: (f: ItemFilter | null) => void;
}
/** Search and filters on the backlog (issue 3), rendered between the add box and the list. */
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

/** Planning-poker panel (issue 4), under the session bar; shown to everyone. */
export function EstimationPanelSlot() {
  return <EstimationPanel />;
}

export interface CardExtrasSlotProps {
  item: ItemSnapshot;
}
/** Small badges at the end of a card's meta row, e.g. dot-vote totals (issue 4). Keep it one line. */
export function CardExtrasSlot(props: CardExtrasSlotProps) {
  return (
    <>
      <DotBadge item={props.item} />
      <UnreadBadge item={props.item} />
    </>
  );
}
