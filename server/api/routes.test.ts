import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiPaths, routePatterns } from '../../shared/api.ts';
import type { ServerMetrics } from '../metrics/metrics.ts';
import { metricsRoutes } from '../metrics/route.ts';
import { restRoutes } from './routes.ts';

const patterns = new Set<string>(Object.values(routePatterns));

describe('REST routes', () => {
  it('every server route is a pattern from shared/api.ts, and every pattern is served', () => {
    // /metrics is mounted beside them with the instance's registry (createServer.ts).
    const served = [...restRoutes, ...metricsRoutes({} as ServerMetrics)];
    for (const route of served) expect(patterns).toContain(route.path);
    expect(new Set(served.map((r) => r.path))).toEqual(patterns);
  });

  it('the client builds each path from its pattern, with the board id encoded', () => {
    for (const [name, build] of Object.entries(apiPaths)) {
      const pattern = routePatterns[name as keyof typeof routePatterns];
      expect(build('b/1 x')).toBe(pattern.replace(':id', encodeURIComponent('b/1 x')));
    }
    expect(apiPaths.estimationVote('abc')).toBe('/api/boards/abc/estimation/vote');
  });

  it('docs/protocol.md lists every path the server serves', () => {
    const doc = readFileSync(new URL('../../docs/protocol.md', import.meta.url), 'utf8');
    for (const { method, path } of restRoutes) expect(doc).toContain(`${method} ${path}`);
  });
});
