import { type ReactNode, useEffect, useState } from 'react';
import { ROLE_LABELS } from '../../shared/roles.ts';
import type { ConnectionState } from '../hooks/boardConnection.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { useOnline } from '../hooks/useOnline.ts';
import { PresenceAvatars } from './PresenceAvatars.tsx';
import { HeaderMenuSlot } from './slots.tsx';

interface BoardHeaderProps {
  title: string;
  /** Feature buttons (share, import, export…), shown before presence. */
  actions?: ReactNode;
  state: ConnectionState;
  onRetry: () => void;
  onLeave: () => void;
}

export function BoardHeader({ title, actions, state, onRetry, onLeave }: BoardHeaderProps) {
  const { me } = useBoardContext();
  return (
    <header className="board-header">
      <div className="board-header-inner">
        <a href="/" className="brand-mark">
          <span className="visually-hidden">Refinement board home</span>
        </a>
        <h1 className="board-title" title={title}>
          {title}
        </h1>
        <div className="header-right">
          {actions && <div className="header-actions">{actions}</div>}
          <PresenceAvatars />
          <ConnectionBadge state={state} onRetry={onRetry} />
          <details className="me-menu">
            {/* The accessible name is the visible text (WCAG 2.5.3), with "You:" in front. */}
            <summary>
              <span className="visually-hidden">You: </span>
              <span className="me-name">{me.name}</span>
              <span className={`role-pill role-${me.role}`}>{ROLE_LABELS[me.role]}</span>
            </summary>
            <div className="menu-popover">
              <p className="small muted">
                Signed in as <strong>{me.name}</strong> ({ROLE_LABELS[me.role]}) on this browser.
              </p>
              <HeaderMenuSlot />
              <button type="button" className="btn btn-small btn-danger-ghost" onClick={onLeave}>
                Leave board on this device
              </button>
            </div>
          </details>
        </div>
      </div>
    </header>
  );
}

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Own connection: live / connecting / reconnecting (with countdown and retry) / offline. */
export function ConnectionBadge({ state, onRetry }: { state: ConnectionState; onRetry: () => void }) {
  const online = useOnline();
  const seconds = useSecondsUntil(state.kind === 'reconnecting' ? state.retryAt : null);
  let kind: 'live' | 'connecting' | 'reconnecting' | 'offline' = 'connecting';
  let text = 'Connecting…';
  let help = 'Opening a live connection to the board.';
  if (!online || state.kind === 'offline') {
    kind = 'offline';
    text = 'Offline';
    help = 'You are offline. Changes you make are kept and sent when the connection returns.';
  } else if (state.kind === 'live') {
    kind = 'live';
    text = 'Live';
    help = 'Connected: you see everyone’s changes as they happen.';
  } else if (state.kind === 'reconnecting') {
    kind = 'reconnecting';
    text = seconds ? `Reconnecting in ${seconds}s` : 'Reconnecting…';
    help = `${state.reason ? `The server said: ${state.reason}. ` : 'The connection dropped. '}Your changes are kept and sent once it is back.`;
  }
  return (
    <div className={`conn conn-${kind}`} role="status" aria-live="polite" title={help} data-connection={kind}>
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-text">{text}</span>
      {kind === 'reconnecting' && seconds !== null && seconds > 1 && (
        <button type="button" className="conn-retry" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}
