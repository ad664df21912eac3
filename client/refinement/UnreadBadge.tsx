/** "N new" on a card: comments others wrote since I last opened the item [REF-13]. */
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { unreadFrom } from '../../shared/schema/reads.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { useMyReads } from './hooks.ts';

export function UnreadBadge({ item }: { item: ItemSnapshot }) {
  const { me, canContribute } = useBoardContext();
  const reads = useMyReads();
  if (!canContribute) return null; // viewers keep no markers (POL-14)
  const n = unreadFrom(item.comments, reads.get(item.id) ?? 0, me.userId);
  if (n === 0) return null;
  return (
    <span className="ref-unread" title={`${n} new comment${n === 1 ? '' : 's'} since you last looked`} data-testid="unread-badge">
      {n} new
    </span>
  );
}
