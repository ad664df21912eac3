/**
 * Status changes from anywhere on the board (e.g. a card's status menu) go through the
 * ready rule [REF-5, DOR-4]: "Ready" with a failing check is refused; the item's details explain
 * it and offer the PO's override — at once when they are open on that item, else from a
 * notice whose "Open details" opens them with the explanation showing [UX-6].
 */
import { useCallback } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import type { ItemStatus } from '../../shared/schema/item.ts';
import { setStatusChecked } from '../../shared/schema/ready.ts';
import { ITEM_PARAM, openItemDetail } from '../board/itemLink.ts';
import { requestReadyOverride } from './readyRequest.ts';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext } from '../hooks/useBoard.ts';
import { notReadyShort } from '../ready/readyMessages.ts';
import { useActor } from './hooks.ts';

export function useCheckedStatus(): (itemId: ItemId, status: ItemStatus) => void {
  const { doc, origin } = useBoardContext();
  const actor = useActor();
  const toasts = useToasts();
  return useCallback(
    (itemId, status) => {
      const r = setStatusChecked(doc, itemId, status, actor, {}, origin);
      if (!r.ok && r.reason === 'not-ready') {
        // [UX-6] The details of this item are open: explain (and offer the override) there.
        if (new URLSearchParams(window.location.search).get(ITEM_PARAM) === itemId) {
          requestReadyOverride(itemId);
          return;
        }
        toasts.show({
          tone: 'warning',
          message: `${notReadyShort(r.failing, r.openQuestions)}${r.canOverride ? ' Open the details to mark it ready anyway.' : ''}`,
          action: {
            label: 'Open details',
            run: () => {
              openItemDetail(itemId);
              requestReadyOverride(itemId);
            },
          },
        });
      }
    },
    [doc, origin, actor, toasts],
  );
}
