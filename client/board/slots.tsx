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
import { LazyPart, lazyPart } from '../components/LazyPart.tsx';
import { DotBadge, EstimationPanel } from '../estimation/EstimationPanel.tsx';
import { Digest } from '../history/Digest.tsx';
import { InboxButton } from '../inbox/InboxButton.tsx';
import { MoveReasonToasts } from '../history/MoveReasonToast.tsx';
import { ShareButton } from '../invite/ShareDialog.tsx';
import { SprintBadge } from '../planning/SprintBadge.tsx';
import { BacklogToolbar } from '../refinement/BacklogToolbar.tsx';
import { SessionBar } from '../refinement/SessionBar.tsx';
import { DefinitionOfReadyMenuItem } from '../ready/DefinitionOfReadyDialog.tsx';
import { UnreadBadge } from '../refinement/UnreadBadge.tsx';
import { TransferMenu } from '../transfer/TransferMenu.tsx';

// Its own chunk, loaded when an item is first opened (issue 16).
const ItemDetailPanel = lazyPart(() => import('../refinement/ItemDetailPanel.tsx').then((m) => m.ItemDetailPanel));

/** Top of the board, under the header: phase, timer, focus item, follow. Sticky with the header. */
export function SessionBarSlot() {
  return (
    <>
      <Digest />
      <MoveReasonToasts />
      <SessionBar />
    </>
  );
}

/**
 * Buttons at the right of the header, before presence (e.g. Share / invite, Import,
 * Export). One element per feature, each a small button or menu; keep them compact, the
 * header wraps on phones.
 */
export function HeaderActionsSlot() {
  return (
    <>
      <TransferMenu />
      <ShareButton />
      <InboxButton />
    </>
  );
}

/** Board settings inside the header's own menu (under your name), above "Leave board". */
export function HeaderMenuSlot() {
  return <DefinitionOfReadyMenuItem />;
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
 * Rendered in the side column of `.board-main` (`.has-detail` while `?item` is set: backlog
 * left, panel right; under 1024px the panel covers the list); the panel styles itself.
 * Opened by openItemDetail(id) in client/board/itemLink.ts, which sets `?item=<id>`.
 */
export function ItemDetailSlot(props: ItemDetailSlotProps) {
  // Closed, the panel renders nothing: only an open item needs its chunk.
  if (!props.itemId) return null;
  return (
    <LazyPart what="the item">
      <ItemDetailPanel {...props} />
    </LazyPart>
  );
}

export interface EstimationPanelSlotProps {
  /** An item's details are open: the dock starts collapsed (a bar on phones). */
  detailOpen: boolean;
}
/** Planning poker and dot voting, docked in the side column (above the list when narrow). */
export function EstimationPanelSlot(props: EstimationPanelSlotProps) {
  return <EstimationPanel detailOpen={props.detailOpen} />;
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
