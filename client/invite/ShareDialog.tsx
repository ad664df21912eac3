/**
 * "Share / invite" [INV-1, INV-2]: PO and SM see every role's join link again, copy it or
 * show it as a QR code for a phone; the PO makes a new link (optionally expiring) or
 * revokes one. The server decides; this only shows what it answers.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { BoardId } from '../../shared/ids.ts';
import { canManageInviteLinks, canViewInviteLinks, type InviteLink } from '../../shared/invites.ts';
import { canRemoveMembers } from '../../shared/members.ts';
import { ROLE_LABELS, type Role } from '../../shared/roles.ts';
import { ApiFailure } from '../api.ts';
import { CopyButton } from '../components/CopyButton.tsx';
import { LazyPart, lazyPart } from '../components/LazyPart.tsx';
import { useBoardContext } from '../hooks/useBoard.ts';
import { useBoardMembers } from '../hooks/useBoardMembers.ts';
import { listInviteLinks, regenerateInviteLink, removeMember, revokeInviteLink } from './inviteApi.ts';
import './invite.css';

// The QR encoder (the qrcode package) is a chunk of its own, loaded when a code is first shown (issue 16).
const QrCode = lazyPart(() => import('./QrCode.tsx').then((m) => m.QrCode));

const EXPIRY_CHOICES: ReadonlyArray<{ label: string; seconds: number | null }> = [
  { label: 'Never expires', seconds: null },
  { label: 'Expires in 1 day', seconds: 24 * 3600 },
  { label: 'Expires in 7 days', seconds: 7 * 24 * 3600 },
  { label: 'Expires in 30 days', seconds: 30 * 24 * 3600 },
];

const ROLE_HINTS: Readonly<Record<Role, string>> = {
  po: 'Joins as Product Owner: full control, including these links.',
  sm: 'Joins as Scrum Master: runs the session and sees these links.',
  dev: 'Joins as Developer: refines, estimates and votes.',
  stakeholder: 'Joins as Stakeholder: reads everything, comments and asks; dots when allowed.',
  viewer: 'Joins as Viewer: follows along, changes nothing.',
};

/** The header button; rendered only for roles that may see the links. */
export function ShareButton() {
  const { me } = useBoardContext();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  if (!canViewInviteLinks(me.role)) return null;
  return (
    <>
      <button
        type="button"
        className="btn btn-small share-button"
        aria-label="Share / invite"
        onClick={() => {
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        {/* One inline run: the button's flex gap would otherwise split "Share  / invite". */}
        <span>
          Share<span className="share-extra"> / invite</span>
        </span>
      </button>
      <dialog ref={dialog} className="share-dialog" aria-labelledby="share-title" onClose={() => setOpen(false)}>
        {open && <ShareLinks onClose={() => dialog.current?.close()} />}
      </dialog>
    </>
  );
}

function ShareLinks({ onClose }: { onClose: () => void }) {
  const { me } = useBoardContext();
  const [links, setLinks] = useState<InviteLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const manage = canManageInviteLinks(me.role);
  useEffect(() => {
    let live = true;
    listInviteLinks(me.boardId, me.token).then(
      (r) => live && setLinks(r.links),
      (err: unknown) => live && setError(err instanceof ApiFailure ? err.message : 'Could not load the links.'),
    );
    return () => {
      live = false;
    };
  }, [me.boardId, me.token]);
  const replace = useCallback((link: InviteLink) => setLinks((ls) => ls?.map((l) => (l.role === link.role ? link : l)) ?? null), []);
  return (
    <div className="share-body">
      <div className="share-head">
        <h2 id="share-title">Share / invite</h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted small">
        Each link lets anyone who has it join with that role. People who already joined stay on the board when a link is
        replaced or revoked.
      </p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {!links && !error && <p className="muted">Loading links…</p>}
      <ul className="share-list">
        {links?.map((link) => (
          <LinkRow key={link.role} link={link} manage={manage} onChanged={replace} />
        ))}
      </ul>
      <PeopleList />
    </div>
  );
}

/**
 * [MEM-2, MEM-4] Who joined; the PO may remove someone (their access ends at once, on every
 * device). Removing does not take back a link: the list says so, next to the links above.
 */
function PeopleList() {
  const { me } = useBoardContext();
  const members = useBoardMembers(me.boardId as BoardId);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mayRemove = canRemoveMembers(me.role);
  const shown = members.filter((m) => !removed.has(m.id));
  const remove = async (id: string) => {
    setError(null);
    try {
      await removeMember(me.boardId, me.token, id);
      setRemoved((r) => new Set([...r, id]));
      setConfirming(null);
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : 'That did not work. Try again.');
    }
  };
  return (
    <section className="share-people" aria-labelledby="share-people-title">
      <h3 id="share-people-title">People on this board ({shown.length})</h3>
      {mayRemove && (
        <p className="muted small">
          Removing someone ends their access at once. If they still have a link, make a new one for their role too.
        </p>
      )}
      <ul className="share-people-list">
        {shown.map((m) => (
          <li key={m.id} className="share-person">
            <span className="share-person-name">
              {m.name}
              {m.id === me.userId && <span className="muted"> (you)</span>}
            </span>
            <span className={`role-pill role-${m.role}`}>{ROLE_LABELS[m.role]}</span>
            {mayRemove &&
              m.id !== me.userId &&
              (confirming === m.id ? (
                <span className="share-confirm">
                  <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => remove(m.id)}>
                    Remove {m.name}
                  </button>
                  <button type="button" className="btn btn-small btn-ghost" onClick={() => setConfirming(null)}>
                    Keep
                  </button>
                </span>
              ) : (
                <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${m.name} from the board`} onClick={() => setConfirming(m.id)}>
                  Remove…
                </button>
              ))}
          </li>
        ))}
      </ul>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

function LinkRow({ link, manage, onChanged }: { link: InviteLink; manage: boolean; onChanged: (l: InviteLink) => void }) {
  const { me } = useBoardContext();
  const [showQr, setShowQr] = useState(false);
  const [expiry, setExpiry] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = `${ROLE_LABELS[link.role]} link`;
  const inputId = `share-url-${link.role}`;
  const run = async (fn: () => Promise<InviteLink>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await fn());
    } catch (err) {
      setError(err instanceof ApiFailure ? err.message : 'That did not work. Try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="share-row" data-role={link.role}>
      <div className="share-row-head">
        <span className={`role-pill role-${link.role}`}>{ROLE_LABELS[link.role]}</span>
        <span className="small muted">{ROLE_HINTS[link.role]}</span>
      </div>
      {link.state === 'active' && link.url ? (
        <>
          <label htmlFor={inputId} className="field-label">
            {label}
            {link.expiresAt !== null && ` (expires ${new Date(link.expiresAt).toLocaleString()})`}
          </label>
          <div className="share-url-row">
            <input id={inputId} className="input share-url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={link.url} label={`Copy ${label}`} />
            <button type="button" className="btn btn-small" aria-expanded={showQr} onClick={() => setShowQr((v) => !v)}>
              {showQr ? 'Hide QR' : 'QR code'}
            </button>
          </div>
          {showQr && (
            <LazyPart what="the QR code">
              <QrCode text={link.url} label={`QR code of the ${label}`} />
            </LazyPart>
          )}
        </>
      ) : (
        <p className="share-state small" role="status">
          {link.state === 'revoked' ? `The ${label} is revoked: nobody can join with it.` : `The ${label} has expired.`}
        </p>
      )}
      {manage && (
        <div className="share-manage">
          <label className="visually-hidden" htmlFor={`share-expiry-${link.role}`}>
            Expiry of the new {label}
          </label>
          <select
            id={`share-expiry-${link.role}`}
            className="input share-expiry"
            value={expiry ?? ''}
            onChange={(e) => setExpiry(e.target.value === '' ? null : Number(e.target.value))}
          >
            {EXPIRY_CHOICES.map((c) => (
              <option key={c.label} value={c.seconds ?? ''}>
                {c.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => run(() => regenerateInviteLink(me.boardId, me.token, link.role, expiry))}
          >
            New {label}
          </button>
          {link.state === 'active' && (
            <button
              type="button"
              className="btn btn-small btn-danger-ghost"
              disabled={busy}
              onClick={() => run(() => revokeInviteLink(me.boardId, me.token, link.role))}
            >
              Revoke
            </button>
          )}
        </div>
      )}
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
