/**
 * Flag an item as blocked, with a reason (anyone but a viewer). The reason is required and
 * checked for length before anything is sent.
 */
import { type FormEvent, useId, useState } from 'react';
import { Modal } from './ConfirmDialog.tsx';

export interface BlockDialogProps {
  itemTitle: string;
  maxLength: number;
  onSubmit: (reason: string) => string | null;
  onClose: () => void;
}

export function BlockDialog({ itemTitle, maxLength, onSubmit, onClose }: BlockDialogProps) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  function submit(e: FormEvent) {
    e.preventDefault();
    const text = reason.trim();
    if (!text) return setError('Say what blocks it, so the Scrum Master can act on it.');
    if (text.length > maxLength) return setError(`The reason is too long: ${text.length.toLocaleString()} characters, at most ${maxLength.toLocaleString()}.`);
    const why = onSubmit(text);
    if (why) setError(why);
    else onClose();
  }
  return (
    <Modal title="Flag as blocked" onCancel={onClose} testId="block-dialog">
      <form onSubmit={submit} noValidate>
        <p className="muted">“{itemTitle || 'Untitled'}”</p>
        <div className="plan-field">
          <label className="field-label" htmlFor={id}>
            What blocks it?
          </label>
          <textarea
            id={id}
            className="input"
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
            data-testid="block-reason"
          />
          {error && (
            <span id={`${id}-error`} className="plan-field-error" role="alert">
              {error}
            </span>
          )}
        </div>
        <div className="plan-dialog-actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" data-testid="block-save">
            Flag as blocked
          </button>
        </div>
      </form>
    </Modal>
  );
}
