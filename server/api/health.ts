/** GET /healthz: 200 while storage answers, 503 otherwise (for load balancers). */
import { routePatterns } from '../../shared/api.ts';
import type { Route } from '../http/router.ts';

export const healthRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: routePatterns.health,
    async handler({ services }) {
      const ok = await services.storage.healthy().catch(() => false);
      return ok
        ? { status: 200, body: { ok: true } }
        : { status: 503, body: { error: 'Storage is not answering', code: 'storage_unavailable' } };
    },
  },
];
