/**
 * Invite links [INV-1..INV-6]: what a board's join links look like over REST and who may
 * see or change them. The server keeps one generation per role (server/auth/links.ts); a
 * link token names the generation it was signed for, so a new generation ends every older
 * link at once. Documented in docs/protocol.md ("Invite links").
 */
import type { Role } from './roles.ts';

/** A role's link right now: usable, taken back by the PO, or past its expiry. */
export type InviteLinkState = 'active' | 'revoked' | 'expired';

export interface InviteLink {
  role: Role;
  state: InviteLinkState;
  /** Generation of the role's link; a link token for any other generation is refused. */
  generation: number;
  /** When the link stops working, in ms since epoch; null: never. */
  expiresAt: number | null;
  /** Link token and join URL, only while `state` is `active`. */
  token: string | null;
  url: string | null;
}

/** `GET /api/boards/:id/links` (PO and SM). */
export interface InviteLinksResponse {
  links: InviteLink[];
}

/** `POST /api/boards/:id/links/:role` (PO): a new link for the role; the old one stops working. */
export interface RegenerateLinkRequest {
  /** Lifetime of the new link in seconds (1 minute to 1 year); null or absent: no expiry. */
  expiresInSeconds?: number | null;
}

export const LINK_EXPIRY_LIMITS = { minSeconds: 60, maxSeconds: 365 * 24 * 3600 } as const;

/** [INV-1] PO and SM may see the links again (to share them). */
export const canViewInviteLinks = (role: Role): boolean => role === 'po' || role === 'sm';
/** [INV-2] Only the PO regenerates or revokes a link. */
export const canManageInviteLinks = (role: Role): boolean => role === 'po';

/** Error codes of a link that no longer works (REST 401). */
export const LINK_REFUSAL_CODES = { revoked: 'link_revoked', expired: 'link_expired' } as const;
