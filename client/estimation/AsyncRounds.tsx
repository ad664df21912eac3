/**
 * Async planning poker [EST-12…17]: facilitators open a round on an item with a deadline
 * (hours or days) and, optionally, the people they invite; everyone who may vote finds it
 * under "Waiting for your estimate" (with a count badge) whenever they open the board,
 * picks a card and may add a short comment and a confidence. Votes go to the server only;
 * the document shows who has voted, and the server reveals at the deadline, when every
 * invited voter has voted, or when a facilitator reveals early.
 */
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { LIMITS } from '../../shared/limits.ts';
import { canVote } from '../../shared/policy/can.ts';
import {
  type AsyncRound,
  type Confidence,
  isInvited,
  knownVoters,
  timeLeft,
  waitingFor,
} from '../../shared/schema/asyncRound.ts';
import { roundStats } from '../../shared/schema/estimation.ts';
import { ApiFailure, type MyAsyncVote } from '../api.ts';
import { ItemPicker } from '../components/ItemPicker.tsx';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext, useItem, usePeople } from '../hooks/useBoard.ts';
import { useAsyncPokerApi, useAsyncRounds } from './hooks.ts';
import './async.css';

const HOUR = 3_600_000;

/** The current time, refreshed every `ms` so "in 3 h" stays true. */
function useNow(ms = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

function useRun() {
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    try {
      await fn();
      return true;
    } catch (err) {
      toasts.show({ tone: 'warning', message: err instanceof ApiFailure ? err.message : 'That did not work.' });
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

export function AsyncRoundsSection() {
  const { doc, me, facilitator } = useBoardContext();
  const api = useAsyncPokerApi();
  const rounds = useAsyncRounds(doc);
  const now = useNow();
  const [mine, setMine] = useState<ReadonlyMap<number, MyAsyncVote>>(new Map());
  const voter = canVote(me.role);
  const waiting = useMemo(() => waitingFor(rounds, me), [rounds, me]);
  const open = rounds.filter((r) => r.state === 'voting').sort((a, b) => a.deadline - b.deadline);
  const revealed = rounds
    .filter((r) => r.state === 'revealed')
    .sort((a, b) => (b.revealedAt ?? 0) - (a.revealedAt ?? 0))
    .slice(0, 3);
  const votedKey = open.filter((r) => r.voted.includes(me.userId as never)).map((r) => r.round).join(',');

  // The server tells us our own votes (and only ours), e.g. after a reload.
  useEffect(() => {
    if (!voter || votedKey === '') return;
    let live = true;
    api.myVotes().then(
      (r) => live && setMine(new Map(r.votes.map((v) => [v.round, v]))),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, voter, votedKey]);
  const remember = useCallback((v: MyAsyncVote) => setMine((m) => new Map(m).set(v.round, v)), []);

  if (!facilitator && rounds.length === 0) return null;
  const others = open.filter((r) => !waiting.includes(r));
  return (
    <div className="est-async" data-testid="async-rounds">
      <div className="est-async-head">
        <span className="eyebrow">Async estimation</span>
        {voter && (
          <span className={`badge est-async-count ${waiting.length > 0 ? 'has-waiting' : ''}`} data-testid="async-waiting-count">
            {waiting.length}
            <span className="visually-hidden"> {waiting.length === 1 ? 'round is' : 'rounds are'} waiting for your estimate</span>
          </span>
        )}
      </div>
      {waiting.length > 0 && (
        <section className="est-async-group" aria-labelledby="async-waiting-heading">
          <h4 id="async-waiting-heading" className="est-async-title">
            Waiting for your estimate
          </h4>
          <ul className="est-async-list">
            {waiting.map((r) => (
              <li key={r.round} className="est-async-row" data-testid="async-waiting">
                <RoundLine round={r} now={now} />
                <VoteForm round={r} onVoted={remember} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {others.length > 0 && (
        <section className="est-async-group" aria-label="Open async rounds">
          <ul className="est-async-list">
            {others.map((r) => (
              <OpenRound key={r.round} round={r} now={now} mine={mine.get(r.round) ?? null} onVoted={remember} />
            ))}
          </ul>
        </section>
      )}
      {revealed.length > 0 && (
        <section className="est-async-group" aria-label="Revealed async rounds">
          <ul className="est-async-list">
            {revealed.map((r) => (
              <li key={r.round} className="est-async-row" data-testid="async-revealed">
                <RevealedRound round={r} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {facilitator && <StartAsyncRound rounds={rounds} />}
    </div>
  );
}

function ItemTitle({ itemId }: { itemId: string }) {
  const { store } = useBoardContext();
  const item = useItem(store, itemId);
  return <strong className="est-async-item">{item?.title || 'Untitled item'}</strong>;
}

function RoundLine({ round, now }: { round: AsyncRound; now: number }) {
  const invited = Object.keys(round.invited).length;
  return (
    <div className="est-async-line">
      <ItemTitle itemId={round.itemId} />
      <span className="small muted">
        {round.voted.length}
        {invited > 0 ? ` of ${invited}` : ''} voted · reveals {timeLeft(round.deadline, now)}
      </span>
    </div>
  );
}

function OpenRound({ round, now, mine, onVoted }: { round: AsyncRound; now: number; mine: MyAsyncVote | null; onVoted: (v: MyAsyncVote) => void }) {
  const { me, facilitator } = useBoardContext();
  const api = useAsyncPokerApi();
  const { busy, run } = useRun();
  const [changing, setChanging] = useState(false);
  const mayVote = isInvited(round, me);
  return (
    <li className="est-async-row" data-testid="async-open">
      <RoundLine round={round} now={now} />
      <div className="est-async-actions">
        {mine && !changing && (
          <span className="small" data-testid="async-my-vote">
            Your estimate: <strong>{mine.value}</strong>
            {mine.confidence ? ` (${mine.confidence} confidence)` : ''}
          </span>
        )}
        {mayVote && mine && !changing && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setChanging(true)}>
            Change
          </button>
        )}
        {facilitator && (
          <button type="button" className="btn btn-small" disabled={busy} onClick={() => run(() => api.reveal(round.round))} data-testid="async-reveal">
            Reveal now
          </button>
        )}
      </div>
      {changing && (
        <VoteForm
          round={round}
          initial={mine}
          onVoted={(v) => {
            onVoted(v);
            setChanging(false);
          }}
        />
      )}
    </li>
  );
}

function VoteForm({ round, initial = null, onVoted }: { round: AsyncRound; initial?: MyAsyncVote | null; onVoted: (v: MyAsyncVote) => void }) {
  const api = useAsyncPokerApi();
  const { busy, run } = useRun();
  const [card, setCard] = useState<string | null>(initial?.value ?? null);
  const [comment, setComment] = useState(initial?.comment ?? '');
  const [confidence, setConfidence] = useState<Confidence | null>(initial?.confidence ?? null);
  const id = `async-${round.round}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (card === null) return;
    void run(async () => onVoted(await api.vote(round.round, card, comment, confidence)));
  };
  return (
    <form className="est-async-form" onSubmit={submit} data-testid="async-vote-form">
      <fieldset className="est-cards">
        <legend className="visually-hidden">Your card</legend>
        {round.deck.map((c) => (
          <button
            key={c}
            type="button"
            className={`est-card est-card-small ${card === c ? 'is-picked' : ''}`}
            aria-pressed={card === c}
            onClick={() => setCard(c)}
            data-testid={`async-card-${c}`}
          >
            {c}
          </button>
        ))}
      </fieldset>
      <div className="est-async-note">
        <label className="est-async-comment" htmlFor={`${id}-comment`}>
          <span className="small muted">Comment (optional, shown at reveal)</span>
          <input
            id={`${id}-comment`}
            className="input"
            maxLength={LIMITS.maxVoteCommentLength}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="What drives your estimate?"
            data-testid="async-comment"
          />
        </label>
        <fieldset className="est-async-confidence">
          <legend className="small muted">Confidence</legend>
          {(['low', 'high'] as const).map((c) => (
            <label key={c} className="est-check">
              <input type="radio" name={`${id}-confidence`} checked={confidence === c} onChange={() => setConfidence(c)} data-testid={`async-confidence-${c}`} />
              {c === 'low' ? 'Low' : 'High'}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || card === null} data-testid="async-send">
          {initial ? 'Change estimate' : 'Send estimate'}
        </button>
      </div>
    </form>
  );
}

function RevealedRound({ round }: { round: AsyncRound }) {
  const stats = roundStats(round.deck, round.results);
  const entries = Object.entries(round.results);
  const why = round.revealReason === 'deadline' ? 'at its deadline' : round.revealReason === 'all-voted' ? 'when everyone had voted' : 'by the facilitator';
  return (
    <>
      <div className="est-async-line">
        <ItemTitle itemId={round.itemId} />
        <span className="small muted">
          Revealed {why}
          {stats.median !== null ? ` · median ${stats.median}` : ''}
          {stats.consensus ? ' · consensus' : ''}
        </span>
      </div>
      {entries.length === 0 ? (
        <p className="small muted">Nobody voted.</p>
      ) : (
        <ul className="est-async-results" aria-label="Votes">
          {entries.map(([user, value]) => {
            const note = round.notes[user];
            return (
              <li key={user} className="est-async-result" data-testid="async-result">
                <span className="est-vote-card">{value}</span>
                <span>
                  <strong>{round.names[user] || 'Someone'}</strong>
                  {note?.confidence && <span className={`est-async-conf is-${note.confidence}`}>{note.confidence} confidence</span>}
                  {note?.comment && <span className="est-async-said">“{note.comment}”</span>}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}

/** Facilitators: pick an item, how long the round runs, and (optionally) who is invited. */
function StartAsyncRound({ rounds }: { rounds: readonly AsyncRound[] }) {
  const { doc, presence, me } = useBoardContext();
  const api = useAsyncPokerApi();
  const people = usePeople(presence);
  const { busy, run } = useRun();
  const [itemId, setItemId] = useState<ItemId | null>(null);
  const [amount, setAmount] = useState(24);
  const [unit, setUnit] = useState<'hours' | 'days'>('hours');
  const [invited, setInvited] = useState<ReadonlySet<string>>(new Set());
  // `rounds` changes whenever the names the document knows do (knownVoters reads them).
  // biome-ignore lint/correctness/useExhaustiveDependencies: rounds stands for the doc's estimation root
  const candidates = useMemo(() => {
    const known: Record<string, string> = { ...knownVoters(doc) };
    for (const p of people) if (canVote(p.user.role)) known[p.user.id] = p.user.name;
    if (canVote(me.role)) known[me.userId] = me.name;
    return Object.entries(known).sort((a, b) => a[1].localeCompare(b[1]));
  }, [doc, people, me, rounds]);
  const busyItem = itemId !== null && rounds.some((r) => r.itemId === itemId && r.state === 'voting');
  const pick = useCallback((id: ItemId | null) => setItemId(id), []);
  const start = () =>
    run(async () => {
      if (!itemId) return;
      const ms = Math.max(1, amount) * (unit === 'days' ? 24 * HOUR : HOUR);
      await api.start(itemId, Date.now() + ms, [...invited]);
      setItemId(null);
      setInvited(new Set());
    });
  return (
    <details className="est-async-start" data-testid="async-start">
      <summary>Open an async round</summary>
      <div className="est-async-start-body">
        <ItemPicker value={itemId} onChange={pick} label="Item to estimate" testId="async-item-picker" />
        <label className="est-check">
          Reveal in
          <input
            type="number"
            className="input est-async-amount"
            min={1}
            max={unit === 'days' ? 14 : 336}
            value={amount}
            onChange={(e) => setAmount(Math.max(1, Number(e.target.value) || 1))}
            data-testid="async-amount"
          />
          <select className="input est-async-unit" value={unit} onChange={(e) => setUnit(e.target.value as 'hours' | 'days')} aria-label="Unit" data-testid="async-unit">
            <option value="hours">hours</option>
            <option value="days">days</option>
          </select>
        </label>
        <fieldset className="est-async-invite">
          <legend className="small muted">Invite (none: the whole team, revealed at the deadline)</legend>
          {candidates.map(([id, name]) => (
            <label key={id} className="est-check">
              <input
                type="checkbox"
                checked={invited.has(id)}
                onChange={(e) =>
                  setInvited((s) => {
                    const next = new Set(s);
                    if (e.target.checked) next.add(id);
                    else next.delete(id);
                    return next;
                  })
                }
              />
              {name}
            </label>
          ))}
        </fieldset>
        <button type="button" className="btn btn-primary btn-small" disabled={busy || !itemId || busyItem} onClick={start} data-testid="async-open-round">
          Open round
        </button>
        {busyItem && <span className="small muted">This item already has an open round.</span>}
      </div>
    </details>
  );
}
