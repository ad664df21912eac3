/**
 * The Scrum Master's capacity editor for one sprint: each member's days off against the
 * sprint's working days, the team's points per person-day and focus factor, and the
 * capacity that gives. Bad input is explained per field and blocks saving. "Copy last
 * sprint's capacity" takes the previous sprint's figure in one click.
 */
import { type FormEvent, useId, useState } from 'react';
import { ROLE_LABELS, type Role } from '../../shared/roles.ts';
import { formatPoints } from './chartScale.ts';
import { type CapacityFormValues, computeCapacity } from './capacityForm.ts';
import { Modal } from './ConfirmDialog.tsx';

export interface CapacityMember {
  userId: string;
  name: string;
  /** Null for someone with availability in this sprint who is no longer a member of the board. */
  role: Role | null;
  /** Days off already entered for this sprint. */
  daysOff?: number;
}

export interface CapacityDialogProps {
  sprintName: string;
  workingDays: number;
  members: readonly CapacityMember[];
  /** The team's rate as stored in the sprint (null points per day: never entered, so the form proposes 1 and 80 %). */
  rate?: { pointsPerDay: number | null; focusFactor: number };
  /** The previous sprint's name and capacity, when it has one. */
  previous: { name: string; capacity: number | null } | null;
  /** `removed`: people no longer members whom the SM took out of this sprint's capacity. */
  onSave: (capacity: number, values: CapacityFormValues, removed: readonly string[]) => void;
  /** Copies the previous sprint's capacity (team rate and availability). */
  onCopy: () => void;
  onClose: () => void;
}

const errorOf = (v: unknown): string | null => (v && typeof v === 'object' && 'error' in v ? String((v as { error: string }).error) : null);

export function CapacityDialog({ sprintName, workingDays, members, rate, previous, onSave, onCopy, onClose }: CapacityDialogProps) {
  const [values, setValues] = useState<CapacityFormValues>(() => ({
    daysOff: Object.fromEntries(members.map((m) => [m.userId, String(m.daysOff ?? 0)])),
    pointsPerDay: rate?.pointsPerDay != null ? String(rate.pointsPerDay) : '1',
    focus: rate?.pointsPerDay != null ? String(Math.round(rate.focusFactor * 1000) / 10) : '80',
  }));
  const [tried, setTried] = useState(false);
  const [removed, setRemoved] = useState<readonly string[]>([]);
  const shownMembers = members.filter((m) => !removed.includes(m.userId));
  function remove(userId: string) {
    setRemoved((r) => [...r, userId]);
    setValues((v) => {
      const { [userId]: _gone, ...daysOff } = v.daysOff;
      return { ...v, daysOff };
    });
  }
  const base = useId();
  const result = computeCapacity(values, workingDays);

  function submit(e: FormEvent) {
    e.preventDefault();
    setTried(true);
    if (result.capacity !== null) {
      onSave(result.capacity, values, removed);
      onClose();
    }
  }
  // Messages show as soon as a field holds something wrong, and all of them on a save attempt.
  const show = (msg: string | null, raw: string) => (msg && (tried || raw.trim() !== '') ? msg : null);
  const ppdError = show(errorOf(result.pointsPerDay), values.pointsPerDay);
  const focusError = show(errorOf(result.focus), values.focus);

  return (
    <Modal title={`Capacity of ${sprintName}`} onCancel={onClose} testId="capacity-dialog">
      <form onSubmit={submit} noValidate>
        <p className="muted small">
          {workingDays} working days (Monday to Friday) in this sprint. Members are the people who joined the board as Product Owner, Scrum Master or developer, here now or not.
        </p>
        {shownMembers.length === 0 ? (
          <p className="plan-notice">Nobody with a team role has joined the board yet.</p>
        ) : (
          <table className="plan-table plan-capacity-table">
            <thead>
              <tr>
                <th scope="col">Member</th>
                <th scope="col" className="num">
                  Days off
                </th>
                <th scope="col" className="num">
                  Available
                </th>
              </tr>
            </thead>
            <tbody>
              {shownMembers.map((m) => {
                const person = result.people[m.userId];
                const err = show(errorOf(person), values.daysOff[m.userId] ?? '');
                const id = `${base}-${m.userId}`;
                return (
                  <tr key={m.userId}>
                    <th scope="row">
                      <label htmlFor={id}>{m.name}</label> <span className="muted small">{m.role ? ROLE_LABELS[m.role] : 'no longer a member'}</span>
                      {!m.role && (
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => remove(m.userId)} data-testid="remove-member">
                          Remove<span className="visually-hidden"> {m.name} from this sprint’s capacity</span>
                        </button>
                      )}
                      {err && (
                        <div id={`${id}-error`} className="plan-field-error">
                          {err}
                        </div>
                      )}
                    </th>
                    <td className={`num ${err ? 'is-invalid' : ''}`}>
                      <input
                        id={id}
                        className="input"
                        inputMode="decimal"
                        value={values.daysOff[m.userId] ?? ''}
                        onChange={(e) => setValues((v) => ({ ...v, daysOff: { ...v.daysOff, [m.userId]: e.target.value } }))}
                        aria-invalid={err ? true : undefined}
                        aria-describedby={err ? `${id}-error` : undefined}
                        data-testid="days-off"
                      />
                    </td>
                    <td className="num">{person && 'available' in person ? person.available : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <div className="plan-field-row">
          <div className="plan-field">
            <label className="field-label" htmlFor={`${base}-ppd`}>
              Points per person-day
            </label>
            <input
              id={`${base}-ppd`}
              className="input"
              inputMode="decimal"
              value={values.pointsPerDay}
              onChange={(e) => setValues((v) => ({ ...v, pointsPerDay: e.target.value }))}
              aria-invalid={ppdError ? true : undefined}
              aria-describedby={ppdError ? `${base}-ppd-error` : undefined}
              data-testid="points-per-day"
            />
            {ppdError && (
              <span id={`${base}-ppd-error`} className="plan-field-error">
                {ppdError}
              </span>
            )}
          </div>
          <div className="plan-field">
            <label className="field-label" htmlFor={`${base}-focus`}>
              Focus factor (%)
            </label>
            <input
              id={`${base}-focus`}
              className="input"
              inputMode="decimal"
              value={values.focus}
              onChange={(e) => setValues((v) => ({ ...v, focus: e.target.value }))}
              aria-invalid={focusError ? true : undefined}
              aria-describedby={focusError ? `${base}-focus-error` : undefined}
              data-testid="focus-factor"
            />
            {focusError && (
              <span id={`${base}-focus-error`} className="plan-field-error">
                {focusError}
              </span>
            )}
          </div>
        </div>
        <p className="plan-total" aria-live="polite" data-testid="computed-capacity">
          Capacity: <strong>{result.capacity === null ? '—' : `${formatPoints(result.capacity)} points`}</strong>
        </p>
        <div className="plan-dialog-actions">
          {previous && (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                onCopy();
                onClose();
              }}
              data-testid="copy-capacity"
            >
              Copy {previous.name}’s capacity{previous.capacity !== null ? ` (${formatPoints(previous.capacity)} pts)` : ''}
            </button>
          )}
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="capacity-save">
            Save capacity
          </button>
        </div>
      </form>
    </Modal>
  );
}
