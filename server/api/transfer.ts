/**
 * Export (docs/protocol.md, "Import and export"): any role, viewers included, reads the
 * board as JSON (lossless, XFER-8) or the refinement summary as Markdown (XFER-9), as a
 * download; import of CSV files (Jira, Linear, Azure, generic) by PO and SM.
 */
import { routePatterns } from '../../shared/api.ts';
import { isIdLike } from '../../shared/ids.ts';
import { exportBoardJson } from '../../shared/transfer/boardExport.ts';
import { exportBoardCsv } from '../../shared/transfer/csvExport.ts';
import { exportFilename } from '../../shared/transfer/filename.ts';
import { summarize } from '../../shared/transfer/summary.ts';
import { summaryMarkdown } from '../../shared/transfer/summaryMarkdown.ts';
import { readMeta } from '../../shared/schema/board.ts';
import { isFacilitator } from '../../shared/policy/can.ts';
import { parseCsvImport } from '../../shared/transfer/parseCsv.ts';
import { UnreadableImport } from '../../shared/transfer/record.ts';
import { type ImportReport, parseColumnMapping } from '../../shared/transfer/report.ts';
import { readRawBody } from '../http/rawBody.ts';
import { writeRecords } from '../transfer/importCsv.ts';
import { HttpError } from '../http/errors.ts';
import type { Route } from '../http/router.ts';

const CONTENT_TYPES = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
} as const;

export const transferRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: routePatterns.boardImport,
    async handler({ params, url, user, services, req }) {
      if (!isIdLike(params.id)) throw new HttpError(404, 'board_not_found', 'No such board');
      const me = await user(params.id);
      if (!isFacilitator(me.role)) throw new HttpError(403, 'forbidden_role', 'Only the Product Owner or Scrum Master can import');
      const bytes = await readRawBody(req, services.config.limits.maxImportBytes);
      const q = url.searchParams;
      const format = q.get('format') ?? 'auto';
      if (format !== 'auto' && format !== 'csv' && format !== 'jira' && format !== 'linear' && format !== 'azure') {
        throw new HttpError(400, 'unreadable_import', `format=${format} is not available yet: expected auto, csv, jira, linear or azure`);
      }
      let mapping = {};
      const rawMapping = q.get('mapping');
      if (rawMapping) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(rawMapping);
        } catch {
          throw new HttpError(400, 'invalid_field', 'mapping must be URL-encoded JSON');
        }
        const checked = parseColumnMapping(parsed);
        if (!checked.ok) throw new HttpError(400, 'invalid_field', checked.message);
        mapping = checked.mapping;
      }
      const dryRun = q.get('dryRun') === '1';
      const partial = q.get('partial') === '1';
      return services.withBoard(me.boardId, async (board) => {
        let parsed: Awaited<ReturnType<typeof parseCsvImport>>;
        try {
          parsed = await parseCsvImport(bytes, { format, mapping, deck: readMeta(board.doc).deck, maxRecords: services.config.limits.maxImportRows });
        } catch (err) {
          if (err instanceof UnreadableImport) throw new HttpError(400, 'unreadable_import', err.message);
          throw err;
        }
        const refused = parsed.errors.length > 0 && !partial;
        const now = Date.now();
        let result = writeRecords(board.doc, parsed.records, me.userId, false, now);
        if (!dryRun && !refused && result.imported > 0) {
          await board.change((doc) => {
            result = writeRecords(doc, parsed.records, me.userId, true, now);
          });
        }
        const badRows = new Set(parsed.errors.map((e) => e.row)).size;
        const report: ImportReport = {
          format: parsed.format,
          dryRun,
          imported: refused ? 0 : result.imported,
          updated: 0,
          skipped: parsed.skipped + result.skipped + (partial ? badRows : 0),
          errors: parsed.errors,
          warnings: parsed.warnings,
          items: refused ? [] : result.items,
          columns: parsed.columns,
        };
        return { status: refused ? 422 : 200, body: report };
      });
    },
  },
  {
    method: 'GET',
    path: routePatterns.boardExport,
    async handler({ params, url, user, services, res }) {
      if (!isIdLike(params.id)) throw new HttpError(404, 'board_not_found', 'No such board');
      await user(params.id);
      const format = url.searchParams.get('format') ?? 'json';
      if (format !== 'json' && format !== 'md' && format !== 'csv') throw new HttpError(400, 'invalid_field', '"format" must be json, csv or md');
      const now = Date.now();
      const { body, title } = await services.withBoard(params.id as never, (board) => ({
        title: readMeta(board.doc).title,
        body:
          format === 'json'
            ? `${JSON.stringify(exportBoardJson(board.doc, now), null, 2)}\n`
            : format === 'csv'
              ? exportBoardCsv(board.doc)
              : summaryMarkdown(summarize(board.doc, { now })),
      }));
      const name = exportFilename(title, now, format);
      res.writeHead(200, {
        'content-type': CONTENT_TYPES[format],
        'content-length': Buffer.byteLength(body),
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      });
      res.end(body);
      return undefined;
    },
  },
];
