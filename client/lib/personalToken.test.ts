import { describe, expect, it } from 'vitest';
import { renewalDue, tokenExpired, tokenTimes } from './personalToken.ts';

const jwt = (payload: Record<string, unknown>) =>
  `${btoa('{"alg":"HS256"}')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

const DAY = 24 * 3600;
const iat = 1_700_000_000;

describe('personal token timing', () => {
  it('[AUTH-9] renews past half the lifetime, not before, and never once expired', () => {
    const token = jwt({ kind: 'user', iat, exp: iat + 30 * DAY });
    expect(tokenTimes(token)).toEqual({ issuedAt: iat * 1000, expiresAt: (iat + 30 * DAY) * 1000 });
    expect(renewalDue(token, (iat + 14 * DAY) * 1000)).toBe(false);
    expect(renewalDue(token, (iat + 15 * DAY) * 1000)).toBe(true);
    expect(renewalDue(token, (iat + 30 * DAY) * 1000)).toBe(false);
  });

  it('[AUTH-8] a token without exp (issued before expiry existed) is renewed at once; garbage never', () => {
    expect(renewalDue(jwt({ kind: 'user', iat }), iat * 1000)).toBe(true);
    expect(tokenExpired(jwt({ kind: 'user', iat }), (iat + 365 * DAY) * 1000)).toBe(false);
    expect(renewalDue('not-a-token')).toBe(false);
    expect(tokenExpired('not-a-token')).toBe(false);
    expect(renewalDue(jwt({ kind: 'user' }))).toBe(false);
  });

  it('[AUTH-8] expired once exp has passed', () => {
    const token = jwt({ iat, exp: iat + 60 });
    expect(tokenExpired(token, (iat + 59) * 1000)).toBe(false);
    expect(tokenExpired(token, (iat + 60) * 1000)).toBe(true);
  });
});
