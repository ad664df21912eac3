/** The one check every place that accepts a link token makes (join, board info). */
import { LINK_REFUSAL_CODES } from '../../shared/invites.ts';
import { checkLinkToken, readBoardLinks } from '../auth/links.ts';
import type { LinkClaims } from '../auth/tokens.ts';
import { HttpError } from '../http/errors.ts';
import type { AppServices } from '../http/router.ts';

/**
 * [INV-4] A link token is usable only for its role's current generation while that link is
 * active: otherwise 401 `link_revoked` or `link_expired`, said so people know to ask for
 * the new link.
 */
export async function assertLinkUsable(services: AppServices, claims: LinkClaims): Promise<void> {
  const links = await readBoardLinks(services.storage, claims.board);
  const verdict = checkLinkToken(links, claims.role, claims.generation, Date.now());
  if (verdict === 'revoked') {
    throw new HttpError(401, LINK_REFUSAL_CODES.revoked, 'This join link was replaced or revoked by the Product Owner; ask them for the new one');
  }
  if (verdict === 'expired') {
    throw new HttpError(401, LINK_REFUSAL_CODES.expired, 'This join link has expired; ask the Product Owner for a new one');
  }
}

