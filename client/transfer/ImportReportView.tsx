/**
 * The parts of the import dialog that show a dry run's report: the items as they will
 * land, the problems by row and column, and the column mapping for a generic CSV.
 * Presentational: the dialog owns the state.
 */
import { ITEM_STATUS_LABELS } from '../../shared/schema/item.ts';
import type { ColumnMapping, ImportFormat, ImportIssue, ImportReport, MappableField } from '../../shared/transfer/report.ts';

/** How many rows of the file the preview shows. */
export const PREVIEW_ROWS = 8;
/** How many problems of each kind are listed before "and N more". */
export const LISTED_ISSUES = 50;

export function PreviewTable({ report }: { report: ImportReport }) {
  const rows = report.items.slice(0, PREVIEW_ROWS);
  if (rows.length === 0) return <p className="import-empty">No items would be imported from this file.</p>;
  const more = report.items.length - rows.length;
  return (
    <div className="import-preview" data-testid="import-preview">
      <table>
        <caption className="visually-hidden">The first {rows.length} items as they will appear on the board</caption>
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Title</th>
            <th scope="col">Estimate</th>
            <th scope="col">Status</th>
            <th scope="col">Labels</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((item) => (
            <tr key={item.id}>
              <td className="import-key" data-label="Key">
                {item.externalKey ?? <span className="muted">—</span>}
                {item.action === 'updated' && (
                  <span className="import-action" title="Already on the board: the file’s values replace the item’s">
                    updates
                  </span>
                )}
              </td>
              <td className="import-title" data-label="Title">
                {item.title}
              </td>
              <td data-label="Estimate">{item.estimate ?? <span className="muted">—</span>}</td>
              <td data-label="Status">
                {item.status ? <span className={`status-pill status-${item.status}`}>{ITEM_STATUS_LABELS[item.status]}</span> : <span className="muted">—</span>}
              </td>
              <td data-label="Labels">
                {item.labels && item.labels.length > 0 ? (
                  <span className="import-labels">
                    {item.labels.map((l) => (
                      <span key={l} className="import-label">
                        {l}
                      </span>
                    ))}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more > 0 && <p className="small muted">…and {more.toLocaleString('en')} more.</p>}
    </div>
  );
}

/** What `row` counts in a file of this format: spreadsheet rows, Trello cards, or our export's items. */
export const rowNoun = (format: ImportFormat): string => (format === 'trello' ? 'Card' : format === 'json' ? 'Item' : 'Row');

/**
 * "Row 17, Story Points: …" — the row as a spreadsheet numbers it (header = row 1); for
 * JSON files "Card 3" / "Item 3", and row 0 is the file as a whole.
 */
export const issueWhere = (i: ImportIssue, noun = 'Row'): string => {
  const where = i.row === 0 ? 'File' : `${noun} ${i.row}`;
  return i.column ? `${where}, ${i.column}` : where;
};

export function IssueList({ kind, issues, noun = 'Row' }: { kind: 'error' | 'warning'; issues: readonly ImportIssue[]; noun?: string }) {
  if (issues.length === 0) return null;
  const shown = issues.slice(0, LISTED_ISSUES);
  const heading = kind === 'error' ? `${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}` : `${issues.length} ${issues.length === 1 ? 'warning' : 'warnings'}`;
  return (
    <section className={`import-issues import-${kind}s`} aria-label={heading} data-testid={`import-${kind}s`}>
      <h3>
        <span className="import-issue-icon" aria-hidden="true">
          {kind === 'error' ? '!' : 'i'}
        </span>
        {heading}
      </h3>
      <ul>
        {shown.map((i) => (
          <li key={`${i.row}-${i.column ?? ''}-${i.message}`}>
            <strong>{issueWhere(i, noun)}:</strong> {i.message}
          </li>
        ))}
      </ul>
      {issues.length > shown.length && <p className="small muted">…and {issues.length - shown.length} more.</p>}
    </section>
  );
}

const FIELD_LABELS: Readonly<Record<MappableField, string>> = {
  title: 'Title',
  description: 'Description',
  estimate: 'Estimate',
  status: 'Status',
  labels: 'Labels',
  key: 'Key (to recognise re-imports)',
  criteria: 'Acceptance criteria',
};
const FIELD_ORDER: readonly MappableField[] = ['title', 'description', 'estimate', 'status', 'labels', 'key', 'criteria'];

/** One select per field of ours, listing the file's columns; "" leaves the field to the server's detection by name. */
export function ColumnMappingFields({
  columns,
  mapping,
  onChange,
  disabled,
}: {
  columns: readonly string[];
  mapping: ColumnMapping;
  onChange: (m: ColumnMapping) => void;
  disabled?: boolean;
}) {
  return (
    <fieldset className="import-mapping" data-testid="import-mapping">
      <legend>Which column holds what?</legend>
      <p className="small muted">Pick the file’s column for each field; fields left on “by name” use a column called like the field, if there is one.</p>
      <div className="import-mapping-grid">
        {FIELD_ORDER.map((field) => (
          <label key={field} className="import-mapping-field">
            <span>{FIELD_LABELS[field]}</span>
            <select
              value={mapping[field] ?? ''}
              disabled={disabled}
              onChange={(e) => {
                const next: ColumnMapping = { ...mapping };
                if (e.target.value) next[field] = e.target.value;
                else delete next[field];
                onChange(next);
              }}
            >
              <option value="">{field === 'title' ? 'By name (title, summary…)' : 'By name / not used'}</option>
              {[...new Set(columns)].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
