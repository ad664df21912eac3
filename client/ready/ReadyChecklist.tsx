/**
 * The item's Definition of Ready checklist [DOR-3]: each required check, passing or failing,
 * so the team sees what stands between the item and `ready` before anyone tries.
 */
import type { ItemSnapshot } from '../../shared/schema/item.ts';
import { DEFAULT_DEFINITION_OF_READY, type DefinitionOfReady, evaluateReadiness } from '../../shared/schema/readiness.ts';
import './ready.css';

export function ReadyChecklist({ item, dor = DEFAULT_DEFINITION_OF_READY }: { item: ItemSnapshot; dor?: DefinitionOfReady }) {
  const { lines, ready } = evaluateReadiness(item, dor);
  return (
    <section className="ref-field dor-checklist" aria-labelledby="dor-heading" data-testid="ready-checklist">
      <h3 id="dor-heading" className="ref-label">
        Definition of Ready · {ready ? 'met' : 'not met'}
      </h3>
      <ul className="dor-lines">
        {lines.map((l) => (
          <li key={l.key} className={l.passed ? 'dor-pass' : 'dor-fail'} data-passed={l.passed}>
            <span aria-hidden="true">{l.passed ? '✓' : '✗'}</span> {l.label}
            <span className="visually-hidden">{l.passed ? ' (passes)' : ' (fails)'}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
