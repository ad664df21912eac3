/**
 * Invite links [INV-1..INV-5]: PO and SM see a board's join links again; the PO makes a
 * new one for a role (optionally expiring) or revokes it. Shapes in shared/invites.ts;
 * documented in docs/protocol.md ("Invite links").
 */
import type { IncomingMessage } from 'node:http';
import { joinPagePath, routePatterns } from '../../shared/api.ts';
import type { BoardId } from '../../shared/ids.ts';
import {
  canManageInviteLinks,
  canViewInviteLinks,
  type InviteLink,
  type InviteLinksResponse,
  LINK_EXPIRY_LIMITS,
} from '../../shared/invites.ts';
import { isRole, ROLES, type Role } from '../../shared/roles.ts';
import {
  type BoardLinks,
  linkState,
  readBoardLinks,
  regenerated,
  revoked,
  writeBoardLinks,
} from '../auth/links.ts';
import { HttpError } from '../http/errors.ts';
import type { AppServices, Route } from '../http/router.ts';
import { boardCaller } from './boardAccess.ts';
import { publicOrigin } from './boards.ts';

/** The role's link as shown to PO and SM: a freshly signed token of the current generation. */
export async function inviteLinkOf(
  services: AppServices,
  req: IncomingMessage,
  boardId: BoardId,
  links: BoardLinks,
  role: Role,
): Promise<InviteLink> {
  const record = links[role];
  const state = linkState(record, Date.now());
  if (state !== 'active') return { role, state, generation: record.generation, expiresAt: record.expiresAt, token: null, url: null };
  const token = await services.tokens.signLink(boardId, role, record.generation);
  const url = `${publicOrigin(req, services.config)}${joinPagePath(boardId)}#t=${token}`;
  return { role, state, generation: record.generation, expiresAt: record.expiresAt, token, url };
}

function roleParam(raw: string | undefined): Role {
  if (!isRole(raw)) throw new HttpError(404, 'unknown_role', `No such role; use one of ${ROLES.join(', ')}`);
  return raw;
}

function expiryFrom(body: Record<string, unknown>, now: number): number | null {
  const seconds = body.expiresInSeconds;
  if (seconds === undefined || seconds === null) return null;
  const { minSeconds, maxSeconds } = LINK_EXPIRY_LIMITS;
  if (!Number.isSafeInteger(seconds) || (seconds as number) < minSeconds || (seconds as number) > maxSeconds) {
    throw new HttpError(400, 'invalid_field', `"expiresInSeconds" must be a whole number from ${minSeconds} to ${maxSeconds}, or null`);
  }
  return now + (seconds as number) * 1000;
}

export const inviteRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: routePatterns.links,
    async handler(ctx) {
      const { boardId } = await boardCaller(ctx, { may: canViewInviteLinks, who: 'the Product Owner and the Scrum Master' });
      const links = await readBoardLinks(ctx.services.storage, boardId);
      const response: InviteLinksResponse = {
        links: await Promise.all(ROLES.map((role) => inviteLinkOf(ctx.services, ctx.req, boardId, links, role))),
      };
      return { status: 200, body: response };
    },
  },
  {
    method: 'POST',
    path: routePatterns.link,
    async handler(ctx) {
      const { boardId } = await boardCaller(ctx, { may: canManageInviteLinks, who: 'the Product Owner' });
      const role = roleParam(ctx.params.role);
      const expiresAt = expiryFrom(await ctx.json(), Date.now());
      const next = regenerated(await readBoardLinks(ctx.services.storage, boardId), role, expiresAt);
      await writeBoardLinks(ctx.services.storage, boardId, next);
      return { status: 200, body: await inviteLinkOf(ctx.services, ctx.req, boardId, next, role) };
    },
  },
  {
    method: 'DELETE',
    path: routePatterns.link,
    async handler(ctx) {
      const { boardId } = await boardCaller(ctx, { may: canManageInviteLinks, who: 'the Product Owner' });
      const role = roleParam(ctx.params.role);
      const next = revoked(await readBoardLinks(ctx.services.storage, boardId), role);
      await writeBoardLinks(ctx.services.storage, boardId, next);
      return { status: 200, body: await inviteLinkOf(ctx.services, ctx.req, boardId, next, role) };
    },
  },
];
