/**
 * Signed tokens (HS256 JWTs via jose). A link token names a board and a role and is
 * shared by everyone of that role; a personal token adds the user id and display name.
 * The server takes the user from a verified token only (AUTH-2).
 *
 * Personal tokens expire [AUTH-8]: `exp` is `personalTtlSeconds` after issue, and no
 * personal token is accepted longer than that after its `iat` — so tokens issued before
 * expiry existed (no `exp`) count from their `iat`, and lowering the TTL also shortens
 * tokens already out. A token with neither is refused. Link tokens carry no `exp`; whether
 * one still works (its generation, revoked, expired) is the board's link record
 * (server/auth/links.ts, INV-4), checked where a link token is accepted.
 */
import { errors, jwtVerify, SignJWT } from 'jose';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { isIdLike } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import { isRole } from '../../shared/roles.ts';
import type { AuthUser } from '../extensions.ts';

const ISSUER = 'refinement-board';
const ALG = 'HS256';

/** Default lifetime of a personal token: 30 days (config `personalTokenTtlSeconds`). */
export const DEFAULT_PERSONAL_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

export interface LinkClaims {
  kind: 'link';
  board: BoardId;
  role: Role;
  /** The role's link generation it was signed for [INV-4] (claim `gen`; absent in old tokens: 0). */
  generation: number;
}

export interface UserClaims {
  kind: 'user';
  board: BoardId;
  role: Role;
  userId: UserId;
  name: string;
}

export type TokenClaims = LinkClaims | UserClaims;

/**
 * A verified token, or why not. `expired` is said only of a genuine token (signature and
 * issuer checked) whose time is up; anything else is `invalid`.
 */
export type TokenCheck =
  | { ok: true; claims: TokenClaims; /** ms since epoch; null for link tokens (no expiry). */ expiresAt: number | null }
  | { ok: false; reason: 'invalid' | 'expired' };

export interface IssuedToken {
  token: string;
  /** When it expires, in ms since epoch. */
  expiresAt: number;
}

export class TokenService {
  private readonly personalTtlSeconds: number;
  private readonly now: () => number;

  constructor(
    private readonly secret: Uint8Array,
    opts: { personalTtlSeconds?: number; now?: () => number } = {},
  ) {
    this.personalTtlSeconds = opts.personalTtlSeconds ?? DEFAULT_PERSONAL_TOKEN_TTL_SECONDS;
    this.now = opts.now ?? Date.now;
  }

  private sign(claims: Record<string, unknown>, exp?: number): Promise<string> {
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: ALG })
      .setIssuer(ISSUER)
      .setIssuedAt(Math.floor(this.now() / 1000));
    return (exp === undefined ? jwt : jwt.setExpirationTime(exp)).sign(this.secret);
  }

  signLink(board: BoardId, role: Role, generation = 0): Promise<string> {
    return this.sign({ kind: 'link', board, role, gen: generation });
  }

  /** A personal token valid for `personalTtlSeconds` from now [AUTH-8]. */
  async issueUser(user: AuthUser): Promise<IssuedToken> {
    const exp = Math.floor(this.now() / 1000) + this.personalTtlSeconds;
    const claims: UserClaims = { kind: 'user', board: user.boardId, role: user.role, userId: user.userId, name: user.name };
    return { token: await this.sign({ ...claims }, exp), expiresAt: exp * 1000 };
  }

  async signUser(user: AuthUser): Promise<string> {
    return (await this.issueUser(user)).token;
  }

  /** The token's claims, or null for anything missing, forged, malformed or expired. */
  async verify(token: string | null | undefined): Promise<TokenClaims | null> {
    const result = await this.check(token);
    return result.ok ? result.claims : null;
  }

  /** Verifies a token and tells an expired one from an invalid one. */
  async check(token: string | null | undefined): Promise<TokenCheck> {
    const invalid = { ok: false, reason: 'invalid' } as const;
    if (!token || token.length > 4096) return invalid;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.secret, {
        algorithms: [ALG],
        issuer: ISSUER,
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) return { ok: false, reason: 'expired' };
      if (err instanceof errors.JOSEError) return invalid;
      throw err;
    }
    const { kind, board, role } = payload;
    if (!isIdLike(board) || !isRole(role)) return invalid;
    if (kind === 'link') {
      const { gen } = payload;
      if (gen !== undefined && !(Number.isSafeInteger(gen) && (gen as number) >= 0)) return invalid;
      const generation = (gen as number | undefined) ?? 0;
      return { ok: true, claims: { kind, board: board as BoardId, role, generation }, expiresAt: null };
    }
    if (kind !== 'user') return invalid;
    const { userId, name, iat, exp } = payload;
    if (!isIdLike(userId) || typeof name !== 'string') return invalid;
    const limits = [
      ...(typeof exp === 'number' ? [exp] : []),
      ...(typeof iat === 'number' ? [iat + this.personalTtlSeconds] : []),
    ];
    if (limits.length === 0) return invalid;
    const expiresAt = Math.min(...limits) * 1000;
    if (this.now() >= expiresAt) return { ok: false, reason: 'expired' };
    return { ok: true, claims: { kind, board: board as BoardId, role, userId: userId as UserId, name }, expiresAt };
  }
}

export function userFromClaims(claims: UserClaims): AuthUser {
  return { boardId: claims.board, userId: claims.userId, role: claims.role, name: claims.name };
}
