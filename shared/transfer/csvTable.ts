/**
 * CSV text → header + records, each with its spreadsheet row (header = 1, record n = row n + 1).
 * Parsing is papaparse's; this module only counts rows, finds the header, and pauses
 * every `yieldEvery` records so a 10,000-row file never holds the event loop for long
 * (other boards keep being served while it parses) [XFER-7].
 */
import Papa from 'papaparse';
import { type IssueLog, macrotask, UnreadableImport } from './record.ts';

export interface CsvRecord {
  /** The record's row as a spreadsheet shows it (header = 1; quoted newlines stay in one row) [XFER-5]. */
  line: number;
  cells: string[];
}

export interface CsvTable {
  headers: string[];
  records: CsvRecord[];
  delimiter: string;
}

export interface CsvOptions {
  /** Records parsed between two pauses (default 500). */
  yieldEvery?: number;
  /** How to pause; default a macrotask (record.ts), so I/O of other boards runs. */
  pause?: () => Promise<void>;
  /** Stop after this many records (after the header); the rest is an error. */
  maxRecords?: number;
}

const DELIMITERS = [',', ';', '\t', '|'];

const isBlank = (cells: readonly string[]) => cells.every((c) => c.trim() === '');

/**
 * Parses CSV (delimiter detected among `,` `;` tab `|`). Broken records (an unclosed
 * quote, more cells than the header) are reported in `issues` and left out; the caller
 * decides whether that refuses the file.
 */
export async function parseCsvTable(text: string, issues: IssueLog, options: CsvOptions = {}): Promise<CsvTable> {
  const yieldEvery = options.yieldEvery ?? 500;
  const pause = options.pause ?? macrotask;
  const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
  let headers: string[] | null = null;
  const records: CsvRecord[] = [];
  let delimiter = ',';
  // Spreadsheet rows: one per record (blank ones too), however many newlines its cells hold.
  let line = 0;
  let sincePause = 0;
  let tooMany = false;
  // papaparse guesses the delimiter from a preview; in step mode its guess misses tabs.
  const guessed = Papa.parse<string[]>(text.slice(0, 65_536), { preview: 20, skipEmptyLines: true, delimitersToGuess: DELIMITERS }).meta.delimiter;
  await new Promise<void>((resolve, reject) => {
    Papa.parse<string[]>(text, {
      skipEmptyLines: false,
      delimiter: guessed || ',',
      step(result, parser) {
        try {
          const startLine = ++line;
          delimiter = result.meta.delimiter || delimiter;
          const cells = result.data;
          const unclosed = result.errors.some((e) => e.code === 'MissingQuotes');
          if (headers === null) {
            if (isBlank(cells)) return;
            if (unclosed) throw new UnreadableImport('The header row has an unclosed quote: expected a CSV file with a header row');
            headers = cells.map((h) => h.trim());
          } else if (unclosed) {
            issues.error(startLine, null, 'A quoted cell is not closed ("…): this row and everything after it were read as one cell');
          } else if (!isBlank(cells)) {
            const extra = cells.slice(headers.length);
            if (extra.some((c) => c.trim() !== '')) {
              issues.error(startLine, null, `This row has ${cells.length} cells but the header has ${headers.length}`);
            } else if (records.length >= maxRecords) {
              tooMany = true;
              parser.abort();
              return;
            } else {
              const row = cells.slice(0, headers.length);
              while (row.length < headers.length) row.push('');
              records.push({ line: startLine, cells: row });
            }
          }
          if (++sincePause >= yieldEvery) {
            sincePause = 0;
            parser.pause();
            pause().then(() => parser.resume(), reject);
          }
        } catch (err) {
          parser.abort();
          reject(err);
        }
      },
      complete: () => resolve(),
      error: (err: Error) => reject(err),
    });
  });
  if (headers === null) throw new UnreadableImport('The file is empty: expected a CSV file with a header row, or a JSON export');
  if (tooMany) issues.error(line, null, `More than ${maxRecords} rows: import the file in parts`);
  return { headers, records, delimiter };
}
