/**
 * The PO's Definition of Ready setting [DOR-1, DOR-5]: which built-in checks `ready`
 * requires, and the team's own checklist entries (add, rename, remove). An entry of the
 * header's own menu (no room in the phone header for another button), shown to the PO
 * only; the dialog is portalled to the body so closing the menu does not hide it. One
 * save writes the whole definition in one transaction.
 */
import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { LIMITS } from '../../shared/limits.ts';
import { canSetDefinitionOfReady } from '../../shared/policy/can.ts';
import { newReadyCheckId, setDefinitionOfReady } from '../../shared/schema/definitionOfReady.ts';
import { type CustomReadyCheck, READY_CHECK_LABELS, READY_CHECKS, type ReadyCheck } from '../../shared/schema/readiness.ts';
import { useBoardContext, useMeta } from '../hooks/useBoard.ts';
import { useActor } from '../refinement/hooks.ts';
import './ready.css';

const openers = new Set<() => void>();
/** Opens the PO's setting from elsewhere (the item's checklist has an "Edit…" for the PO). */
export function openDefinitionOfReady(): void {
  for (const open of openers) open();
}

export function DefinitionOfReadyMenuItem() {
  const { me } = useBoardContext();
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const allowed = canSetDefinitionOfReady(me.role);
  useEffect(() => {
    if (!allowed) return;
    const show = () => {
      setOpen(true);
      if (!dialog.current?.open) dialog.current?.showModal();
    };
    openers.add(show);
    return () => {
      openers.delete(show);
    };
  }, [allowed]);
  if (!allowed) return null;
  return (
    <>
      <button
        type="button"
        className="btn btn-small dor-menu-item"
        data-testid="dor-open"
        onClick={(e) => {
          e.currentTarget.closest('details')?.removeAttribute('open');
          setOpen(true);
          dialog.current?.showModal();
        }}
      >
        Definition of Ready…
      </button>
      {createPortal(
        <dialog ref={dialog} className="dor-dialog" aria-labelledby="dor-dialog-title" onClose={() => setOpen(false)}>
          {open && <DefinitionForm onClose={() => dialog.current?.close()} />}
        </dialog>,
        document.body,
      )}
    </>
  );
}

function DefinitionForm({ onClose }: { onClose: () => void }) {
  const { doc, origin, store } = useBoardContext();
  const actor = useActor();
  const { definitionOfReady } = useMeta(store);
  const [required, setRequired] = useState<ReadonlySet<ReadyCheck>>(new Set(definitionOfReady.required));
  const [custom, setCustom] = useState<CustomReadyCheck[]>(definitionOfReady.custom.map((c) => ({ ...c })));
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const full = custom.length >= LIMITS.maxCustomReadyChecks;

  const toggle = (check: ReadyCheck, on: boolean) =>
    setRequired((prev) => {
      const next = new Set(prev);
      if (on) next.add(check);
      else next.delete(check);
      return next;
    });
  const add = () => {
    const label = draft.trim();
    if (!label || full) return;
    setCustom((cs) => [...cs, { id: newReadyCheckId(), label }]);
    setDraft('');
  };
  const save = () => {
    const blank = custom.find((c) => c.label.trim() === '');
    if (blank) {
      setError('A team check needs a name (or remove it).');
      return;
    }
    const r = setDefinitionOfReady(doc, actor, { required: READY_CHECKS.filter((c) => required.has(c)), custom }, origin);
    if (!r.ok) {
      setError(r.reason === 'forbidden' ? 'Only the Product Owner changes the Definition of Ready.' : 'Those checks cannot be stored.');
      return;
    }
    onClose();
  };

  return (
    <form
      className="dor-body"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <div className="dor-head">
        <h2 id="dor-dialog-title">Definition of Ready</h2>
      </div>
      <p className="dor-intro">What an item needs before anyone but you can mark it “Ready”. You can still mark an item ready anyway; the item shows that you did.</p>
      <fieldset className="dor-fieldset">
        <legend>Required</legend>
        {READY_CHECKS.map((check) => (
          <label key={check} className="dor-option">
            <input type="checkbox" checked={required.has(check)} onChange={(e) => toggle(check, e.target.checked)} data-testid={`dor-require-${check}`} />
            {READY_CHECK_LABELS[check]}
          </label>
        ))}
      </fieldset>
      <fieldset className="dor-fieldset">
        <legend>Team checks</legend>
        <p className="dor-help">Ticked on each item by anyone of the team. Every one is required.</p>
        {custom.length > 0 && (
          <ul className="dor-custom">
            {custom.map((c, i) => (
              <li key={c.id}>
                <input
                  className="input ref-input-sm"
                  aria-label={`Team check ${i + 1}`}
                  value={c.label}
                  maxLength={LIMITS.maxReadyCheckLabelLength}
                  onChange={(e) => setCustom((cs) => cs.map((x) => (x.id === c.id ? { ...x, label: e.target.value } : x)))}
                  data-testid="dor-custom-label"
                />
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  aria-label={`Remove “${c.label}”`}
                  onClick={() => setCustom((cs) => cs.filter((x) => x.id !== c.id))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="dor-add">
          <input
            className="input ref-input-sm"
            aria-label="New team check"
            placeholder={full ? `At most ${LIMITS.maxCustomReadyChecks} team checks` : 'e.g. UX reviewed'}
            value={draft}
            disabled={full}
            maxLength={LIMITS.maxReadyCheckLabelLength}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
            data-testid="dor-custom-new"
          />
          <button type="button" className="btn btn-small" onClick={add} disabled={full || draft.trim() === ''} data-testid="dor-custom-add">
            Add
          </button>
        </div>
      </fieldset>
      {error && (
        <p className="dor-error" role="alert">
          {error}
        </p>
      )}
      <div className="dor-actions">
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="btn btn-small btn-primary" data-testid="dor-save">
          Save
        </button>
      </div>
    </form>
  );
}
