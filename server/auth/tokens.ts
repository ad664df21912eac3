/**
 * Signed tokens (HS256 JWTs via jose). A link token names a board and a role and is
 * shared by everyone of that role; a personal token adds the user id and display name.
 * The server takes the user from a verified token only (AUTH-2).
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { isIdLike } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import { isRole } from '../../shared/roles.ts';
import type { AuthUser } from '../hooks.ts';

const ISSUER = 'refinement-board';
const ALG = 'HS256';

export interface LinkClaims {
  kind: 'link';
  board: BoardId;
  role: Role;
}

export interface UserClaims {
  kind: 'user';
  board: BoardId;
  role: Role;
  userId: UserId;
  name: string;
}

export type TokenClaims = LinkClaims | UserClaims;

export class TokenService {
  constructor(private readonly secret: Uint8Array) {}

  private sign(claims: TokenClaims): Promise<string> {
    return new SignJWT({ ...claims }).setProtectedHeader({ alg: ALG }).setIssuer(ISSUER).setIssuedAt().sign(this.secret);
  }

  signLink(board: BoardId, role: Role): Promise<string> {
    return this.sign({ kind: 'link', board, role });
  }

  signUser(user: AuthUser): Promise<string> {
    return this.sign({ kind: 'user', board: user.boardId, role: user.role, userId: user.userId, name: user.name });
  }

  /** The token's claims, or null for anything missing, forged, malformed or expired. */
  async verify(token: string | null | undefined): Promise<TokenClaims | null> {
    if (!token || token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token, this.secret, { algorithms: [ALG], issuer: ISSUER });
      const { kind, board, role } = payload as Record<string, unknown>;
      if (!isIdLike(board) || !isRole(role)) return null;
      if (kind === 'link') return { kind, board: board as BoardId, role };
      if (kind === 'user') {
        const { userId, name } = payload as Record<string, unknown>;
        if (!isIdLike(userId) || typeof name !== 'string') return null;
        return { kind, board: board as BoardId, role, userId: userId as UserId, name };
      }
      return null;
    } catch (err) {
      if (err instanceof errors.JOSEError) return null;
      throw err;
    }
  }
}

export function userFromClaims(claims: UserClaims): AuthUser {
  return { boardId: claims.board, userId: claims.userId, role: claims.role, name: claims.name };
}
