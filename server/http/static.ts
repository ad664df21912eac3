/**
 * Serves the built client (vite output in config.clientDir). Client routes such as
 * /b/:id fall back to index.html; nothing outside the directory is ever read.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { HttpError, sendError } from './errors.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

async function fileSize(file: string): Promise<number | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : null;
  } catch {
    return null;
  }
}

export class StaticFiles {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Resolves a URL path inside the root, or null if it would escape it. */
  resolve(urlPath: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(urlPath);
    } catch {
      return null;
    }
    if (decoded.includes('\0')) return null;
    const full = path.resolve(this.root, `.${path.posix.normalize(`/${decoded}`)}`);
    if (full !== this.root && !full.startsWith(this.root + path.sep)) return null;
    return full;
  }

  async serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, new HttpError(405, 'method_not_allowed', 'Use GET', { allow: 'GET, HEAD' }));
      return;
    }
    const file = this.resolve(url.pathname);
    if (!file) {
      sendError(res, new HttpError(400, 'bad_path', 'Malformed path'));
      return;
    }
    let target = file;
    let size = await fileSize(target);
    const isAsset = url.pathname.startsWith('/assets/');
    if (size === null && !isAsset && path.extname(url.pathname) === '') {
      // A client-side route (/, /b/:id): the single-page app decides what to show.
      target = path.join(this.root, 'index.html');
      size = await fileSize(target);
      if (size === null) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
        res.end('The client is not built yet: run `npm run build` (or `npm start`, which builds it).\n');
        return;
      }
    }
    if (size === null) {
      sendError(res, new HttpError(404, 'not_found', 'No such file'));
      return;
    }
    const type = TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'content-length': size,
      'x-content-type-options': 'nosniff',
      // Vite fingerprints /assets/*; everything else (index.html) must be revalidated.
      'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(target)
      .on('error', () => res.destroy())
      .pipe(res);
  }
}
