/**
 * The item's Definition of Ready checklist [DOR-3, DOR-6]: each required check, passing or
 * failing, so the team sees what stands between the item and `ready` before anyone tries;
 * the team's own entries are checkboxes anyone who edits items may tick.
 */
import type { ItemId } from '../../shared/ids.ts';
import { canSetDefinitionOfReady, canTickReadyChecks } from '../../shared/policy/can.ts';
import { setReadyCheck } from '../../shared/schema/definitionOfReady.ts';
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { type DefinitionOfReady, evaluateReadiness } from '../../shared/schema/readiness.ts';
import { useBoardContext, useMeta } from '../hooks/useBoard.ts';
import { useActor } from '../refinement/hooks.ts';
import { openDefinitionOfReady } from './DefinitionOfReadyDialog.tsx';
import './ready.css';

export function ReadyChecklist({ item, dor }: { item: ItemSnapshot; dor?: DefinitionOfReady }) {
  const { doc, origin, store } = useBoardContext();
  const meta = useMeta(store);
  const actor = useActor();
  const definition = dor ?? meta.definitionOfReady;
  const { lines, ready } = evaluateReadiness(item, definition, new Set(item.readyChecks));
  const mayTick = canTickReadyChecks(actor.role) && item.archivedAt === null;
  return (
    <section className="ref-field dor-checklist" aria-labelledby="dor-heading" data-testid="ready-checklist">
      <div className="dor-checklist-head">
        <h3 id="dor-heading" className="ref-label">
          Definition of Ready · {ready ? 'met' : 'not met'}
        </h3>
        {canSetDefinitionOfReady(actor.role) && (
          <button type="button" className="btn btn-small btn-ghost" onClick={openDefinitionOfReady} data-testid="dor-edit">
            Edit…
          </button>
        )}
      </div>
      {lines.length === 0 ? (
        <p className="ref-empty">This board requires nothing before “Ready”.</p>
      ) : (
        <ul className="dor-lines">
          {lines.map((l) => {
            const customId = l.key.startsWith('custom:') ? l.key.slice(7) : null;
            return (
              <li key={l.key} className={l.passed ? 'dor-pass' : 'dor-fail'} data-passed={l.passed} data-check={l.key}>
                {customId !== null && mayTick ? (
                  <label className="dor-tick">
                    <input
                      type="checkbox"
                      checked={l.passed}
                      onChange={(e) => setReadyCheck(doc, actor, item.id as ItemId, customId, e.target.checked, origin)}
                      data-testid="ready-tick"
                    />
                    {l.label}
                    <span className="visually-hidden">{l.passed ? ' (ticked)' : ' (not ticked)'}</span>
                  </label>
                ) : (
                  <>
                    <span aria-hidden="true" className="dor-mark">
                      {l.passed ? '✓' : '✗'}
                    </span>{' '}
                    {l.label}
                    <span className="visually-hidden">{l.passed ? ' (passes)' : ' (fails)'}</span>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
