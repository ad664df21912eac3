/**
 * Planning poker [EST-1..9]: facilitators start a round on an item, voters pick a card
 * (sent to the server only, never into the document), everyone sees who has voted, the
 * facilitator reveals (or the server does, with auto-reveal), then the results chart,
 * median/mean/outliers/consensus, the agreed estimate and a re-vote.
 */
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { canSetEstimate, canVote } from '../../shared/policy/can.ts';
import { DECK_LABELS, isDeckName, type PokerSnapshot, type RoundRecord, roundStats, suggestedEstimate } from '../../shared/schema/estimation.ts';
import { MAX_ESTIMATE_LENGTH } from '../../shared/schema/item.ts';
import { DECKS, type DeckName } from '../../shared/schema/meta.ts';
import { ApiFailure } from '../api.ts';
import { ItemPicker } from '../components/ItemPicker.tsx';
import { useToasts } from '../components/Toasts.tsx';
import { useBoardContext, useItem, useMeta, usePeople, useSession } from '../hooks/useBoard.ts';
import { readItemHistory, usePoker, usePokerApi } from './hooks.ts';

function useRun() {
  const toasts = useToasts();
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
    } catch (err) {
      toasts.show({ tone: 'warning', message: err instanceof ApiFailure ? err.message : 'That did not work.' });
    } finally {
      setBusy(false);
    }
  };
  return { busy, run };
}

/** A round is shown while it runs, and after reveal until this person dismisses it. */
export function isRoundShown(poker: PokerSnapshot, dismissedRound: number | null): boolean {
  if (poker.round === 0 || !poker.itemId || !poker.state) return false;
  return !(poker.state === 'revealed' && dismissedRound === poker.round);
}

export function PokerSection({ dismissedRound, onDismiss }: { dismissedRound: number | null; onDismiss: (round: number) => void }) {
  const { doc, store, facilitator } = useBoardContext();
  const poker = usePoker(doc);
  const item = useItem(store, poker.itemId ?? '');
  const [choosingNew, setChoosingNew] = useState(false);
  if (!isRoundShown(poker, dismissedRound)) {
    return facilitator ? <StartRound /> : <p className="est-idle muted">No estimation round is running.</p>;
  }
  return (
    <div className="est-poker" data-testid="poker" data-state={poker.state}>
      <div className="est-poker-head">
        <span className="eyebrow">Planning poker · round {poker.round}</span>
        <h3 className="est-item-title" data-testid="poker-item">
          {item?.title ?? 'Item'}
        </h3>
        <span className={`badge est-state est-state-${poker.state}`}>{poker.state === 'voting' ? 'Voting' : 'Revealed'}</span>
      </div>
      {poker.state === 'voting' ? <Voting poker={poker} /> : <Revealed poker={poker} />}
      {poker.state === 'revealed' && (
        <div className="est-next">
          {facilitator && <RevoteButton poker={poker} />}
          {facilitator && (
            <button type="button" className="btn btn-small" aria-expanded={choosingNew} onClick={() => setChoosingNew((v) => !v)} data-testid="poker-new-round">
              New round…
            </button>
          )}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => onDismiss(poker.round)} data-testid="poker-dismiss">
            Dismiss results
          </button>
        </div>
      )}
      {facilitator && poker.state === 'revealed' && choosingNew && <StartRound compact lastDeck={poker.deck} />}
    </div>
  );
}

/** [UX-4] Re-vote: the same item with the same cards, whatever the focus is now. */
function RevoteButton({ poker }: { poker: PokerSnapshot }) {
  const api = usePokerApi();
  const { busy, run } = useRun();
  return (
    <button
      type="button"
      className="btn btn-primary btn-small"
      disabled={busy || !poker.itemId}
      onClick={() => run(() => api.start(poker.itemId!, poker.deck))}
      data-testid="poker-revote"
    >
      Re-vote
    </button>
  );
}

/** The named deck with exactly these cards, so "new round" keeps the deck just used. */
function deckNameOf(cards: readonly string[] | undefined): DeckName | null {
  if (!cards) return null;
  const names = Object.keys(DECKS) as DeckName[];
  return names.find((n) => DECKS[n].length === cards.length && DECKS[n].every((c, i) => c === cards[i])) ?? null;
}

/** Facilitators: pick the item (the focus item by default) and the deck, then start. */
function StartRound({ compact = false, lastDeck }: { compact?: boolean; lastDeck?: readonly string[] }) {
  const { store, doc } = useBoardContext();
  const api = usePokerApi();
  const session = useSession(store);
  const meta = useMeta(store);
  const poker = usePoker(doc);
  const [itemId, setItemId] = useState<string>('');
  const [deck, setDeck] = useState<'board' | DeckName>(() => deckNameOf(lastDeck) ?? 'board');
  const [customText, setCustomText] = useState('');
  const { busy, run } = useRun();
  // Primitive snapshots, not the whole order: this form must not re-render on every move.
  const pickedIsActive = useSyncExternalStore(store.subscribe, () => itemId !== '' && isActive(store.getItem(itemId)));
  const firstId = useSyncExternalStore(store.subscribe, () => store.getOrder()[0] ?? '');
  const chosen = pickedIsActive ? itemId : (session.focusItemId ?? poker.itemId ?? firstId);
  const pick = useCallback((id: ItemId | null) => setItemId(id ?? ''), []);
  const boardDeck = meta.deck.join(' ');

  return (
    <div className={`est-start ${compact ? 'est-start-compact' : ''}`} data-testid="poker-start">
      {!compact && <span className="eyebrow">Planning poker</span>}
      <ItemPicker value={chosen || null} onChange={pick} label="Item to estimate" className="est-item-picker" testId="poker-item-picker" />
      <label className="est-field">
        <span className="visually-hidden">Deck</span>
        <select
          className="input est-select"
          value={deck}
          onChange={(e) => setDeck(isDeckName(e.target.value) ? e.target.value : 'board')}
          aria-label="Deck"
        >
          <option value="board" title={boardDeck}>
            Board deck
          </option>
          {(Object.keys(DECKS) as DeckName[]).map((name) => (
            <option key={name} value={name}>
              {DECK_LABELS[name]}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="btn btn-primary btn-small"
        disabled={busy || !chosen}
        onClick={() => run(() => api.start(chosen, deck === 'board' ? undefined : deck))}
        data-testid="poker-start-button"
      >
        {compact ? 'Start new round' : 'Start estimating'}
      </button>
      {!compact && (
        <form
          className="est-custom-deck"
          onSubmit={(e) => {
            e.preventDefault();
            const cards = customText
              .split(/[,\s]+/)
              .map((c) => c.trim())
              .filter(Boolean);
            void run(async () => {
              await api.setDeck(cards);
              setCustomText('');
            });
          }}
        >
          <input
            className="input est-deck-input"
            placeholder="Custom board deck: 1, 2, 3, ?, ☕"
            aria-label="Custom board deck, cards separated by commas"
            value={customText}
            onChange={(e) => setCustomText(e.target.value)}
          />
          <button type="submit" className="btn btn-ghost btn-small" disabled={busy || !customText.trim()}>
            Save deck
          </button>
        </form>
      )}
    </div>
  );
}

const isActive = (item: { archivedAt: number | null } | null) => item !== null && item.archivedAt === null;

interface Participant {
  id: string;
  name: string;
  voted: boolean;
  nonVoting: boolean;
}

/** Everyone present who can vote, plus anyone who voted and left: who, never what. */
export function useParticipants(poker: PokerSnapshot): Participant[] {
  const { presence } = useBoardContext();
  const people = usePeople(presence);
  return useMemo(() => {
    const byId = new Map<string, Participant>();
    for (const p of people) {
      if (!canVote(p.user.role) || byId.has(p.user.id)) continue;
      byId.set(p.user.id, { id: p.user.id, name: p.user.name, voted: false, nonVoting: false });
    }
    for (const id of poker.voted) if (!byId.has(id)) byId.set(id, { id, name: poker.names[id] ?? 'Someone', voted: true, nonVoting: false });
    for (const p of byId.values()) {
      p.voted = poker.voted.includes(p.id as never);
      p.nonVoting = poker.nonVoters.includes(p.id as never);
    }
    return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
  }, [people, poker]);
}

function Voting({ poker }: { poker: PokerSnapshot }) {
  const { me, canWrite, facilitator } = useBoardContext();
  const api = usePokerApi();
  const { busy, run } = useRun();
  const [mine, setMine] = useState<{ round: number; value: string | null } | null>(null);
  const participants = useParticipants(poker);
  const nonVoting = poker.nonVoters.includes(me.userId as never);
  const canVote = canWrite && !nonVoting;

  // After a reload the server tells us our own vote (and only ours).
  useEffect(() => {
    let live = true;
    if (!canWrite) return;
    api.myVote().then(
      (r) => live && r.round === poker.round && setMine({ round: r.round, value: r.value }),
      () => {},
    );
    return () => {
      live = false;
    };
  }, [api, canWrite, poker.round]);
  const myValue = mine?.round === poker.round ? mine.value : null;
  const votedCount = participants.filter((p) => p.voted).length;
  const voterCount = participants.filter((p) => !p.nonVoting).length;

  return (
    <div className="est-voting">
      {canVote ? (
        <fieldset className="est-cards">
          <legend className="visually-hidden">Your card</legend>
          {poker.deck.map((card) => (
            <button
              key={card}
              type="button"
              className={`est-card ${myValue === card ? 'is-picked' : ''}`}
              aria-pressed={myValue === card}
              disabled={busy}
              onClick={() =>
                run(async () => {
                  await api.vote(poker.round, card);
                  setMine({ round: poker.round, value: card });
                })
              }
              data-testid={`poker-card-${card}`}
            >
              {card}
            </button>
          ))}
        </fieldset>
      ) : (
        <p className="muted small">{canWrite ? 'You are not voting in this round.' : 'You follow the round; only the team votes.'}</p>
      )}
      <div className="est-voters" aria-live="polite" data-testid="poker-voters">
        <span className="small muted">
          {votedCount} of {voterCount} voted
        </span>
        <ul className="est-voter-list">
          {participants.map((p) => (
            <li key={p.id} className={`est-voter ${p.voted ? 'has-voted' : ''} ${p.nonVoting ? 'is-nonvoting' : ''}`}>
              <span className="est-voter-mark" aria-hidden="true">
                {p.nonVoting ? '–' : p.voted ? '✓' : '…'}
              </span>
              {p.name}
              <span className="visually-hidden">{p.nonVoting ? ' is not voting' : p.voted ? ' has voted' : ' has not voted yet'}</span>
            </li>
          ))}
        </ul>
      </div>
      <div className="est-actions">
        {canWrite && (
          <label className="est-check">
            <input type="checkbox" checked={nonVoting} disabled={busy} onChange={(e) => run(() => api.participation(!e.target.checked))} />
            I'm not voting
          </label>
        )}
        {facilitator && (
          <>
            <label className="est-check">
              <input
                type="checkbox"
                checked={poker.autoReveal}
                disabled={busy}
                onChange={(e) => run(() => api.options(e.target.checked))}
              />
              Auto-reveal when everyone has voted
            </label>
            <button
              type="button"
              className="btn btn-primary btn-small"
              disabled={busy}
              onClick={() => run(() => api.reveal(poker.round))}
              data-testid="poker-reveal"
            >
              Reveal votes
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={busy}
              title="Stop this round without revealing anything; no result is kept"
              onClick={() => run(() => api.cancel(poker.round))}
              data-testid="poker-cancel"
            >
              Cancel round
            </button>
          </>
        )}
      </div>
    </div>
  );
}

const fmtMean = (n: number | null) => (n === null ? '—' : Number.isInteger(n) ? String(n) : n.toFixed(1));

function Revealed({ poker }: { poker: PokerSnapshot }) {
  const { doc, store, me } = useBoardContext();
  const stats = useMemo(() => roundStats(poker.deck, poker.results), [poker.deck, poker.results]);
  const suggestion = useMemo(() => suggestedEstimate(poker.deck, poker.results), [poker.deck, poker.results]);
  const item = useItem(store, poker.itemId ?? '');
  const history = readItemHistory(doc, poker.itemId);
  const votes = Object.entries(poker.results).sort(([a], [b]) => (poker.names[a] ?? '').localeCompare(poker.names[b] ?? ''));
  const maxCount = Math.max(1, ...stats.distribution.map((d) => d.count));
  const outlierCards = new Set(stats.outliers.map((userId) => poker.results[userId]));
  const shown = stats.distribution.filter((d) => d.count > 0);

  return (
    <div className="est-revealed" data-testid="poker-results">
      <div className="est-results-grid">
        <figure className="est-chart" aria-label="Votes per card">
          {shown.length === 0 && <p className="muted small">Nobody voted in this round.</p>}
          {shown.map((d) => (
            <div key={d.card} className={`est-bar-row ${outlierCards.has(d.card) ? 'is-outlier' : ''}`}>
              <span className="est-bar-card">{d.card}</span>
              <span className="est-bar-track">
                <span className="est-bar" style={{ width: `${(d.count / maxCount) * 100}%` }} />
              </span>
              <span className="est-bar-count">{d.count}</span>
            </div>
          ))}
        </figure>
        <dl className="est-figures">
          <div>
            <dt>Median</dt>
            <dd data-testid="poker-median">{stats.median ?? '—'}</dd>
          </div>
          <div>
            <dt>Mean</dt>
            <dd>{stats.numeric ? fmtMean(stats.mean) : '—'}</dd>
          </div>
          <div>
            <dt>Spread</dt>
            <dd>{stats.min !== null ? `${stats.min} – ${stats.max}` : '—'}</dd>
          </div>
          <div>
            <dt>Consensus</dt>
            <dd>
              {stats.consensus ? (
                <span className="badge est-consensus" data-testid="poker-consensus">
                  ✓ Consensus
                </span>
              ) : (
                <span className="badge est-no-consensus">No consensus</span>
              )}
            </dd>
          </div>
        </dl>
        <ul className="est-votes" aria-label="Votes">
          {votes.map(([userId, card]) => (
            <li key={userId} className={stats.outliers.includes(userId) ? 'is-outlier' : ''}>
              <span className="est-vote-name">
                {poker.names[userId] || 'Someone'}
                {userId === me.userId ? ' (you)' : ''}
              </span>
              <span className="est-vote-card">{card}</span>
            </li>
          ))}
        </ul>
      </div>
      {stats.outliers.length > 0 && (
        <p className="small est-outlier-note">Highest and lowest explain their reasoning, then re-vote if needed.</p>
      )}
      <AgreedEstimate itemId={poker.itemId!} current={item?.estimate ?? null} suggestion={suggestion} />
      {history.length > 1 && <History rounds={history} current={poker.round} />}
    </div>
  );
}

function AgreedEstimate({ itemId, current, suggestion }: { itemId: string; current: string | null; suggestion: string | null }) {
  const { me } = useBoardContext();
  const api = usePokerApi();
  const { busy, run } = useRun();
  const [value, setValue] = useState('');
  const mayAgree = canSetEstimate(me.role);
  const proposed = value || suggestion || '';
  return (
    <div className="est-agree">
      <span className="est-agreed" data-testid="poker-agreed">
        Agreed estimate: <strong>{current ?? 'not set'}</strong>
      </span>
      {mayAgree && (
        <form
          className="est-agree-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (proposed.trim()) void run(() => api.agree(itemId, proposed.trim()));
          }}
        >
          <input
            className="input est-agree-input"
            aria-label="Agreed estimate"
            placeholder={suggestion ?? 'e.g. 5'}
            value={value}
            onChange={(e) => setValue(e.target.value)}
            maxLength={MAX_ESTIMATE_LENGTH}
            data-testid="poker-agree-input"
          />
          <button type="submit" className="btn btn-success btn-small" disabled={busy || !proposed.trim()} data-testid="poker-agree">
            Set estimate{proposed ? ` ${proposed}` : ''}
          </button>
        </form>
      )}
    </div>
  );
}

function History({ rounds, current }: { rounds: readonly RoundRecord[]; current: number }) {
  return (
    <details className="est-history">
      <summary className="small">Earlier rounds on this item ({rounds.filter((r) => r.round !== current).length})</summary>
      <ol>
        {rounds
          .filter((r) => r.round !== current)
          .map((r) => {
            const s = roundStats(r.deck, r.results);
            return (
              <li key={r.round} className="small">
                Round {r.round}: {Object.values(r.results).join(', ') || 'no votes'} · median {s.median ?? '—'}
              </li>
            );
          })}
      </ol>
    </details>
  );
}
