/**
 * A modal question (native <dialog> with showModal: focus moves in and is trapped, Escape
 * cancels, the page behind is inert). Used for the blocked-item warning and sprint actions.
 */
import { type ReactNode, useEffect, useId, useRef } from 'react';

export interface ModalProps {
  title: string;
  onCancel: () => void;
  testId?: string;
  children: ReactNode;
}

/** The dialog frame: opens as a modal when mounted, closes (and reports cancel) on Escape. */
export function Modal({ title, onCancel, testId, children }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const cancel = useRef(onCancel);
  cancel.current = onCancel;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!el.open) el.showModal();
    const onClose = (e: Event) => {
      e.preventDefault();
      cancel.current();
    };
    el.addEventListener('cancel', onClose);
    return () => {
      el.removeEventListener('cancel', onClose);
      if (el.open) el.close();
    };
  }, []);
  return (
    <dialog ref={ref} className="plan-dialog" aria-labelledby={titleId} data-testid={testId}>
      <div className="plan-dialog-body">
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </dialog>
  );
}

export interface ConfirmDialogProps {
  title: string;
  confirmLabel: string;
  cancelLabel?: string;
  onConfirm: () => void;
  onCancel: () => void;
  testId?: string;
  children: ReactNode;
}

export function ConfirmDialog({ title, confirmLabel, cancelLabel = 'Cancel', onConfirm, onCancel, testId, children }: ConfirmDialogProps) {
  return (
    <Modal title={title} onCancel={onCancel} testId={testId}>
      {children}
      <div className="plan-dialog-actions">
        <button type="button" className="btn" onClick={onCancel} autoFocus>
          {cancelLabel}
        </button>
        <button type="button" className="btn btn-primary" onClick={onConfirm} data-testid="confirm">
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
