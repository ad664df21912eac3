/**
 * An uploaded file's bytes → records, for every format: decode the text (decode.ts), then
 * JSON (our board export or a Trello board) or CSV (Jira, Linear, Azure, generic). With
 * `format=auto` a file whose text starts with `{` is read as JSON and told apart by its
 * shape; anything else is CSV, told apart by its header (parseCsv.ts).
 */
import { decodeImportBytes } from './decode.ts';
import { isBoardExport, readBoardJson } from './formats/boardJson.ts';
import { isTrelloBoard, readTrelloBoard } from './formats/trello.ts';
import { type CsvImportOptions, parseCsvText } from './parseCsv.ts';
import { IssueLog, type ParsedImport, UnreadableImport } from './record.ts';
import type { ImportFormat } from './report.ts';

export interface ImportParseOptions extends Omit<CsvImportOptions, 'format'> {
  format?: ImportFormat | 'auto';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UnreadableImport(`The file is not valid JSON (${(err as Error).message}): expected a board export or a Trello board export`);
  }
}

export async function parseImport(bytes: Uint8Array, options: ImportParseOptions): Promise<ParsedImport> {
  const log = new IssueLog();
  const decoded = decodeImportBytes(bytes);
  if (decoded.warning) log.warn(1, null, decoded.warning);
  const text = decoded.text.replace(/^\uFEFF/, '');
  const format = options.format ?? 'auto';
  const looksJson = /^\s*[{[]/.test(text);
  if (format === 'json' || format === 'trello' || (format === 'auto' && looksJson)) {
    const data = parseJson(text);
    const kind = format !== 'auto' ? format : isBoardExport(data) ? 'json' : isTrelloBoard(data) ? 'trello' : null;
    if (kind === null) throw new UnreadableImport('This JSON is neither a board export (from Export → JSON) nor a Trello board export');
    const parsed = kind === 'json' ? await readBoardJson(data, log, options, options.maxRecords) : await readTrelloBoard(data, log, options, options.maxRecords);
    const byRow = (a: { row: number }, b: { row: number }) => a.row - b.row;
    return { ...parsed, errors: parsed.errors.sort(byRow), warnings: parsed.warnings.sort(byRow) };
  }
  return parseCsvText(text, log, { ...options, format });
}
