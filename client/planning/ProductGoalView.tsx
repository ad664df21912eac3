/**
 * The board's product goal, at the top of the board: the vision the backlog serves. The PO
 * edits it in place; everyone else reads it.
 */
import { type FormEvent, useState } from 'react';

export interface ProductGoalViewProps {
  goal: string;
  canEdit: boolean;
  maxLength: number;
  /** Writes the goal; returns an error message when refused. */
  onSave: (goal: string) => string | null;
}

export function ProductGoalView({ goal, canEdit, maxLength, onSave }: ProductGoalViewProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  function save(e: FormEvent) {
    e.preventDefault();
    const text = (draft ?? '').trim();
    if (text.length > maxLength) {
      setError(`The product goal is too long: ${text.length.toLocaleString()} characters, at most ${maxLength.toLocaleString()}.`);
      return;
    }
    const why = onSave(text);
    if (why) setError(why);
    else {
      setDraft(null);
      setError(null);
    }
  }

  return (
    <section className="plan-goal" aria-label="Product goal" data-testid="product-goal">
      <span className="plan-goal-label">Product goal</span>
      {draft === null ? (
        <>
          <span className={`plan-goal-text ${goal ? '' : 'is-empty'}`} data-testid="product-goal-text">
            {goal || (canEdit ? 'No product goal yet: say what this backlog is for.' : 'No product goal yet.')}
          </span>
          {canEdit && (
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setDraft(goal)} data-testid="edit-product-goal">
              {goal ? 'Edit' : 'Set goal'}
            </button>
          )}
        </>
      ) : (
        <form onSubmit={save} noValidate>
          <input
            className="input"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            aria-label="Product goal"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'product-goal-error' : undefined}
            autoFocus
            data-testid="product-goal-input"
          />
          <button type="submit" className="btn btn-primary btn-small" data-testid="save-product-goal">
            Save
          </button>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => {
              setDraft(null);
              setError(null);
            }}>
            Cancel
          </button>
          {error && (
            <span id="product-goal-error" className="plan-field-error" role="alert">
              {error}
            </span>
          )}
        </form>
      )}
    </section>
  );
}
