/**
 * GET /metrics [OBS-1]: the Prometheus text exposition. With METRICS_TOKEN set it answers
 * only `Authorization: Bearer <token>` (401 otherwise); unset, only loopback peers (403),
 * so a default install never shows its numbers to the internet.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { routePatterns } from '../../shared/api.ts';
import { HttpError } from '../http/errors.ts';
import { bearerToken, type Route } from '../http/router.ts';
import type { ServerMetrics } from './metrics.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Throws the 401/403 a scrape without the right to see the metrics gets. */
export function assertMayScrape(req: IncomingMessage, metricsToken: string | null): void {
  if (metricsToken !== null) {
    const given = bearerToken(req);
    if (given === null || !sameSecret(given, metricsToken)) {
      throw new HttpError(401, 'unauthorized', 'Metrics need the METRICS_TOKEN bearer token', { 'www-authenticate': 'Bearer' });
    }
    return;
  }
  // The peer itself, never X-Forwarded-For: a proxy on this host would otherwise open it to everyone.
  if (!LOOPBACK.test(req.socket.remoteAddress ?? '')) {
    throw new HttpError(403, 'metrics_loopback_only', 'Metrics are served to loopback only; set METRICS_TOKEN to scrape remotely');
  }
}

export function metricsRoutes(metrics: ServerMetrics): Route[] {
  return [
    {
      method: 'GET',
      path: routePatterns.metrics,
      async handler({ req, res, services }) {
        assertMayScrape(req, services.config.metricsToken);
        const text = await metrics.exposition();
        res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
        res.end(req.method === 'HEAD' ? undefined : text);
        return undefined;
      },
    },
  ];
}
