/**
 * Board members [MEM-1..MEM-3]: who joined, recorded from personal tokens when someone
 * joins, renews or opens a socket; listed for everyone on the board. Shapes in
 * shared/members.ts; documented in docs/protocol.md ("Members").
 */
import { routePatterns } from '../../shared/api.ts';
import { isIdLike } from '../../shared/ids.ts';
import {
  type BoardMember,
  byName,
  canRemoveMembers,
  MAX_MEMBERS_LISTED,
  type MembersResponse,
  type RemoveMemberResponse,
} from '../../shared/members.ts';
import { isRole } from '../../shared/roles.ts';
import type { AuthUser } from '../extensions.ts';
import { HttpError } from '../http/errors.ts';
import type { Route } from '../http/router.ts';
import type { MemberStore } from '../storage/types.ts';
import { boardCaller, boardIdParam } from './boardAccess.ts';

/** [MEM-1] Records that `user` was on the board now; the identity is the token's (AUTH-2). */
export function recordMember(store: MemberStore, user: AuthUser, at = Date.now()): Promise<void> {
  return store.touchMember(user.boardId, { userId: user.userId, name: user.name, role: user.role }, at);
}

export const memberRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: routePatterns.members,
    async handler(ctx) {
      const { boardId } = await boardCaller(ctx);
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
  {
    // [MEM-4] The PO removes a person: their personal token stops working on REST and on
    // sockets (open ones close with 4401 on every instance). Their past work stays.
    method: 'DELETE',
    path: routePatterns.member,
    async handler(ctx) {
      const boardId = boardIdParam(ctx.params.id);
      const me = await ctx.user(boardId);
      if (!canRemoveMembers(me.role)) throw new HttpError(403, 'forbidden_role', 'Only the Product Owner may remove people');
      const userId = ctx.params.userId ?? '';
      if (userId === me.userId) throw new HttpError(400, 'cannot_remove_self', 'You cannot remove yourself from the board');
      if (!isIdLike(userId) || !(await ctx.services.storage.removeMember(boardId, userId, Date.now()))) {
        throw new HttpError(404, 'member_not_found', 'No such member on this board');
      }
      ctx.services.evictUser(boardId, userId);
      const response: RemoveMemberResponse = { removed: userId as BoardMember['id'] };
      return { status: 200, body: response };
    },
  },
];
