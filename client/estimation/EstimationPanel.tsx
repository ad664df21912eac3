/**
 * The estimation dock: planning poker and dot voting. Beside the backlog on wide screens,
 * above it on narrow ones (a bar at the bottom while an item is open on a phone). It
 * collapses to one summary line ("Round 3 · Guest checkout · 4/6 voted") that anyone can
 * expand; a revealed round can be dismissed by each person.
 */
import { useId, useState, useSyncExternalStore } from 'react';
import { useBoardContext, useItem } from '../hooks/useBoard.ts';
import { AsyncRoundsSection } from './AsyncRounds.tsx';
import { DotVotingSection } from './DotVoting.tsx';
import { useAsyncRounds, useDotsUsed, useDotVoting, usePoker } from './hooks.ts';
import { isRoundShown, PokerSection, useParticipants } from './PokerPanel.tsx';
import './estimation.css';

const WIDE = '(min-width: 1024px)';

function useWide(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const mq = window.matchMedia(WIDE);
      mq.addEventListener('change', notify);
      return () => mq.removeEventListener('change', notify);
    },
    () => window.matchMedia(WIDE).matches,
  );
}

const dismissKey = (boardId: string) => `estimation:dismissed:${boardId}`;

/** The revealed round this person put away, remembered for the tab. */
function useDismissedRound(boardId: string): [number | null, (round: number) => void] {
  const [round, setRound] = useState<number | null>(() => {
    const v = Number(window.sessionStorage.getItem(dismissKey(boardId)));
    return Number.isInteger(v) && v > 0 ? v : null;
  });
  const dismiss = (r: number) => {
    setRound(r);
    try {
      window.sessionStorage.setItem(dismissKey(boardId), String(r));
    } catch {
      // kept for this page only
    }
  };
  return [round, dismiss];
}

export function EstimationPanel({ detailOpen = false }: { detailOpen?: boolean }) {
  const { doc, facilitator, me } = useBoardContext();
  const poker = usePoker(doc);
  const dots = useDotVoting(doc);
  const asyncRounds = useAsyncRounds(doc);
  const wide = useWide();
  const [dismissedRound, dismiss] = useDismissedRound(me.boardId);
  // A person's choice holds for one round and one state of the details: a new round opens
  // the dock again (wide screens), opening an item collapses it to its bar (phones).
  const context = `${poker.round}:${detailOpen}`;
  const [choice, setChoice] = useState<{ context: string; expanded: boolean } | null>(null);
  const bodyId = useId();
  const pokerShown = isRoundShown(poker, dismissedRound);
  // Nothing running and nothing to start: stay out of the way.
  if (!facilitator && !pokerShown && !dots && asyncRounds.length === 0) return null;
  const open = choice?.context === context ? choice.expanded : wide && !detailOpen;
  return (
    <section
      className={`est-panel ${open ? 'is-expanded' : 'is-collapsed'} ${pokerShown && poker.state === 'voting' ? 'is-live' : ''}`}
      aria-label="Estimation"
      data-testid="estimation-panel"
    >
      <button
        type="button"
        className="est-summary"
        aria-expanded={open}
        aria-controls={bodyId}
        onClick={() => setChoice({ context, expanded: !open })}
        data-testid="estimation-summary"
      >
        <Summary pokerShown={pokerShown} />
        <span className="est-summary-toggle" aria-hidden="true">
          {open ? '▴' : '▾'}
        </span>
      </button>
      <div className="est-inner" id={bodyId} hidden={!open}>
        <PokerSection dismissedRound={dismissedRound} onDismiss={dismiss} />
        <AsyncRoundsSection />
        <DotVotingSection />
      </div>
    </section>
  );
}

function Summary({ pokerShown }: { pokerShown: boolean }) {
  const { doc, store, me } = useBoardContext();
  const poker = usePoker(doc);
  const dots = useDotVoting(doc);
  const item = useItem(store, poker.itemId ?? '');
  const participants = useParticipants(poker);
  const used = useDotsUsed(doc, me.userId);
  const asyncRounds = useAsyncRounds(doc);
  const parts: string[] = [];
  if (pokerShown) {
    const voters = participants.filter((p) => !p.nonVoting).length;
    const voted = participants.filter((p) => p.voted).length;
    parts.push(`Round ${poker.round} · ${item?.title || 'Item'} · ${poker.state === 'voting' ? `${voted}/${voters} voted` : 'revealed'}`);
  }
  if (dots?.open) parts.push(`Dots: ${used}/${dots.budget} used`);
  const asyncOpen = asyncRounds.filter((r) => r.state === 'voting').length;
  if (asyncOpen > 0) parts.push(`${asyncOpen} async ${asyncOpen === 1 ? 'round' : 'rounds'} open`);
  return (
    <span className="est-summary-text">
      <span className="est-summary-label">{parts.length > 0 ? 'Estimation' : 'Estimation · nothing running'}</span>
      {parts.map((p) => (
        <span key={p} className="est-summary-part">
          {p}
        </span>
      ))}
    </span>
  );
}

export { DotBadge } from './DotVoting.tsx';
