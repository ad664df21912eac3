/**
 * Board members [MEM-1..MEM-3]: who joined, recorded from personal tokens when someone
 * joins, renews or opens a socket; listed for everyone on the board. Shapes in
 * shared/members.ts; documented in docs/protocol.md ("Members").
 */
import { routePatterns } from '../../shared/api.ts';
import type { BoardId } from '../../shared/ids.ts';
import { isIdLike } from '../../shared/ids.ts';
import { type BoardMember, byName, MAX_MEMBERS_LISTED, type MembersResponse } from '../../shared/members.ts';
import { isRole } from '../../shared/roles.ts';
import type { AuthUser } from '../extensions.ts';
import { HttpError } from '../http/errors.ts';
import type { Route } from '../http/router.ts';
import type { MemberStore } from '../storage/types.ts';

/** [MEM-1] Records that `user` was on the board now; the identity is the token's (AUTH-2). */
export function recordMember(store: MemberStore, user: AuthUser, at = Date.now()): Promise<void> {
  return store.touchMember(user.boardId, { userId: user.userId, name: user.name, role: user.role }, at);
}

export const memberRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: routePatterns.members,
    async handler(ctx) {
      const raw = ctx.params.id;
      if (!isIdLike(raw)) throw new HttpError(404, 'board_not_found', 'No such board');
      const boardId = raw as BoardId;
      await ctx.user(boardId);
      if (!(await ctx.services.storage.getBoard(boardId))) throw new HttpError(404, 'board_not_found', 'No such board');
      const stored = await ctx.services.storage.listMembers(boardId, MAX_MEMBERS_LISTED);
      const members: BoardMember[] = [];
      for (const m of stored) {
        // A row with a role this version does not know (written by a newer one) is left out.
        if (!isRole(m.role)) continue;
        members.push({ id: m.userId as BoardMember['id'], name: m.name, role: m.role, joinedAt: m.joinedAt, lastSeenAt: m.lastSeenAt });
      }
      const response: MembersResponse = { members: byName(members) };
      return { status: 200, body: response };
    },
  },
];
