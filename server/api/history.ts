/**
 * History, as-of and digest endpoints (docs/protocol.md, "History"). Every role may read;
 * the user always comes from the personal token (AUTH-2), never from the body.
 */
import { historyPatterns } from '../../shared/history.ts';
import type { BoardId } from '../../shared/ids.ts';
import { canWriteDocument } from '../../shared/policy/can.ts';
import { historyStoreOf } from '../history/store.ts';
import { asOf, attachNote, digest, digestSeen, historyPage } from '../history/service.ts';
import { HttpError } from '../http/errors.ts';
import type { Route, RouteContext } from '../http/router.ts';
import type { HistoryStore, PrivateStore } from '../storage/types.ts';

async function withHistory<T>(ctx: RouteContext, fn: (store: HistoryStore & PrivateStore, boardId: BoardId, now: number) => Promise<T>) {
  const user = await ctx.user(ctx.params.id);
  const store = historyStoreOf(ctx.services.storage);
  if (!store) throw new HttpError(501, 'no_history', 'This storage keeps no history');
  // The history store is the app's storage itself, which is also its PrivateStore.
  return { status: 200, body: await fn(store as HistoryStore & PrivateStore, user.boardId, Date.now()) };
}

export const historyRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: historyPatterns.events,
    handler: (ctx) =>
      withHistory(ctx, (store, id) =>
        historyPage(store, id, {
          item: ctx.url.searchParams.get('item'),
          before: ctx.url.searchParams.get('before'),
          limit: ctx.url.searchParams.get('limit'),
        }),
      ),
  },
  {
    method: 'POST',
    path: historyPatterns.notes,
    handler: async (ctx) => {
      const user = await ctx.user(ctx.params.id);
      if (!canWriteDocument(user.role)) throw new HttpError(403, 'forbidden', 'Your role does not move items');
      return withHistory(ctx, async (store, id, now) => attachNote(store, id, user, await ctx.json(), now));
    },
  },
  {
    method: 'GET',
    path: historyPatterns.asOf,
    handler: (ctx) => withHistory(ctx, (store, id) => asOf(store, id, ctx.url.searchParams.get('at'))),
  },
  {
    method: 'GET',
    path: historyPatterns.digest,
    handler: async (ctx) => {
      const user = await ctx.user(ctx.params.id);
      return withHistory(ctx, (store, id, now) => digest(store, id, user, now));
    },
  },
  {
    method: 'POST',
    path: historyPatterns.digestSeen,
    handler: async (ctx) => {
      const user = await ctx.user(ctx.params.id);
      return withHistory(ctx, async (store, id, now) => digestSeen(store, id, user, await ctx.json(), now));
    },
  },
];
