/**
 * The session bar [REF-10..12]: phase, the timebox timer everyone sees counting down in
 * sync (server-clock times, see clock.ts), and the focus item. Facilitators (PO, SM) get
 * the controls; everyone gets "Follow facilitator", undo/redo and the offline notice.
 */
import { useCallback, useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import { canRunSession } from '../../shared/policy/can.ts';
import {
  addTimerMinute,
  pauseTimer,
  resetTimer,
  resumeTimer,
  setFocusItem,
  setPhase,
  startTimer,
} from '../../shared/schema/facilitation.ts';
import {
  DEFAULT_TIMER_MS,
  isPhase,
  MINUTE_MS,
  type Phase,
  PHASES,
  timerRemainingMs,
  timerState,
} from '../../shared/schema/session.ts';
import { openItemDetail } from '../board/itemLink.ts';
import { ItemPicker } from '../components/ItemPicker.tsx';
import { useBoardContext, useConnectionSnapshot, useItem, useSession } from '../hooks/useBoard.ts';
import { useUnsentChanges } from '../hooks/useOfflineCache.ts';
import { runUndo, type UndoReport, useUndo } from '../hooks/useUndo.ts';
import { useToasts } from '../components/Toasts.tsx';
import { revealItem } from '../board/reveal.ts';
import { formatRemaining } from './clock.ts';
import { useActor, useServerNow } from './hooks.ts';
import { useFollow } from './useFollow.ts';
import './refinement.css';

const PHASE_LABELS: Readonly<Record<Phase, string>> = {
  refinement: 'Refinement',
  estimation: 'Estimation',
  planning: 'Planning',
};

export function SessionBar() {
  const { store, doc, origin, me, canContribute, connection, drafts } = useBoardContext();
  const actor = useActor();
  const session = useSession(store);
  const facilitator = canRunSession(actor.role);
  // The server's copy has arrived (not only the offline cache's): a later focus is new.
  const live = useConnectionSnapshot(connection).state.kind === 'live';
  const follow = useFollow(me.boardId, session.focusItemId, live, drafts);
  const toasts = useToasts();
  const report = useCallback<UndoReport>(
    (action, what) => {
      if (!what) return;
      toasts.show({ message: `${action === 'undo' ? 'Undid' : 'Redid'}: ${what.text}`, durationMs: 4000 });
      if (what.itemId) revealItem(what.itemId as ItemId);
    },
    [toasts],
  );
  const { controller, state: undo } = useUndo(doc, origin, true, report);

  return (
    <section className="ref-session-bar" aria-label="Session" data-testid="session-bar">
      <div className="ref-session-inner">
        <div className="ref-session-group">
          <span className="ref-session-label">Phase</span>
          {facilitator ? (
            <select
              className="input ref-input-sm"
              aria-label="Session phase"
              value={session.phase}
              onChange={(e) => isPhase(e.target.value) && setPhase(doc, actor, e.target.value, origin)}
              data-testid="phase-select"
            >
              {PHASES.map((p) => (
                <option key={p} value={p}>
                  {PHASE_LABELS[p]}
                </option>
              ))}
            </select>
          ) : (
            <span className="ref-phase-pill" data-testid="phase">
              {PHASE_LABELS[session.phase]}
            </span>
          )}
        </div>
        <TimerControl facilitator={facilitator} />
        <FocusControl facilitator={facilitator} focusItemId={session.focusItemId} />
        <div className="ref-session-group ref-session-right">
          <label className="ref-switch" title="Open the item the facilitator is focusing on, whenever it changes">
            <input type="checkbox" checked={follow.following} onChange={(e) => follow.setFollowing(e.target.checked)} data-testid="follow-toggle" />
            <span>
              Follow<span className="ref-wide-only"> facilitator</span>
            </span>
          </label>
          {/* Viewers change nothing, so they have nothing to undo. */}
          {canContribute && (
          <div className="ref-undo">
            <button type="button" className="icon-btn" aria-label="Undo your last change (Ctrl+Z)" title="Undo (Ctrl+Z)" disabled={!undo.canUndo} onClick={() => controller && runUndo(doc, controller, 'undo', report)} data-testid="undo">
              ↶
            </button>
            <button type="button" className="icon-btn" aria-label="Redo (Ctrl+Shift+Z)" title="Redo (Ctrl+Shift+Z)" disabled={!undo.canRedo} onClick={() => controller && runUndo(doc, controller, 'redo', report)} data-testid="redo">
              ↷
            </button>
          </div>
          )}
        </div>
      </div>
      {follow.held && <MovedOnNotice itemId={follow.held} onGo={follow.goThere} />}
      <OfflineNotice />
    </section>
  );
}

function TimerControl({ facilitator }: { facilitator: boolean }) {
  const { store, doc, origin, connection } = useBoardContext();
  const actor = useActor();
  const { timer } = useSession(store);
  const running = timer !== null && timer.startedAt !== null && timer.pausedRemainingMs === null;
  const { now, read } = useServerNow(connection, running);
  const state = timerState(timer, now);
  const remaining = timerRemainingMs(timer, now);
  const [minutes, setMinutes] = useState(String((timer?.durationMs ?? DEFAULT_TIMER_MS) / MINUTE_MS));
  const chosenMs = Math.max(1, Math.min(240, Number(minutes) || 5)) * MINUTE_MS;

  const display = remaining === null ? formatRemaining(chosenMs) : formatRemaining(remaining);
  return (
    <div className="ref-session-group">
      <span className="ref-session-label">Timebox</span>
      <span className={`ref-timer is-${state}`} role="timer" aria-live="off" data-testid="timer" data-state={state}>
        {state === 'expired' ? "Time's up" : display}
      </span>
      {facilitator && (
        <span className="ref-timer-controls">
          {(state === 'idle' || state === 'expired') && (
            <>
              {state === 'idle' && (
                <label className="ref-minutes">
                  <input
                    className="input ref-input-sm"
                    type="number"
                    min={1}
                    max={240}
                    value={minutes}
                    onChange={(e) => setMinutes(e.target.value)}
                    onBlur={() => resetTimer(doc, actor, chosenMs, origin)}
                    aria-label="Timebox minutes"
                    data-testid="timer-minutes"
                  />
                  <span>min</span>
                </label>
              )}
              <button type="button" className="btn btn-small btn-primary" onClick={() => startTimer(doc, actor, chosenMs, read(), origin)} data-testid="timer-start">
                Start
              </button>
            </>
          )}
          {state === 'running' && (
            <button type="button" className="btn btn-small" onClick={() => pauseTimer(doc, actor, read(), origin)} data-testid="timer-pause">
              Pause
            </button>
          )}
          {state === 'paused' && (
            <button type="button" className="btn btn-small btn-primary" onClick={() => resumeTimer(doc, actor, read(), origin)} data-testid="timer-resume">
              Resume
            </button>
          )}
          {state !== 'idle' && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => addTimerMinute(doc, actor, read(), origin)} data-testid="timer-add">
              +1 min
            </button>
          )}
          {state !== 'idle' && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => resetTimer(doc, actor, chosenMs, origin)} data-testid="timer-reset">
              Reset
            </button>
          )}
        </span>
      )}
    </div>
  );
}

function FocusControl({ facilitator, focusItemId }: { facilitator: boolean; focusItemId: ItemId | null }) {
  const { store, doc, origin } = useBoardContext();
  const actor = useActor();
  const focus = useItem(store, focusItemId ?? '');
  const choose = useCallback((id: ItemId | null) => setFocusItem(doc, actor, id, origin), [doc, actor, origin]);
  return (
    <div className={`ref-session-group ref-focus ${!facilitator && !focus ? 'is-empty' : ''}`}>
      <span className="ref-session-label">Focus</span>
      {facilitator ? (
        <ItemPicker value={focusItemId} onChange={choose} label="Focus item" noneLabel="No focus" small className="ref-focus-picker" testId="focus-picker" />
      ) : focus ? (
        <button type="button" className="btn btn-ghost btn-small ref-focus-link" onClick={() => openItemDetail(focus.id)} data-testid="focus-link">
          {focus.title || 'Untitled'}
        </button>
      ) : (
        <span className="ref-hint">none</span>
      )}
    </div>
  );
}

/** [UX-1] The follower was typing or has unsent text: offer the move instead of making it. */
function MovedOnNotice({ itemId, onGo }: { itemId: ItemId; onGo: () => void }) {
  const { store } = useBoardContext();
  const item = useItem(store, itemId);
  return (
    <p className="ref-moved-on" role="status" data-testid="follow-moved-on">
      The team moved on to <strong>{item?.title || 'another item'}</strong> —{' '}
      <button type="button" className="ref-link-btn" onClick={onGo}>
        go there
      </button>
      <span className="ref-hint"> (your unsent text stays with its item)</span>
    </p>
  );
}

function OfflineNotice() {
  const { connection } = useBoardContext();
  const snap = useConnectionSnapshot(connection);
  const unsent = useUnsentChanges(connection);
  if (snap.state.kind === 'live' || snap.state.kind === 'connecting' || snap.state.kind === 'closed') return null;
  // [FLT-3] Not a network problem: the server is there but could not store the edits.
  if (snap.unsaved && snap.state.kind === 'reconnecting') {
    return (
      <p className="ref-offline" role="status" data-testid="offline-notice">
        <strong>Not saved.</strong> The server could not store your latest changes
        {snap.state.reason ? ` (${snap.state.reason.split(':')[0]})` : ''}. They are kept on this device
        {unsent > 0 ? ` (${unsent} so far)` : ''} and sent again until it can.
      </p>
    );
  }
  return (
    <p className="ref-offline" role="status" data-testid="offline-notice">
      <strong>Offline.</strong> You are seeing the board as this device last saw it. Your changes are kept on this device
      {unsent > 0 ? ` (${unsent} so far)` : ''} and merge with everyone else’s when the connection returns.
    </p>
  );
}
