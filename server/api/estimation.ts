/**
 * Planning poker and deck REST endpoints (docs/protocol.md, "Estimation"). Each call is
 * authenticated with the personal token; the user comes from the token, never the body.
 * The one PokerService is the app's (`services.poker`), shared with the rooms' auto-reveal.
 */
import { routePatterns } from '../../shared/api.ts';
import type { AsyncPokerService } from '../estimation/asyncPoker.ts';
import type { PokerService } from '../estimation/poker.ts';
import type { AuthUser } from '../extensions.ts';
import type { Route, RouteContext } from '../http/router.ts';

async function withPoker<T>(ctx: RouteContext, fn: (poker: PokerService, user: AuthUser) => Promise<T>) {
  const user = await ctx.user(ctx.params.id);
  return { status: 200, body: await fn(ctx.services.poker, user) };
}

async function withAsync<T>(ctx: RouteContext, fn: (poker: AsyncPokerService, user: AuthUser) => Promise<T>) {
  const user = await ctx.user(ctx.params.id);
  return { status: 200, body: await fn(ctx.services.asyncPoker, user) };
}

export const estimationRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: routePatterns.estimationStart,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.start(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: routePatterns.estimationVote,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.vote(u, await ctx.json())),
  },
  {
    method: 'GET',
    path: routePatterns.estimationVote,
    handler: (ctx) => withPoker(ctx, (p, u) => p.mine(u)),
  },
  {
    method: 'POST',
    path: routePatterns.estimationReveal,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.reveal(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: routePatterns.estimationCancel,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.cancel(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: routePatterns.estimationAgree,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.agree(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: routePatterns.estimationParticipation,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.participation(u, await ctx.json())),
  },
  {
    method: 'PUT',
    path: routePatterns.estimationOptions,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.options(u, await ctx.json())),
  },
  {
    method: 'PUT',
    path: routePatterns.deck,
    handler: (ctx) => withPoker(ctx, async (p, u) => p.setDeck(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: routePatterns.asyncEstimationStart,
    handler: (ctx) => withAsync(ctx, async (p, u) => p.start(u, await ctx.json())),
  },
  {
    method: 'POST',
    path: routePatterns.asyncEstimationVote,
    handler: (ctx) => withAsync(ctx, async (p, u) => p.vote(u, await ctx.json())),
  },
  {
    method: 'GET',
    path: routePatterns.asyncEstimationVote,
    handler: (ctx) => withAsync(ctx, (p, u) => p.mine(u)),
  },
  {
    method: 'POST',
    path: routePatterns.asyncEstimationReveal,
    handler: (ctx) => withAsync(ctx, async (p, u) => p.revealEarly(u, await ctx.json())),
  },
];
