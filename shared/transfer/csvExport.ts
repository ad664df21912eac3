/**
 * The board as a CSV file that opens cleanly in Excel and LibreOffice (UTF-8 with BOM,
 * CRLF rows, every field quoted so multi-line descriptions stay in one cell) and imports
 * back as generic CSV [XFER-10]. A cell starting with = + - @ (or a tab/CR) gets a leading
 * `'` so a spreadsheet shows it as text instead of running it [XFER-11]; the generic
 * import removes that `'` again (fields.ts unescapeFormula).
 */
import Papa from 'papaparse';
import type * as Y from 'yjs';
import { listItems } from '../schema/board.ts';

export const CSV_EXPORT_COLUMNS = ['Key', 'Title', 'Description', 'Status', 'Estimate', 'Labels', 'Acceptance Criteria'] as const;

/** A cell a spreadsheet would read as a formula gets a `'` in front. */
export const escapeFormula = (value: string): string => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

export function exportBoardCsv(doc: Y.Doc): string {
  const rows = listItems(doc).map((i) =>
    [
      i.externalKey ?? i.id,
      i.title,
      i.description,
      i.status,
      i.estimate ?? '',
      i.labels.join('; '),
      i.criteria.map((c) => `[${c.done ? 'x' : ' '}] ${c.text}`).join('\n'),
    ].map(escapeFormula),
  );
  return `\uFEFF${Papa.unparse({ fields: [...CSV_EXPORT_COLUMNS], data: rows }, { quotes: true, newline: '\r\n' })}\r\n`;
}
