/**
 * Planning poker and deck REST endpoints (docs/protocol.md, "Estimation"). Each call is
 * authenticated with the personal token; the user comes from the token, never the body.
 */
import { PokerService } from '../estimation/poker.ts';
import type { Route, RouteContext } from '../http/router.ts';

async function withPoker<T>(ctx: RouteContext, fn: (poker: PokerService, user: Awaited<ReturnType<RouteContext['user']>>) => Promise<T>) {
  const user = await ctx.user(ctx.params.id);
  const poker = new PokerService({ storage: ctx.services.storage, withBoard: ctx.services.withBoard });
  return { status: 200, body: await fn(poker, user) };
}

export const estimationRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/boards/:id/estimation/start',
    handler: (ctx) => withPoker(ctx, async (p, u) => p.start(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: '/api/boards/:id/estimation/vote',
    handler: (ctx) => withPoker(ctx, async (p, u) => p.vote(u, await ctx.json())),
  },
  {
    method: 'GET',
    path: '/api/boards/:id/estimation/vote',
    handler: (ctx) => withPoker(ctx, (p, u) => p.mine(u)),
  },
  {
    method: 'POST',
    path: '/api/boards/:id/estimation/reveal',
    handler: (ctx) => withPoker(ctx, async (p, u) => p.reveal(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: '/api/boards/:id/estimation/agree',
    handler: (ctx) => withPoker(ctx, async (p, u) => p.agree(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: '/api/boards/:id/estimation/participation',
    handler: (ctx) => withPoker(ctx, async (p, u) => p.participation(u, await ctx.json())),
  },
  {
    method: 'PUT',
    path: '/api/boards/:id/estimation/options',
    handler: (ctx) => withPoker(ctx, async (p, u) => p.options(u, await ctx.json())),
  },
  {
    method: 'PUT',
    path: '/api/boards/:id/deck',
    handler: (ctx) => withPoker(ctx, async (p, u) => p.setDeck(u, await ctx.json())),
  },
];
