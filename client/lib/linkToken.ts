import { isRole, type Role } from '../../shared/roles.ts';

/**
 * Reads the role a link token claims, only to greet the person ("joining as Developer")
 * before they join. Not verified here: the server verifies the token on join.
 */
export function peekLinkRole(token: string): Role | null {
  const role = peekTokenPayload(token)?.role;
  return isRole(role) ? role : null;
}

/** A JWT's payload, decoded without verifying it (display and timing decisions only). */
export function peekTokenPayload(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
    const payload: unknown = JSON.parse(json);
    return payload && typeof payload === 'object' && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The link token in a `#t=<token>` fragment, if any. */
export function tokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const t = params.get('t');
  return t && t.length > 0 ? t : null;
}
