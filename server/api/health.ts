/**
 * GET /healthz: 200 while storage (and Redis, when configured) answers, 503 otherwise, with
 * which part is down. GET /readyz: 200 while the server takes work, 503 once shutdown began,
 * so a load balancer stops sending before the sockets close [OBS-3].
 */
import { routePatterns } from '../../shared/api.ts';
import type { Route } from '../http/router.ts';

type Part = 'ok' | 'down';

export const healthRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: routePatterns.health,
    async handler({ services }) {
      const probeRedis = services.status.redisHealthy;
      const [storageOk, redisOk] = await Promise.all([
        services.storage.healthy().catch(() => false),
        probeRedis ? probeRedis().catch(() => false) : Promise.resolve(null),
      ]);
      const parts: { storage: Part; redis?: Part } = { storage: storageOk ? 'ok' : 'down' };
      if (redisOk !== null) parts.redis = redisOk ? 'ok' : 'down';
      if (storageOk && redisOk !== false) return { status: 200, body: { ok: true, ...parts } };
      const body = storageOk
        ? { error: 'Redis is not answering', code: 'redis_unavailable', ...parts }
        : { error: 'Storage is not answering', code: 'storage_unavailable', ...parts };
      return { status: 503, body };
    },
  },
  {
    method: 'GET',
    path: routePatterns.ready,
    handler({ services }) {
      return services.status.ready()
        ? { status: 200, body: { ready: true } }
        : { status: 503, body: { error: 'Shutting down', code: 'shutting_down', ready: false } };
    },
  },
];
