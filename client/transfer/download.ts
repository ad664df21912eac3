/**
 * Export downloads (GET /api/boards/:id/export?format=json|csv|md): fetched with the
 * personal token in the header (not in a URL that ends up in history and logs) and saved
 * through a blob link under the name the server's Content-Disposition gives.
 */
import { apiPaths } from '../../shared/api.ts';
import type { ExportFormat } from '../../shared/transfer/report.ts';
import { ApiFailure } from '../api.ts';

export const EXPORT_LABELS: Readonly<Record<ExportFormat, { label: string; hint: string }>> = {
  json: { label: 'JSON (complete)', hint: 'Everything on the board; imports into a new board' },
  csv: { label: 'CSV (spreadsheet)', hint: 'Opens in Excel and LibreOffice' },
  md: { label: 'Markdown summary', hint: 'For Confluence, GitHub or Notion' },
};

const EXTENSIONS: Readonly<Record<ExportFormat, string>> = { json: 'json', csv: 'csv', md: 'md' };

export const exportUrl = (boardId: string, format: ExportFormat): string => `${apiPaths.boardExport(boardId)}?format=${format}`;

/** The filename in a Content-Disposition header (RFC 6266: `filename*=UTF-8''…` wins over `filename="…"`). */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2];
  return name?.trim() || null;
}

/** A name to fall back to when the server sends none: "board-2026-12-01.csv". */
export const fallbackFilename = (format: ExportFormat, now = new Date()): string =>
  `board-${now.toISOString().slice(0, 10)}.${EXTENSIONS[format]}`;

/** Fetches the export and hands it to the browser as a download; the saved file's name. */
export async function downloadExport(boardId: string, token: string, format: ExportFormat): Promise<string> {
  let res: Response;
  try {
    res = await fetch(exportUrl(boardId, format), { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiFailure(0, 'network', 'Could not reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string; code?: string } | null;
    throw new ApiFailure(res.status, body?.code ?? `http_${res.status}`, body?.error ?? `The export failed (the server answered ${res.status}).`);
  }
  const blob = await res.blob();
  const name = filenameFromDisposition(res.headers.get('Content-Disposition')) ?? fallbackFilename(format);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
  return name;
}
