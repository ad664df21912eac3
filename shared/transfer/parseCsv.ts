/**
 * A CSV file's bytes → records of one format (forced, or detected from its header:
 * Jira has "Issue key" and "Summary", Azure "Work Item Type", Linear "ID", "Title" and
 * "Team"; anything else is generic CSV).
 */
import { Columns } from './columns.ts';
import { type CsvOptions, parseCsvTable } from './csvTable.ts';
import { decodeImportBytes } from './decode.ts';
import { azureLayout, type CsvLayout, genericLayout, jiraLayout, linearLayout, readCsvRecords } from './formats/csvFormats.ts';
import { IssueLog, type ParsedImport, type UpdatableField } from './record.ts';
import type { ColumnMapping } from './report.ts';

export type CsvFormat = 'csv' | 'jira' | 'linear' | 'azure';

export function detectCsvFormat(cols: Columns): CsvFormat {
  if (cols.has('Issue key') && cols.has('Summary')) return 'jira';
  if (cols.has('Work Item Type')) return 'azure';
  if (cols.has('ID') && cols.has('Title') && cols.has('Team')) return 'linear';
  return 'csv';
}

export interface CsvImportOptions extends CsvOptions {
  format?: CsvFormat | 'auto';
  mapping?: ColumnMapping;
  /** The board's deck: cards that count as estimates besides numbers. */
  deck: readonly string[];
}

export async function parseCsvImport(bytes: Uint8Array, options: CsvImportOptions): Promise<ParsedImport> {
  const log = new IssueLog();
  const decoded = decodeImportBytes(bytes);
  if (decoded.warning) log.warn(1, null, decoded.warning);
  return parseCsvText(decoded.text, log, options);
}

/** The fields a layout reads from the file (what `update=1` may overwrite). */
function layoutFields(layout: CsvLayout | null): Set<UpdatableField> {
  const fields = new Set<UpdatableField>(['title']);
  if (!layout) return fields;
  if (layout.description) fields.add('description');
  if (layout.estimate) fields.add('estimate');
  if (layout.labels.length > 0 || layout.tagged.length > 0) fields.add('labels');
  if (layout.status) fields.add('status');
  return fields;
}

/** CSV text (already decoded) → records; issues so far are in `log`. */
export async function parseCsvText(text: string, log: IssueLog, options: CsvImportOptions): Promise<ParsedImport> {
  const table = await parseCsvTable(text, log, options);
  const cols = new Columns(table.headers);
  const format = !options.format || options.format === 'auto' ? detectCsvFormat(cols) : options.format;
  const layout =
    format === 'jira'
      ? jiraLayout(cols)
      : format === 'linear'
        ? linearLayout(cols)
        : format === 'azure'
          ? azureLayout(cols)
          : genericLayout(cols, options.mapping ?? {}, log);
  const read = layout ? await readCsvRecords(cols, table.records, layout, options.deck, log, options) : { records: [], skipped: 0 };
  const byRow = (a: { row: number }, b: { row: number }) => a.row - b.row;
  return {
    format,
    records: read.records,
    errors: log.errors.sort(byRow),
    warnings: log.warnings.sort(byRow),
    skipped: read.skipped,
    columns: table.headers,
    fields: layoutFields(layout),
  };
}
