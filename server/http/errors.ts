/**
 * JSON responses and the errors handlers throw. Every non-2xx body is an ApiError
 * `{error, code}` (shared/api.ts); `code` is stable, `error` is for people.
 */
import type { ServerResponse } from 'node:http';
import type { ApiError } from '../../shared/api.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const unauthorized = (message = 'A valid token is required') =>
  new HttpError(401, 'unauthorized', message, { 'www-authenticate': 'Bearer' });
export const forbidden = (code: string, message: string) => new HttpError(403, code, message);

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, err: HttpError): void {
  const body: ApiError = { error: err.message, code: err.code };
  sendJson(res, err.status, body, err.headers);
}
