import { type FormEvent, useState } from 'react';
import { type CreateBoardResponse, type JoinLink, joinPagePath } from '../../shared/api.ts';
import { LIMITS } from '../../shared/limits.ts';
import { ROLE_LABELS, type Role } from '../../shared/roles.ts';
import { ApiFailure, createBoard } from '../api.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { navigate } from '../router.ts';
import { listBoardSessions } from '../storage.ts';

const ROLE_HELP: Readonly<Record<Role, string>> = {
  po: 'Owns the backlog order and answers questions. Can run the session.',
  sm: 'Facilitates: phase, timer, focus item and estimation rounds.',
  dev: 'Reorders, edits, asks questions, comments and estimates.',
  stakeholder: 'Reads everything, comments, asks questions; dot-votes when you allow it. Never reorders or estimates.',
  viewer: 'Watches live and changes nothing.',
};

export function HomePage() {
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<CreateBoardResponse | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    const clean = title.trim();
    if (!clean) {
      setError('Give the board a title, e.g. “Team Phoenix backlog”.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setCreated(await createBoard(clean));
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : 'Something went wrong creating the board.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="home">
      <header className="home-hero">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span>Refinement board</span>
        </div>
        <h1>Refine your backlog together, live.</h1>
        <p className="muted">
          Product Owner, Scrum Master and developers reorder, question and estimate the same backlog at the same time —
          nothing is lost when people edit at once or drop offline.
        </p>
      </header>

      {!created ? (
        <form className="panel create-form" onSubmit={onSubmit} noValidate>
          <label htmlFor="board-title" className="field-label">
            Board title
          </label>
          <div className="inline-field">
            <input
              id="board-title"
              className="input"
              placeholder="e.g. Team Phoenix — sprint 42 refinement"
              value={title}
              maxLength={LIMITS.maxBoardTitleLength}
              onChange={(e) => setTitle(e.target.value)}
              autoFocus
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'create-error' : undefined}
            />
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create board'}
            </button>
          </div>
          {error && (
            <p id="create-error" className="form-error" role="alert">
              {error}
            </p>
          )}
        </form>
      ) : (
        <CreatedBoard created={created} onAnother={() => setCreated(null)} />
      )}
      {!created && <YourBoards />}
      {!created && (
        <ul className="how-it-works" aria-label="How it works">
          <li>
            <strong>1. Create a board</strong>
            <span className="muted">You get one join link per role.</span>
          </li>
          <li>
            <strong>2. Share the links</strong>
            <span className="muted">People join with their name — no accounts.</span>
          </li>
          <li>
            <strong>3. Refine together</strong>
            <span className="muted">Reorder, edit and discuss live; changes merge, nothing is lost.</span>
          </li>
        </ul>
      )}
    </main>
  );
}

function YourBoards() {
  const [boards] = useState(listBoardSessions);
  if (boards.length === 0) return null;
  return (
    <section className="your-boards" aria-labelledby="your-boards-title">
      <h2 id="your-boards-title">Your boards</h2>
      <ul>
        {boards.slice(0, 8).map((b) => (
          <li key={b.boardId}>
            <a
              href={joinPagePath(b.boardId)}
              onClick={(e) => {
                e.preventDefault();
                navigate(joinPagePath(b.boardId));
              }}
            >
              <span className="your-board-title">{b.title ?? 'Untitled board'}</span>
              <span className="muted small">
                as {b.name} · <span className={`role-pill role-${b.role}`}>{ROLE_LABELS[b.role]}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function CreatedBoard({ created, onAnother }: { created: CreateBoardResponse; onAnother: () => void }) {
  const po = created.links.find((l) => l.role === 'po');
  return (
    <section className="panel created" aria-labelledby="created-title">
      <div className="created-head">
        <div>
          <p className="eyebrow">Board created</p>
          <h2 id="created-title">{created.title}</h2>
        </div>
        {po && (
          <button type="button" className="btn btn-primary" onClick={() => openLink(po)}>
            Open as Product Owner
          </button>
        )}
      </div>
      <p className="muted">
        Share one link per role. Everyone with a link joins with their own name; keep the Product Owner and Scrum Master links to
        yourselves.
      </p>
      <ul className="join-links">
        {created.links.map((link) => (
          <li key={link.role} className={`join-link role-${link.role}`}>
            <div className="join-link-text">
              <span className={`role-pill role-${link.role}`}>{ROLE_LABELS[link.role]}</span>
              <span className="muted small">{ROLE_HELP[link.role]}</span>
              <input className="input input-mono" readOnly value={link.url} aria-label={`${ROLE_LABELS[link.role]} join link`} onFocus={(e) => e.currentTarget.select()} />
            </div>
            <CopyButton text={link.url} />
          </li>
        ))}
      </ul>
      <button type="button" className="btn btn-ghost" onClick={onAnother}>
        Create another board
      </button>
    </section>
  );
}

/** Follows a join link inside the app (same origin) without a page load. */
function openLink(link: JoinLink) {
  const url = new URL(link.url, window.location.href);
  if (url.origin === window.location.origin) navigate(`${url.pathname}${url.search}${url.hash}`);
  else window.location.href = link.url;
}
