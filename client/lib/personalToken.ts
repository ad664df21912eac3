/**
 * When to renew the personal token, and whether it has expired [AUTH-8, AUTH-9]. Read from
 * the token's own `iat`/`exp`, decoded without verifying (only the server can verify); the
 * server decides in the end, these only decide when to ask it.
 */
import { peekTokenPayload } from './linkToken.ts';

export interface TokenTimes {
  /** ms since epoch, or null when the token does not say. */
  issuedAt: number | null;
  expiresAt: number | null;
}

export function tokenTimes(token: string): TokenTimes | null {
  const payload = peekTokenPayload(token);
  if (!payload) return null;
  const ms = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v * 1000 : null);
  return { issuedAt: ms(payload.iat), expiresAt: ms(payload.exp) };
}

/** True once the token's `exp` has passed (a token without `exp` is left to the server). */
export function tokenExpired(token: string, now = Date.now()): boolean {
  const exp = tokenTimes(token)?.expiresAt ?? null;
  return exp !== null && now >= exp;
}

/**
 * True when the token should be renewed: past half its lifetime, or issued before tokens
 * had an `exp` (the server counts those from `iat`; renewing gives them one). Not for an
 * expired token: only a valid one can be renewed.
 */
export function renewalDue(token: string, now = Date.now()): boolean {
  const times = tokenTimes(token);
  if (!times) return false;
  const { issuedAt, expiresAt } = times;
  if (expiresAt === null) return issuedAt !== null;
  if (now >= expiresAt) return false;
  if (issuedAt === null || issuedAt >= expiresAt) return true;
  return now >= issuedAt + (expiresAt - issuedAt) / 2;
}
