/**
 * History lists (HIS-1): an item's, in its detail panel, and the board-wide activity feed.
 * Loaded when opened and refreshed while the board changes (at most every few seconds).
 */
import { useEffect, useState } from 'react';
import type { HistoryEvent } from '../../shared/history.ts';
import type { ItemId } from '../../shared/ids.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { ago, describeEvent } from './describe.ts';
import { fetchHistory } from './historyApi.ts';
import './history.css';

function useHistory(itemId: string | null, open: boolean): HistoryEvent[] | null {
  const { me, doc } = useBoardContext();
  const [events, setEvents] = useState<HistoryEvent[] | null>(null);
  useEffect(() => {
    if (!open) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = () => {
      fetchHistory(me.boardId, me.token, itemId)
        .then((page) => live && setEvents(page.events))
        .catch(() => live && setEvents((e) => e ?? []));
    };
    const onUpdate = () => {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        load();
      }, 1500);
    };
    load();
    doc.on('update', onUpdate);
    return () => {
      live = false;
      if (timer !== null) clearTimeout(timer);
      doc.off('update', onUpdate);
    };
  }, [me.boardId, me.token, itemId, open, doc]);
  return events;
}

function EventList({ events, withItem }: { events: HistoryEvent[] | null; withItem: boolean }) {
  const { store } = useBoardContext();
  if (events === null) return <p className="his-empty">Loading…</p>;
  if (events.length === 0) return <p className="his-empty">No changes recorded yet.</p>;
  return (
    <ol className="his-list">
      {events.map((e) => {
        const title = withItem && e.itemId ? store.getItem(e.itemId as ItemId)?.title : null;
        return (
          <li key={`${e.at}-${e.user.id}-${e.kind}-${e.itemId}-${String(e.commentId ?? e.questionId ?? e.field ?? '')}`} className="his-event" data-testid="history-event">
            <span className="his-who">{e.user.name}</span> {describeEvent(e)}
            {title ? <> on “{title}”</> : null}
            {e.note ? <span className="his-note">: {e.note}</span> : null}
            <time className="his-when" dateTime={new Date(e.at).toISOString()} title={new Date(e.at).toLocaleString()}>
              {ago(e.at)}
            </time>
          </li>
        );
      })}
    </ol>
  );
}

/** An item's history, collapsed under its detail panel's sections. */
export function ItemHistory({ itemId }: { itemId: string }) {
  const [open, setOpen] = useState(false);
  const events = useHistory(itemId, open);
  return (
    <details className="his-section" data-testid="item-history" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>History</summary>
      <EventList events={events} withItem={false} />
    </details>
  );
}

/** Everything that happened on the board, newest first. */
export function ActivityFeed() {
  const [open, setOpen] = useState(false);
  const events = useHistory(null, open);
  return (
    <details className="his-section his-feed" data-testid="activity-feed" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Activity</summary>
      <EventList events={events} withItem />
    </details>
  );
}
