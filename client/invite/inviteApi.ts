/** Invite-link calls (docs/protocol.md, "Invite links"), with the personal token. */
import { apiPaths, inviteLinkPath, memberPath } from '../../shared/api.ts';
import type { InviteLink, InviteLinksResponse } from '../../shared/invites.ts';
import type { RemoveMemberResponse } from '../../shared/members.ts';
import type { Role } from '../../shared/roles.ts';
import { request } from '../api.ts';

export const listInviteLinks = (boardId: string, token: string): Promise<InviteLinksResponse> =>
  request(apiPaths.links(boardId), { method: 'GET', token });

export const regenerateInviteLink = (boardId: string, token: string, role: Role, expiresInSeconds: number | null): Promise<InviteLink> =>
  request(inviteLinkPath(boardId, role), { method: 'POST', token, body: JSON.stringify({ expiresInSeconds }) });

export const revokeInviteLink = (boardId: string, token: string, role: Role): Promise<InviteLink> =>
  request(inviteLinkPath(boardId, role), { method: 'DELETE', token });

/** The PO removes a person from the board (MEM-4). */
export const removeMember = (boardId: string, token: string, userId: string): Promise<RemoveMemberResponse> =>
  request(memberPath(boardId, userId), { method: 'DELETE', token });
