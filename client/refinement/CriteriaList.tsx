/** Acceptance criteria as a checklist [REF-9]: check, edit in place, remove, add. */
import { useState } from 'react';
import type { ItemId } from '../../shared/ids.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { addCriterion, editCriterion, removeCriterion, setCriterionDone } from '../../shared/schema/criteria.ts';
import { useDraft } from '../hooks/drafts.ts';
import { useBoardContext } from '../hooks/useBoard.ts';
import { useActor } from './hooks.ts';

export function CriteriaList({ item }: { item: ItemSnapshot }) {
  const { doc, origin, canWrite, drafts } = useBoardContext();
  const actor = useActor();
  const [draft, setDraft] = useDraft(drafts, item.id, 'criterion');
  const [editing, setEditing] = useState<{ id: string; text: string } | null>(null);
  const id = item.id as ItemId;
  const done = item.criteria.filter((c) => c.done).length;

  return (
    <section className="ref-section" aria-labelledby="ref-criteria-h">
      <h3 id="ref-criteria-h" className="ref-h">
        Acceptance criteria{' '}
        {item.criteria.length > 0 && (
          <span className="ref-count">
            {done}/{item.criteria.length}
          </span>
        )}
      </h3>
      {item.criteria.length === 0 && <p className="ref-empty">No criteria yet.</p>}
      <ul className="ref-criteria">
        {item.criteria.map((c) => (
          <li key={c.id} className={c.done ? 'is-done' : ''}>
            <input
              type="checkbox"
              checked={c.done}
              disabled={!canWrite}
              aria-label={`Done: ${c.text}`}
              onChange={(e) => setCriterionDone(doc, id, c.id, actor, e.target.checked, origin)}
            />
            {editing?.id === c.id ? (
              <form
                className="ref-inline-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  editCriterion(doc, id, c.id, actor, editing.text, origin);
                  setEditing(null);
                }}
              >
                <input
                  className="input ref-input-sm"
                  value={editing.text}
                  autoFocus
                  aria-label="Edit criterion"
                  onChange={(e) => setEditing({ id: c.id, text: e.target.value })}
                  onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
                  onBlur={() => {
                    editCriterion(doc, id, c.id, actor, editing.text, origin);
                    setEditing(null);
                  }}
                />
              </form>
            ) : (
              <span className="ref-criterion-text">
                {c.text}
              </span>
            )}
            {canWrite && editing?.id !== c.id && (
              <span className="ref-row-actions">
                <button type="button" className="icon-btn ref-icon-sm" aria-label={`Edit “${c.text}”`} onClick={() => setEditing({ id: c.id, text: c.text })}>
                  ✎
                </button>
                <button type="button" className="icon-btn ref-icon-sm" aria-label={`Remove “${c.text}”`} onClick={() => removeCriterion(doc, id, c.id, actor, origin)}>
                  ×
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
      {canWrite && (
        <form
          className="ref-add-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (addCriterion(doc, id, actor, draft, origin).ok) setDraft('');
          }}
        >
          <input className="input ref-input-sm" placeholder="Add a criterion…" value={draft} onChange={(e) => setDraft(e.target.value)} aria-label="New acceptance criterion" data-testid="criterion-input" />
          <button type="submit" className="btn btn-small" disabled={!draft.trim()}>
            Add
          </button>
        </form>
      )}
    </section>
  );
}
