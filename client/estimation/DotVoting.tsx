/**
 * Dot voting [EST-10, EST-11]: facilitators open a round (budget, optionally anonymous)
 * and close it; people place and remove their own dots on cards within the budget (the
 * server enforces the same, POL-7/8); after closing, a ranking by dots is a sorted copy
 * of the backlog — the PO's order (ranks) is never touched.
 */
import { useState } from 'react';
import type { UserId } from '../../shared/ids.ts';
import { canPlaceDots, canRunSession } from '../../shared/policy/can.ts';
import { listItems } from '../../shared/schema/board.ts';
import { applyDotOrder } from '../../shared/schema/dotOrder.ts';
import { changeMyDots, closeDotRound, DEFAULT_DOT_BUDGET, openDotRound, setStakeholderDots, sortByDots } from '../../shared/schema/dots.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext, usePeople } from '../hooks/useBoard.ts';
import { useDotsUsed, useDotVoting, useStakeholderDots } from './hooks.ts';

export function DotVotingSection() {
  const { doc, origin, me } = useBoardContext();
  const voting = useDotVoting(doc);
  const stakeholderDots = useStakeholderDots(doc);
  const facilitator = canRunSession(me.role);
  const [budget, setBudget] = useState(DEFAULT_DOT_BUDGET);
  const [anonymous, setAnonymous] = useState(false);
  const [showRanking, setShowRanking] = useState(false);
  const [applied, setApplied] = useState<string | null>(null);
  const used = useDotsUsed(doc, me.userId);
  // Ranked when asked, after the round closed (dots no longer change then).
  const ranking = showRanking ? sortByDots(listItems(doc)).filter((i) => i.dotTotal > 0) : [];

  if (!voting && !facilitator) return null;
  return (
    <div className="est-dots" data-testid="dot-voting">
      <span className="eyebrow">Dot voting</span>
      {voting?.open ? (
        <span className="est-dots-status" data-testid="dot-status">
          Open{voting.anonymous ? ' · anonymous' : ''} · you used <strong>{used}</strong> of {voting.budget} dots
        </span>
      ) : voting ? (
        <span className="est-dots-status muted">Round {voting.round} closed</span>
      ) : null}
      {facilitator &&
        (voting?.open ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => closeDotRound(doc, Date.now(), origin)}>
            Close dot voting
          </button>
        ) : (
          <span className="est-dots-open">
            <label className="est-check">
              Dots each
              <input
                type="number"
                className="input est-budget"
                min={1}
                max={50}
                value={budget}
                onChange={(e) => setBudget(Math.max(1, Math.min(50, Number(e.target.value) || 1)))}
              />
            </label>
            <label className="est-check">
              <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
              Anonymous
            </label>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              onClick={() => openDotRound(doc, { budget, anonymous }, origin)}
              data-testid="dot-open"
            >
              {voting ? 'New dot round' : 'Open dot voting'}
            </button>
          </span>
        ))}
      {facilitator && (
        <label className="est-check">
          <input
            type="checkbox"
            checked={stakeholderDots}
            onChange={(e) => setStakeholderDots(doc, e.target.checked, origin)}
            data-testid="stakeholder-dots"
          />
          Stakeholders may place dots
        </label>
      )}
      {voting && !voting.open && (
        <button type="button" className="btn btn-ghost btn-small" aria-pressed={showRanking} onClick={() => setShowRanking((v) => !v)}>
          {showRanking ? 'Hide ranking by dots' : 'Rank a copy by dots'}
        </button>
      )}
      {voting && !voting.open && me.role === 'po' && (
        <button
          type="button"
          className="btn btn-ghost btn-small"
          data-testid="apply-dot-order"
          onClick={() => {
            const moved = applyDotOrder(doc, origin);
            setApplied(moved === 0 ? 'The backlog is already in dot order.' : `Backlog ordered by dots (${moved} moved). Undo puts it back.`);
          }}
        >
          Apply dot order
        </button>
      )}
      {applied && (
        <span className="est-dots-status" role="status" data-testid="dot-order-applied">
          {applied}
        </span>
      )}
      {showRanking && voting && !voting.open && (
        <ol className="est-dot-ranking" aria-label="Items by dots (a copy; the backlog order is unchanged)">
          {ranking.length === 0 && <li className="muted small">No dots were placed.</li>}
          {ranking.map((item) => (
            <li key={item.id}>
              <span className="est-dot-count">● {item.dotTotal}</span> {item.title}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** On each card: the dot total, and +/− for your own dots while a round is open. */
export function DotBadge({ item }: { item: ItemSnapshot }) {
  const { doc, origin, me, presence } = useBoardContext();
  const voting = useDotVoting(doc);
  const stakeholderDots = useStakeholderDots(doc);
  const people = usePeople(presence);
  const toasts = useToasts();
  const used = useDotsUsed(doc, me.userId);
  const open = voting?.open === true;
  if (!open && item.dotTotal === 0) return null;
  const mine = item.dots[me.userId] ?? 0;
  const mayPlace = canPlaceDots({ role: me.role, userId: me.userId }, open, stakeholderDots);
  // Anonymous rounds show totals only; otherwise name who placed them (on hover).
  const names = voting?.anonymous
    ? ''
    : Object.entries(item.dots)
        .map(([id, n]) => `${people.find((p) => p.user.id === id)?.user.name ?? 'Someone'} ×${n}`)
        .join(', ');
  const change = (delta: 1 | -1) => {
    const refusal = changeMyDots(doc, item.id, me.userId as UserId, delta, origin);
    if (refusal === 'budget') toasts.show({ tone: 'warning', message: `You have used all ${voting?.budget ?? ''} dots.` });
  };
  return (
    <span className="est-dot-badge" data-testid="dot-badge" title={names || undefined}>
      {mayPlace && (
        <button type="button" className="est-dot-btn" aria-label={`Remove one of your dots from ${item.title}`} disabled={mine === 0} onClick={() => change(-1)}>
          −
        </button>
      )}
      <span className="est-dot-total">
        <span aria-hidden="true">● </span>
        {item.dotTotal}
        <span className="visually-hidden"> dots{mine ? `, ${mine} yours` : ''}</span>
      </span>
      {mayPlace && (
        <button
          type="button"
          className="est-dot-btn"
          aria-label={`Place a dot on ${item.title}`}
          title={voting && used >= voting.budget ? `You have placed all ${voting.budget} dots` : undefined}
          disabled={voting !== null && used >= voting.budget}
          onClick={() => change(1)}
        >
          +
        </button>
      )}
    </span>
  );
}
