/**
 * The import call as the dialog makes it (POST /api/boards/:id/import, docs/protocol.md
 * "Import and export"): the query from the dialog's options, and what an answer means.
 * Pure, so the mapping from options to URL and from status to message is unit-tested.
 */
import { apiPaths } from '../../shared/api.ts';
import { LIMITS } from '../../shared/limits.ts';
import type { ColumnMapping, ImportFormat, ImportReport } from '../../shared/transfer/report.ts';

export interface ImportOptions {
  /** `auto` lets the server detect the format from the content. */
  format: ImportFormat | 'auto';
  dryRun: boolean;
  /** Import the good rows even when some rows are bad. */
  partial: boolean;
  /** Overwrite items whose external key is already on the board (default: skip them). */
  update: boolean;
  position: 'top' | 'bottom';
  /** Generic CSV only: our field → the file's header name; empty means "detect". */
  mapping: ColumnMapping;
}

export const DEFAULT_IMPORT_OPTIONS: ImportOptions = {
  format: 'auto',
  dryRun: true,
  partial: false,
  update: false,
  position: 'bottom',
  mapping: {},
};

/** The import URL with only the options that differ from the server's defaults. */
export function importUrl(boardId: string, o: ImportOptions): string {
  const q = new URLSearchParams();
  if (o.format !== 'auto') q.set('format', o.format);
  if (o.dryRun) q.set('dryRun', '1');
  if (o.partial) q.set('partial', '1');
  if (o.update) q.set('update', '1');
  if (o.position === 'top') q.set('position', 'top');
  const mapping = Object.fromEntries(Object.entries(o.mapping).filter(([, v]) => v));
  if (Object.keys(mapping).length > 0) q.set('mapping', JSON.stringify(mapping));
  const query = q.toString();
  return `${apiPaths.boardImport(boardId)}${query ? `?${query}` : ''}`;
}

/** The content type the server reads the body as; the file's own type when it names one we send. */
export function importContentType(file: { name: string; type: string }): string {
  if (file.type === 'text/csv' || file.type === 'application/json') return file.type;
  if (/\.json$/i.test(file.name)) return 'application/json';
  if (/\.(csv|tsv|txt)$/i.test(file.name)) return 'text/csv';
  return 'application/octet-stream';
}

/** "2.4 MB", "812 KB", "90 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n >= 10 * 1024 * 1024 ? 0 : 1).replace(/\.0$/, '')} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** What an answer means for the dialog: a report to show (200, or 422 with the same body) or a failure to explain. */
export type ImportOutcome = { kind: 'report'; status: number; report: ImportReport } | { kind: 'failed'; status: number; message: string };

/** Too large to send: said before uploading, in the words the server's 413 would use. */
export function tooLargeMessage(size: number): string {
  return `This file is ${formatBytes(size)}; an import can be at most ${formatBytes(LIMITS.maxImportBytes)}. Split the export into smaller files (for example by sprint or by epic) and import them one after the other.`;
}

const looksLikeReport = (b: unknown): b is ImportReport =>
  !!b && typeof b === 'object' && Array.isArray((b as ImportReport).items) && Array.isArray((b as ImportReport).errors);

/** Reads the server's answer (status + body text) into what the dialog shows. */
export function interpretImportAnswer(status: number, bodyText: string, fileSize: number): ImportOutcome {
  let body: unknown = null;
  try {
    body = bodyText ? JSON.parse(bodyText) : null;
  } catch {
    body = null;
  }
  if ((status === 200 || status === 422) && looksLikeReport(body)) return { kind: 'report', status, report: body };
  const serverSays = body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : '';
  switch (status) {
    case 0:
      return { kind: 'failed', status, message: 'Could not reach the server. Check your connection and try again.' };
    case 400:
      return {
        kind: 'failed',
        status,
        message: `The file could not be read${serverSays ? `: ${serverSays}` : '.'} Expected a CSV export (Jira, Linear, Azure DevOps or a spreadsheet with a header row) or a JSON export (Trello or this board).`,
      };
    case 401:
      return { kind: 'failed', status, message: 'Your sign-in has expired. Open your join link again, then retry the import.' };
    case 403:
      return { kind: 'failed', status, message: 'Only the Product Owner or the Scrum Master can import into this board.' };
    case 413:
      return { kind: 'failed', status, message: serverSays ? `${serverSays} (${tooLargeMessage(fileSize)})` : tooLargeMessage(fileSize) };
    default:
      return { kind: 'failed', status, message: serverSays || `The server answered ${status}. Try again in a moment.` };
  }
}

/** The result line after an import: "Imported 42, updated 2, skipped 3." (only the counts that happened). */
export function resultSentence(r: Pick<ImportReport, 'imported' | 'updated' | 'skipped'>): string {
  const parts = [`Imported ${r.imported}`];
  if (r.updated > 0) parts.push(`updated ${r.updated}`);
  if (r.skipped > 0) parts.push(`skipped ${r.skipped}`);
  return `${parts.join(', ')}.`;
}

/**
 * The dry run's forecast: "42 items will be added at the top, 2 updated, 3 skipped." Where
 * new items go is said only when the dialog passes the chosen position.
 */
export function forecastSentence(
  r: Pick<ImportReport, 'imported' | 'updated' | 'skipped' | 'errors'>,
  partial: boolean,
  position?: ImportOptions['position'],
): string {
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  if (r.errors.length > 0 && !partial) {
    return `${n(r.errors.length, 'problem', 'problems')} found. Fix the file, or import only the good rows.`;
  }
  const where = position === undefined || r.imported === 0 ? '' : position === 'top' ? ' at the top' : ' after the backlog';
  const parts = [`${n(r.imported, 'item', 'items')} will be added${where}`];
  if (r.updated > 0) parts.push(`${r.updated} updated`);
  if (r.skipped > 0) parts.push(`${r.skipped} skipped`);
  return `${parts.join(', ')}.`;
}

export const FORMAT_LABELS: Readonly<Record<ImportFormat, string>> = {
  jira: 'Jira CSV',
  linear: 'Linear CSV',
  azure: 'Azure DevOps CSV',
  trello: 'Trello JSON',
  json: 'Board export (JSON)',
  csv: 'Spreadsheet (CSV)',
};
