/**
 * "For me" [MEN-3, MEN-4]: a header button with the number of unread entries, opening a
 * panel of what waits on this person (mentions, questions, estimates). Opening the panel
 * marks everything read; opening an item (from here or anywhere) marks its entries read.
 * The markers live in the document, so the count is the same on every device. Viewers
 * keep no markers (POL-14), so they get no inbox.
 */
import { type CSSProperties, useEffect, useId, useRef, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { type InboxEntry, type InboxKind, isUnread } from '../../shared/mentions/inbox.ts';
import { timeLeft } from '../../shared/schema/asyncRound.ts';
import { markInboxItemRead, markInboxRead } from '../../shared/schema/inboxReads.ts';
import { openItemDetail, useOpenItemId } from '../board/itemLink.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { relativeTime } from '../refinement/clock.ts';
import { useMinuteClock } from '../refinement/hooks.ts';
import { useInbox } from './useInbox.ts';
import './inbox.css';

export function InboxButton() {
  const { canContribute } = useBoardContext();
  if (!canContribute) return null;
  return <Inbox />;
}

const GROUPS: { title: string; kinds: readonly InboxKind[] }[] = [
  { title: 'Mentions', kinds: ['comment-mention', 'question-mention', 'answer-mention'] },
  { title: 'Questions waiting on you', kinds: ['question-to-answer', 'question-to-resolve'] },
  { title: 'Waiting for your estimate', kinds: ['estimate'] },
];

function Inbox() {
  const { doc, me } = useBoardContext();
  const { entries, markers, unread } = useInbox();
  const [open, setOpen] = useState(false);
  /** Keys unread when the panel opened: they keep their "new" mark while it stays open. */
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const openItemId = useOpenItemId();
  const now = useMinuteClock();

  // An item's details are open: its entries are read (on this and every other device).
  useEffect(() => {
    if (openItemId) markInboxItemRead(doc, me.userId, openItemId, entries, Date.now());
  }, [doc, me.userId, openItemId, entries]);

  // While the panel is open, whatever arrives is seen too.
  useEffect(() => {
    if (open) markInboxRead(doc, me.userId, entries, Date.now());
  }, [doc, me.userId, open, entries]);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    // Escape closes the panel (focus back on the button) before anything else hears it.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('pointerdown', onDown);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', onDown);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [open]);

  const [top, setTop] = useState(0);
  const toggle = () => {
    if (!open) {
      setFresh(new Set(entries.filter((e) => isUnread(e, markers)).map((e) => e.key)));
      // On phones the panel spans the screen just under the button, wherever the header wrapped it.
      setTop(Math.round(button.current?.getBoundingClientRect().bottom ?? 0) + 6);
    }
    setOpen(!open);
  };
  const go = (entry: InboxEntry) => {
    setOpen(false);
    openItemDetail(entry.itemId as ItemId);
  };

  const label = unread === 0 ? 'For me' : `For me, ${unread} unread`;
  return (
    <div className="inbox" ref={root}>
      <button
        ref={button}
        type="button"
        className={`btn btn-small inbox-button ${unread > 0 ? 'has-unread' : ''}`}
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={label}
        onClick={toggle}
        data-testid="inbox-button"
      >
        For me
        {unread > 0 && (
          <span className="inbox-count" aria-hidden="true" data-testid="inbox-count">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && (
        <section
          id={panelId}
          className="inbox-panel"
          aria-labelledby={`${panelId}-h`}
          data-testid="inbox-panel"
          style={{ '--inbox-top': `${top}px` } as CSSProperties}
        >
          <h2 id={`${panelId}-h`} className="inbox-title">
            For me
          </h2>
          {entries.length === 0 ? (
            <p className="inbox-empty">Nothing waits on you. Mentions, questions for you and rounds to estimate show up here.</p>
          ) : (
            GROUPS.map((g) => {
              const list = entries.filter((e) => g.kinds.includes(e.kind));
              if (list.length === 0) return null;
              return (
                <div key={g.title} className="inbox-group">
                  <h3 className="inbox-group-title">{g.title}</h3>
                  <ul className="inbox-list">
                    {list.map((e) => (
                      <li key={e.key}>
                        <EntryButton entry={e} fresh={fresh.has(e.key)} now={now} onOpen={go} />
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })
          )}
        </section>
      )}
    </div>
  );
}

function what(e: InboxEntry): string {
  switch (e.kind) {
    case 'comment-mention':
      return `${e.from ?? 'Someone'} mentioned you in a comment`;
    case 'question-mention':
      return `${e.from ?? 'Someone'} mentioned you in a question`;
    case 'answer-mention':
      return `${e.from ?? 'Someone'} mentioned you in an answer`;
    case 'question-to-answer':
      return `${e.from ?? 'Someone'} asks you`;
    case 'question-to-resolve':
      return `${e.from ?? 'Someone'} answered your question`;
    case 'estimate':
      return 'Your estimate is needed';
  }
}

function EntryButton({ entry, fresh, now, onOpen }: { entry: InboxEntry; fresh: boolean; now: number; onOpen: (e: InboxEntry) => void }) {
  return (
    <button type="button" className={`inbox-entry ${fresh ? 'is-new' : ''}`} onClick={() => onOpen(entry)} data-testid="inbox-entry" data-kind={entry.kind}>
      <span className="inbox-entry-head">
        {fresh && (
          <span className="inbox-new">
            <span aria-hidden="true">●</span>
            <span className="visually-hidden">New: </span>
          </span>
        )}
        <span className="inbox-entry-what">{what(entry)}</span>
        <span className="inbox-entry-time">
          {entry.kind === 'estimate' && entry.deadline !== undefined ? `due ${timeLeft(entry.deadline, now)}` : relativeTime(entry.at, now)}
        </span>
      </span>
      <span className="inbox-entry-item">{entry.itemTitle}</span>
      {entry.text && <span className="inbox-entry-text">{entry.text}</span>}
    </button>
  );
}
