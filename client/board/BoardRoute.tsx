/**
 * /b/:boardId — decides between the join form, the board and an explanation.
 * A link token arrives in the fragment (`#t=`), which browsers never send to servers or
 * put in Referer headers; we move it into memory and strip it from the address bar at
 * once so it doesn't linger in history or get shared by copy-paste.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { LIMITS } from '../../shared/limits.ts';
import { canEditItems, canWriteDocument } from '../../shared/policy/can.ts';
import { ROLE_LABELS } from '../../shared/roles.ts';
import { ApiFailure, joinBoard } from '../api.ts';
import { ErrorScreen } from '../components/ErrorScreen.tsx';
import { useTokenRenewal } from '../hooks/useTokenRenewal.ts';
import { peekLinkRole, tokenFromHash } from '../lib/linkToken.ts';
import { tokenExpired } from '../lib/personalToken.ts';
import { navigate } from '../router.ts';
import {
  type BoardSession,
  earlierBoardSessions,
  forgetBoardSession,
  loadBoardSession,
  loadDisplayName,
  saveBoardSession,
  saveDisplayName,
} from '../storage.ts';
import { linkRefusalText, useJoinInfo } from '../invite/useJoinInfo.ts';
import { BoardScreen } from './BoardScreen.tsx';

function takeLinkToken(): string | null {
  const token = tokenFromHash(window.location.hash);
  // Only the fragment changes, so no route listener needs to hear about it.
  if (token) window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
  return token;
}

export function BoardRoute({ boardId }: { boardId: string }) {
  const [linkToken, setLinkToken] = useState<string | null>(takeLinkToken);
  const [stored, setSession] = useState<BoardSession | null>(() => loadBoardSession(boardId));
  const [expired, setExpired] = useState(false);
  // An expired personal token is useless [AUTH-8]: drop it and send the person to the join
  // link, rather than connecting only to be refused (4401) on every visit.
  const session = stored && !tokenExpired(stored.token) ? stored : null;
  const onExpired = useCallback(() => {
    forgetBoardSession(boardId);
    setSession(null);
    setExpired(true);
  }, [boardId]);
  useEffect(() => {
    if (stored && !session) onExpired();
  }, [stored, session, onExpired]);
  const onRenewed = useCallback(
    (token: string) => {
      // Read-modify-write: the stored entry may have a newer title or lastOpenedAt.
      const current = loadBoardSession(boardId);
      if (!current) return;
      const next = { ...current, token };
      saveBoardSession(next);
      setSession(next);
    },
    [boardId],
  );
  useTokenRenewal(boardId, linkToken ? null : (session?.token ?? null), { onRenewed, onExpired });

  if (linkToken) {
    return (
      <JoinForm
        boardId={boardId}
        linkToken={linkToken}
        existing={[...(session ? [session] : []), ...earlierBoardSessions(boardId).filter((s) => !tokenExpired(s.token))]}
        onJoined={(s) => {
          saveBoardSession(s);
          setSession(s);
          setExpired(false);
          setLinkToken(null);
        }}
        onContinue={(s) => {
          // Someone else who used this browser on this board: they become the current session.
          if (s.userId !== session?.userId) {
            saveBoardSession(s);
            setSession(s);
          }
          setLinkToken(null);
        }}
      />
    );
  }
  if (!session) {
    return expired || stored ? (
      <ErrorScreen title="Your access has expired" actionLabel="Create your own board" actionHref="/">
        Access to a board lapses when it has not been opened for a long while. Open the board’s join link again to
        rejoin, or ask its Product Owner or Scrum Master for one.
      </ErrorScreen>
    ) : (
      <ErrorScreen title="You need a join link" actionLabel="Create your own board" actionHref="/">
        This board is only open to people with a join link. Ask the board’s Product Owner or Scrum Master to send you one.
      </ErrorScreen>
    );
  }
  return (
    <BoardScreen
      session={session}
      onExpired={onExpired}
      onLeave={() => {
        forgetBoardSession(boardId);
        setSession(null);
        navigate('/');
      }}
    />
  );
}

function joinErrorText(err: unknown): string {
  if (!(err instanceof ApiFailure)) return 'Something went wrong. Try again.';
  const refused = linkRefusalText(err);
  if (refused) return refused;
  switch (err.status) {
    case 401:
      return 'This join link is invalid or has expired. Ask for a new one.';
    case 403:
      return 'This join link belongs to a different board.';
    case 404:
      return 'This board does not exist (any more). Check the link.';
    case 0:
      return err.message;
    default:
      return err.message;
  }
}

interface JoinFormProps {
  boardId: string;
  linkToken: string;
  /** Sessions this browser holds for the board, the current one first (people may share a browser). */
  existing: BoardSession[];
  onJoined: (s: BoardSession) => void;
  onContinue: (s: BoardSession) => void;
}

function JoinForm({ boardId, linkToken, existing, onJoined, onContinue }: JoinFormProps) {
  const [name, setName] = useState(loadDisplayName);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; fatal: boolean } | null>(null);
  const role = peekLinkRole(linkToken);
  const info = useJoinInfo(boardId, linkToken);
  const fatal = error?.fatal ? error : info.failure;

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const clean = name.trim();
    if (!clean) {
      setError({ text: 'Enter the name your team knows you by.', fatal: false });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const res = await joinBoard(boardId, linkToken, clean);
      saveDisplayName(clean);
      onJoined({ boardId, userId: res.userId, role: res.role, name: res.name, token: res.token });
    } catch (err) {
      const fatal = err instanceof ApiFailure && [401, 403, 404].includes(err.status);
      setError({ text: joinErrorText(err), fatal });
      setBusy(false);
    }
  }

  if (fatal) {
    const first = existing[0];
    return (
      <ErrorScreen
        title="This link doesn’t work"
        actionLabel={first ? `Continue as ${first.name}` : 'Create your own board'}
        onAction={first ? () => onContinue(first) : undefined}
        actionHref="/"
      >
        {fatal.text}
      </ErrorScreen>
    );
  }

  return (
    <main className="centered-page">
      <form className="panel join-panel" onSubmit={onSubmit} noValidate aria-labelledby="join-title">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Refinement board</span>
        </div>
        <h1 id="join-title">{info.title ? `Join “${info.title}”` : 'Join the board'}</h1>
        {role && (
          <p className="muted">
            You are joining as <span className={`role-pill role-${role}`}>{ROLE_LABELS[role]}</span>
            {!canWriteDocument(role) && ' — you can follow along but not change anything.'}
            {canWriteDocument(role) && !canEditItems(role) && ' — you can read everything, comment and ask questions; the team orders and estimates.'}
          </p>
        )}
        <label htmlFor="display-name" className="field-label">
          Your name
        </label>
        <input
          id="display-name"
          className="input"
          value={name}
          maxLength={LIMITS.maxDisplayNameLength}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. Ada Lovelace"
          autoComplete="name"
          autoFocus
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'join-error' : 'join-hint'}
        />
        <p id="join-hint" className="muted small">
          Shown to everyone on the board. Remembered in this browser.
        </p>
        {error && (
          <p id="join-error" className="form-error" role="alert">
            {error.text}
          </p>
        )}
        <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
          {busy ? 'Joining…' : 'Join board'}
        </button>
        {existing.map((s) => (
          <button key={s.userId} type="button" className="btn btn-ghost btn-block" onClick={() => onContinue(s)}>
            Continue as {s.name} ({ROLE_LABELS[s.role]}) instead
          </button>
        ))}
      </form>
    </main>
  );
}
