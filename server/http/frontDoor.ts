/**
 * What every HTTP request passes before it is routed: the security headers [LIM-3], the
 * per-address limits [LIM-1] (429 with Retry-After), and a debug log line with the path
 * only: a query string may hold a token (`/ws/…?token=`), so it is never logged [OBS-2].
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AbuseLimits } from '../limits/abuseLimits.ts';
import { LIMIT_MESSAGES } from '../limits/abuseLimits.ts';
import type { Logger } from '../log/logger.ts';
import type { ServerMetrics } from '../metrics/metrics.ts';
import { HttpError, sendError } from './errors.ts';
import { applySecurityHeaders } from './securityHeaders.ts';

export interface FrontDoorDeps {
  abuse: AbuseLimits | null;
  metrics: ServerMetrics;
  logger: Logger;
}

/** True when the request may go on to the router or the static files; else it was answered. */
export function admitRequest(req: IncomingMessage, res: ServerResponse, url: URL, deps: FrontDoorDeps): boolean {
  applySecurityHeaders(res);
  if (deps.logger.isLevelEnabled('debug')) {
    const started = performance.now();
    res.once('finish', () => {
      deps.logger.debug(
        { event: 'http.request', method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started) },
        'request',
      );
    });
  }
  const limited = deps.abuse?.request(req, url.pathname);
  if (!limited) return true;
  deps.metrics.addressLimited.inc({ limit: limited.kind });
  deps.logger.info({ event: 'limit.refused', limit: limited.kind, path: url.pathname }, 'per-address limit reached');
  sendError(
    res,
    new HttpError(429, 'rate_limited', LIMIT_MESSAGES[limited.kind], { 'retry-after': String(limited.retryAfterSeconds) }),
  );
  // The body is not read: do not keep the connection for the rest of it.
  if (!req.complete) res.once('finish', () => req.socket.destroySoon?.());
  return false;
}
