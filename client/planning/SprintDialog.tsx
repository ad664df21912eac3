/**
 * Create or edit a sprint (PO and SM): name, goal, first and last day. A new sprint comes
 * prefilled with the proposed next one. Bad input is explained next to its field and
 * nothing is sent until it is fixed.
 */
import { type FormEvent, useId, useState } from 'react';
import { Modal } from './ConfirmDialog.tsx';
import { DEFAULT_FORM_LIMITS, hasErrors, type SprintFormErrors, type SprintFormLimits, type SprintFormValues, validateSprintForm } from './sprintForm.ts';

export interface SprintDialogProps {
  mode: 'create' | 'edit';
  initial: SprintFormValues;
  limits?: SprintFormLimits;
  /** Writes the sprint; returns an error message when the operation refused it. */
  onSubmit: (values: SprintFormValues) => string | null;
  onClose: () => void;
}

export function SprintDialog({ mode, initial, limits = DEFAULT_FORM_LIMITS, onSubmit, onClose }: SprintDialogProps) {
  const [values, setValues] = useState(initial);
  const [errors, setErrors] = useState<SprintFormErrors>({});
  const [refused, setRefused] = useState<string | null>(null);
  const base = useId();
  const set = (k: keyof SprintFormValues) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [k]: e.target.value }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const found = validateSprintForm(values, limits);
    setErrors(found);
    if (hasErrors(found)) {
      // Send focus to the first field that needs fixing.
      const first = (['name', 'start', 'end', 'goal'] as const).find((k) => found[k]);
      if (first) document.getElementById(`${base}-${first}`)?.focus();
      return;
    }
    const why = onSubmit({ ...values, name: values.name.trim(), goal: values.goal.trim() });
    if (why) setRefused(why);
    else onClose();
  }

  const field = (k: keyof SprintFormValues) => ({
    id: `${base}-${k}`,
    'aria-invalid': errors[k] ? true : undefined,
    'aria-describedby': errors[k] ? `${base}-${k}-error` : undefined,
  });
  const error = (k: keyof SprintFormValues) =>
    errors[k] ? (
      <span id={`${base}-${k}-error`} className="plan-field-error" data-testid={`sprint-${k}-error`}>
        {errors[k]}
      </span>
    ) : null;

  return (
    <Modal title={mode === 'create' ? 'New sprint' : 'Edit sprint'} onCancel={onClose} testId="sprint-dialog">
      <form onSubmit={submit} noValidate>
        <div className="plan-field">
          <label className="field-label" htmlFor={`${base}-name`}>
            Name
          </label>
          <input className="input" value={values.name} onChange={set('name')} {...field('name')} data-testid="sprint-name" />
          {error('name')}
        </div>
        <div className="plan-field">
          <label className="field-label" htmlFor={`${base}-goal`}>
            Sprint goal
          </label>
          <textarea className="input" rows={2} value={values.goal} onChange={set('goal')} placeholder="What this sprint moves toward the product goal" {...field('goal')} data-testid="sprint-goal" />
          {error('goal')}
        </div>
        <div className="plan-field-row">
          <div className="plan-field">
            <label className="field-label" htmlFor={`${base}-start`}>
              First day
            </label>
            <input className="input" type="date" value={values.start} onChange={set('start')} {...field('start')} data-testid="sprint-start" />
            {error('start')}
          </div>
          <div className="plan-field">
            <label className="field-label" htmlFor={`${base}-end`}>
              Last day
            </label>
            <input className="input" type="date" value={values.end} onChange={set('end')} {...field('end')} data-testid="sprint-end" />
            {error('end')}
          </div>
        </div>
        {refused && (
          <p className="form-error" role="alert">
            {refused}
          </p>
        )}
        <div className="plan-dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="sprint-save">
            {mode === 'create' ? 'Create sprint' : 'Save'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
