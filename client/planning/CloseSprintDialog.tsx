/**
 * Closing a sprint (SM, PO): done items stay in it; each unfinished item goes back to the
 * top of the backlog or into a planned sprint, chosen for all at once or per item.
 */
import { useId, useState } from 'react';
import type { ItemId, SprintId } from '../../shared/ids.ts';
import { Modal } from './ConfirmDialog.tsx';
import { formatPoints } from './chartScale.ts';

/** Where one unfinished item goes: the backlog's top, or a planned sprint. */
export type CarryTarget = 'backlog' | SprintId;

export interface CloseSprintDialogProps {
  sprintName: string;
  doneCount: number;
  donePoints: number;
  unfinished: readonly { id: ItemId; title: string; points: number | null }[];
  /** Planned sprints that can take unfinished items, the next one first. */
  targets: readonly { id: SprintId; name: string }[];
  onConfirm: (carry: ReadonlyMap<ItemId, CarryTarget>) => void;
  onCancel: () => void;
}

export function CloseSprintDialog({ sprintName, doneCount, donePoints, unfinished, targets, onConfirm, onCancel }: CloseSprintDialogProps) {
  const [all, setAll] = useState<CarryTarget>('backlog');
  const [each, setEach] = useState<ReadonlyMap<ItemId, CarryTarget>>(new Map());
  const name = useId();
  const label = (t: CarryTarget) => (t === 'backlog' ? 'Top of the backlog' : `Into ${targets.find((s) => s.id === t)?.name ?? 'the next sprint'}`);
  const chooseAll = (t: CarryTarget) => {
    setAll(t);
    setEach(new Map());
  };
  const options: CarryTarget[] = ['backlog', ...targets.map((t) => t.id)];
  const decided = new Map(unfinished.map((u) => [u.id, each.get(u.id) ?? all]));

  return (
    <Modal title={`Close ${sprintName}`} onCancel={onCancel} testId="close-sprint-dialog">
      <p>
        {doneCount} done {doneCount === 1 ? 'item stays' : 'items stay'} in the sprint ({formatPoints(donePoints)} points completed).
        {unfinished.length === 0 ? ' Nothing is unfinished.' : ` ${unfinished.length} unfinished:`}
      </p>
      {unfinished.length > 0 && (
        <>
          <fieldset className="plan-field">
            <legend className="field-label">All unfinished items go</legend>
            {options.map((t) => (
              <label key={t} className="ref-switch">
                <input type="radio" name={name} checked={all === t && each.size === 0} onChange={() => chooseAll(t)} data-testid={`carry-all-${t === 'backlog' ? 'backlog' : 'sprint'}`} />
                <span>{label(t)}</span>
              </label>
            ))}
          </fieldset>
          <ul className="plan-carry-list" aria-label="Unfinished items">
            {unfinished.map((u) => (
              <li key={u.id}>
                <span>
                  {u.title || 'Untitled'} <span className="muted small">({u.points === null ? 'not estimated' : `${formatPoints(u.points)} pts`})</span>
                </span>
                <select
                  className="input ref-input-sm"
                  aria-label={`Where “${u.title || 'Untitled'}” goes`}
                  value={decided.get(u.id)}
                  onChange={(e) => setEach((m) => new Map(m).set(u.id, e.target.value as CarryTarget))}
                  data-testid="carry-item"
                >
                  {options.map((t) => (
                    <option key={t} value={t}>
                      {label(t)}
                    </option>
                  ))}
                </select>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">The sprint’s record (committed, completed, added, removed) is kept as it is now; a closed sprint can’t be changed.</p>
      <div className="plan-dialog-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn-primary" onClick={() => onConfirm(decided)} data-testid="close-sprint-confirm">
          Close sprint
        </button>
      </div>
    </Modal>
  );
}
