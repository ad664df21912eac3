/**
 * Export (docs/protocol.md, "Import and export"): any role, viewers included, reads the
 * board as JSON (lossless, XFER-8) or the refinement summary as Markdown (XFER-9), as a
 * download. Import is not built yet: its path answers 501 until it is.
 */
import { routePatterns } from '../../shared/api.ts';
import { isIdLike } from '../../shared/ids.ts';
import { exportBoardJson } from '../../shared/transfer/boardExport.ts';
import { exportFilename } from '../../shared/transfer/filename.ts';
import { summarize } from '../../shared/transfer/summary.ts';
import { summaryMarkdown } from '../../shared/transfer/summaryMarkdown.ts';
import { readMeta } from '../../shared/schema/board.ts';
import { HttpError } from '../http/errors.ts';
import type { Route } from '../http/router.ts';

export const transferRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: routePatterns.boardImport,
    handler() {
      throw new HttpError(501, 'not_implemented', 'Import is not available on this server yet');
    },
  },
  {
    method: 'GET',
    path: routePatterns.boardExport,
    async handler({ params, url, user, services, res }) {
      if (!isIdLike(params.id)) throw new HttpError(404, 'board_not_found', 'No such board');
      await user(params.id);
      const format = url.searchParams.get('format') ?? 'json';
      if (format !== 'json' && format !== 'md') throw new HttpError(400, 'invalid_field', '"format" must be json or md');
      const now = Date.now();
      const { body, title } = await services.withBoard(params.id as never, (board) => ({
        title: readMeta(board.doc).title,
        body:
          format === 'json'
            ? `${JSON.stringify(exportBoardJson(board.doc, now), null, 2)}\n`
            : summaryMarkdown(summarize(board.doc, { now })),
      }));
      const name = exportFilename(title, now, format);
      res.writeHead(200, {
        'content-type': format === 'json' ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        'content-disposition': `attachment; filename="${name}"`,
        'cache-control': 'no-store',
      });
      res.end(body);
      return undefined;
    },
  },
];
