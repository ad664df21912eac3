import { ROLE_LABELS } from '../../shared/roles.ts';
import { usePeople, useBoardContext } from '../hooks/useBoard.ts';
import { initials } from '../lib/initials.ts';

const MAX_SHOWN = 5;

/** Who is on the board now: one avatar per person (several tabs count once), self first. */
export function PresenceAvatars() {
  const { presence } = useBoardContext();
  const people = usePeople(presence);
  const shown = people.slice(0, MAX_SHOWN);
  const hidden = people.slice(MAX_SHOWN);
  const summary = people.map((p) => `${p.user.name}${p.isSelf ? ' (you)' : ''}, ${ROLE_LABELS[p.user.role]}`).join('; ');
  return (
    <ul className="avatars" aria-label={`${people.length} ${people.length === 1 ? 'person' : 'people'} on the board: ${summary}`}>
      {shown.map((p) => {
        const label = `${p.user.name}${p.isSelf ? ' (you)' : ''} · ${ROLE_LABELS[p.user.role]}`;
        return (
          <li key={p.user.id} className="avatar-item">
            <span className={`avatar ${p.isSelf ? 'avatar-self' : ''}`} style={{ background: p.user.color }} aria-hidden="true">
              {initials(p.user.name)}
            </span>
            <span className="tooltip" role="tooltip">
              {label}
            </span>
          </li>
        );
      })}
      {hidden.length > 0 && (
        <li className="avatar-item">
          <span className="avatar avatar-more" aria-hidden="true">
            +{hidden.length}
          </span>
          <span className="tooltip" role="tooltip">
            {hidden.map((p) => p.user.name).join(', ')}
          </span>
        </li>
      )}
    </ul>
  );
}
