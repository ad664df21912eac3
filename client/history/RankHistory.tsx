/**
 * A card's rank number that, on hover or focus, tells who last moved the card and why:
 * "moved by Ada 2 h ago: customer escalation" (HIS-1). Fetched lazily, on the first hover,
 * and cached briefly so sweeping the mouse over the list costs one request per card.
 */
import { useId, useState } from 'react';
import type { HistoryEvent } from '../../shared/history.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { ago } from './describe.ts';
import { fetchHistory } from './historyApi.ts';
import './history.css';

const CACHE_MS = 30_000;
const cache = new Map<string, { fetchedAt: number; move: Promise<HistoryEvent | null> }>();

/** The item's latest move, from the history endpoint (or the brief cache). */
export function lastMove(boardId: string, token: string, itemId: string, now = Date.now()): Promise<HistoryEvent | null> {
  const key = `${boardId}/${itemId}`;
  const hit = cache.get(key);
  if (hit && now - hit.fetchedAt < CACHE_MS) return hit.move;
  const move = fetchHistory(boardId, token, itemId, 50)
    .then((page) => page.events.find((e) => e.kind === 'moved') ?? null)
    .catch(() => {
      cache.delete(key);
      return null;
    });
  cache.set(key, { fetchedAt: now, move });
  return move;
}

export function describeLastMove(e: HistoryEvent | null): string {
  if (!e) return 'Not moved since the history began';
  return `moved by ${e.user.name} ${ago(e.at)}${e.note ? `: ${e.note}` : ''}`;
}

export function RankHistory({ itemId, rank }: { itemId: string; rank: number }) {
  const { me } = useBoardContext();
  const [tip, setTip] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const tipId = useId();
  const show = () => {
    setOpen(true);
    void lastMove(me.boardId, me.token, itemId).then((e) => setTip(describeLastMove(e)));
  };
  const hide = () => setOpen(false);
  return (
    <button
      type="button"
      className="card-rank his-rank"
      aria-label={`Rank ${rank}: who moved it last`}
      aria-describedby={open && tip ? tipId : undefined}
      onMouseEnter={show}
      onMouseLeave={hide}
      onFocus={show}
      onBlur={hide}
      data-testid="card-rank"
    >
      {rank}
      {open && tip && (
        <span className="his-rank-tip" role="tooltip" id={tipId} data-testid="rank-history">
          {tip}
        </span>
      )}
    </button>
  );
}
