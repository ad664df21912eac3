/**
 * The preamble board routes share: the `:id` in the path, the caller's personal token for
 * that board, the role a route needs, and the board existing, checked in that order (a
 * caller without a token learns nothing about which boards exist).
 */
import type { BoardId } from '../../shared/ids.ts';
import { isIdLike } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import type { AuthUser } from '../extensions.ts';
import { HttpError } from '../http/errors.ts';
import type { RouteContext } from '../http/router.ts';

/** The board id from the path; anything that cannot be an id is a board that does not exist. */
export function boardIdParam(raw: string | undefined): BoardId {
  if (!isIdLike(raw)) throw boardNotFound();
  return raw as BoardId;
}

export function boardNotFound(): HttpError {
  return new HttpError(404, 'board_not_found', 'No such board');
}

/** Who may call a route, for its 403: a role check and the people it names ("the Product Owner"). */
export interface RoleRequirement {
  may(role: Role): boolean;
  who: string;
}

/** The caller on the board in the path, allowed by `required` (any role without it), on a board that exists. */
export async function boardCaller(ctx: RouteContext, required?: RoleRequirement): Promise<{ boardId: BoardId; me: AuthUser }> {
  const boardId = boardIdParam(ctx.params.id);
  const me = await ctx.user(boardId);
  if (required && !required.may(me.role)) throw new HttpError(403, 'forbidden_role', `Only ${required.who} may do this`);
  if (!(await ctx.services.storage.getBoard(boardId))) throw boardNotFound();
  return { boardId, me };
}
