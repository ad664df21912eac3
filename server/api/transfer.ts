/**
 * Export (docs/protocol.md, "Import and export"): any role, viewers included, reads the
 * board as JSON (lossless, XFER-8) or the refinement summary as Markdown (XFER-9), as a
 * download; import (Jira, Linear, Azure, generic CSV; Trello and our own JSON) by PO and SM.
 */
import { routePatterns } from '../../shared/api.ts';
import { exportBoardJson } from '../../shared/transfer/boardExport.ts';
import { exportBoardCsv } from '../../shared/transfer/csvExport.ts';
import { exportFilename } from '../../shared/transfer/filename.ts';
import { summarize } from '../../shared/transfer/summary.ts';
import { summaryMarkdown } from '../../shared/transfer/summaryMarkdown.ts';
import { readMeta } from '../../shared/schema/board.ts';
import { isFacilitator } from '../../shared/policy/can.ts';
import { parseImport } from '../../shared/transfer/parseImport.ts';
import { type ParsedImport, UnreadableImport } from '../../shared/transfer/record.ts';
import {
  IMPORT_FORMATS,
  IMPORT_POSITIONS,
  type ImportPosition,
  type ImportReport,
  isImportFormat,
  parseColumnMapping,
} from '../../shared/transfer/report.ts';
import { readRawBody } from '../http/rawBody.ts';
import { buildImport, describePlan, type ImportWriteOptions, importSteps, planImport } from '../transfer/writeImport.ts';
import { HttpError } from '../http/errors.ts';
import type { Route } from '../http/router.ts';
import { boardIdParam } from './boardAccess.ts';

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
      const me = await user(boardIdParam(params.id));
      if (!isFacilitator(me.role)) throw new HttpError(403, 'forbidden_role', 'Only the Product Owner or Scrum Master can import');
      const bytes = await readRawBody(req, services.config.limits.maxImportBytes);
      const q = url.searchParams;
      const format = q.get('format') ?? 'auto';
      if (format !== 'auto' && !isImportFormat(format)) {
        throw new HttpError(400, 'invalid_field', `format=${format} is not a format: expected auto, ${IMPORT_FORMATS.join(', ')}`);
      }
      const position = q.get('position') ?? 'bottom';
      if (!(IMPORT_POSITIONS as readonly string[]).includes(position)) throw new HttpError(400, 'invalid_field', 'position must be top or bottom');
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
      const update = q.get('update') === '1';
      return services.withBoard(me.boardId, async (board) => {
        let parsed: ParsedImport;
        try {
          parsed = await parseImport(bytes, { format, mapping, deck: readMeta(board.doc).deck, maxRecords: services.config.limits.maxImportRows });
        } catch (err) {
          if (err instanceof UnreadableImport) throw new HttpError(400, 'unreadable_import', err.message);
          throw err;
        }
        const refused = parsed.errors.length > 0 && !partial;
        const options: ImportWriteOptions = {
          by: me.userId,
          now: Date.now(),
          update,
          position: position as ImportPosition,
          fields: parsed.fields,
          sprints: parsed.sprints,
          board: parsed.board,
        };
        // Plan and build with pauses (other boards keep flowing); the change is written in
        // steps with pauses too, and stored and relayed as one update [XFER-1, XFER-7].
        const plan = planImport(board.doc, parsed.records, update);
        let result = describePlan(plan);
        if (!dryRun && !refused && plan.fresh.length + plan.updates.length > 0) {
          const built = await buildImport(board.doc, plan, options);
          const stepped = importSteps(parsed.records, options, built);
          await board.changeInSteps(stepped.steps);
          result = stepped.result();
        }
        const badRows = new Set(parsed.errors.map((e) => e.row)).size;
        const byRow = (a: { row: number }, b: { row: number }) => a.row - b.row;
        const report: ImportReport = {
          format: parsed.format,
          dryRun,
          imported: refused ? 0 : result.imported,
          updated: refused ? 0 : result.updated,
          skipped: parsed.skipped + result.skipped + (partial ? badRows : 0),
          errors: parsed.errors,
          warnings: [...parsed.warnings, ...result.warnings].sort(byRow),
          items: refused ? [] : result.items,
          columns: parsed.columns,
          position: position as ImportPosition,
        };
        return { status: refused ? 422 : 200, body: report };
      });
    },
  },
  {
    method: 'GET',
    path: routePatterns.boardExport,
    async handler({ params, url, user, services, res }) {
      await user(boardIdParam(params.id));
      const format = url.searchParams.get('format') ?? 'json';
      if (format !== 'json' && format !== 'md' && format !== 'csv') throw new HttpError(400, 'invalid_field', '"format" must be json, csv or md');
      const now = Date.now();
      const { body, title } = await services.withBoard(params.id as never, async (board) => {
        // Behind what is queued on the board: an import writing in steps is read whole, once stored (XFER-7).
        await board.change(() => {});
        return {
          title: readMeta(board.doc).title,
          body:
            format === 'json'
              ? `${JSON.stringify(exportBoardJson(board.doc, now), null, 2)}\n`
              : format === 'csv'
                ? exportBoardCsv(board.doc)
                : summaryMarkdown(summarize(board.doc, { now })),
        };
      });
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
