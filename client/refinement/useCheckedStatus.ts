/**
 * Status changes from anywhere on the board (e.g. a card's status menu) go through the
 * ready rule [REF-5]: "Ready" with open questions is refused with a notice, and the item's
 * details open so the PO can resolve or override there.
 */
import { useCallback } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import type { ItemStatus } from '../../shared/schema/item.ts';
import { setStatusChecked } from '../../shared/schema/ready.ts';
import { openItemDetail } from '../board/itemLink.ts';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext } from '../hooks/useBoard.ts';
import { useActor } from './hooks.ts';

export function useCheckedStatus(): (itemId: ItemId, status: ItemStatus) => void {
  const { doc, origin } = useBoardContext();
  const actor = useActor();
  const toasts = useToasts();
  return useCallback(
    (itemId, status) => {
      const r = setStatusChecked(doc, itemId, status, actor, {}, origin);
      if (!r.ok && r.reason === 'open-questions') {
        toasts.show({
          tone: 'warning',
          message: `Not ready yet: ${r.openQuestions} open ${r.openQuestions === 1 ? 'question' : 'questions'}.${r.canOverride ? ' You can override in the details.' : ''}`,
          action: { label: 'Open details', run: () => openItemDetail(itemId) },
        });
      }
    },
    [doc, origin, actor, toasts],
  );
}
