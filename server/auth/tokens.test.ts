import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import type { BoardId, UserId } from '../../shared/ids.ts';
import { loadSecret } from './secret.ts';
import { TokenService } from './tokens.ts';

const secret = new TextEncoder().encode('unit-test-secret-unit-test-secret-0123');
const board = 'board123456' as BoardId;

describe('tokens', () => {
  it('[AUTH-2] round-trips link and personal tokens', async () => {
    const tokens = new TokenService(secret);
    expect(await tokens.verify(await tokens.signLink(board, 'sm'))).toEqual({ kind: 'link', board, role: 'sm', generation: 0 });
    const user = { boardId: board, userId: 'user1234567' as UserId, role: 'dev' as const, name: 'Dana' };
    expect(await tokens.verify(await tokens.signUser(user))).toEqual({
      kind: 'user',
      board,
      role: 'dev',
      userId: 'user1234567',
      name: 'Dana',
    });
  });

  it('[AUTH-1] refuses other secrets, alg none, bad claims and garbage', async () => {
    const tokens = new TokenService(secret);
    const other = new TokenService(new TextEncoder().encode('another-secret-another-secret-0123456'));
    expect(await tokens.verify(await other.signLink(board, 'po'))).toBeNull();
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ kind: 'link', board, role: 'po', iss: 'refinement-board' }),
    ).toString('base64url')}.`;
    expect(await tokens.verify(unsigned)).toBeNull();
    const badRole = await new SignJWT({ kind: 'link', board, role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('refinement-board')
      .sign(secret);
    expect(await tokens.verify(badRole)).toBeNull();
    const expired = await new SignJWT({ kind: 'link', board, role: 'po' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('refinement-board')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(secret);
    expect(await tokens.verify(expired)).toBeNull();
    for (const junk of [null, undefined, '', 'a.b.c', 'x'.repeat(5000)]) expect(await tokens.verify(junk)).toBeNull();
  });

  it('[AUTH-8] personal tokens expire after the TTL; legacy tokens (no exp) count from iat; link tokens never', async () => {
    let now = Date.UTC(2025, 0, 1);
    const tokens = new TokenService(secret, { personalTtlSeconds: 3600, now: () => now });
    const user = { boardId: board, userId: 'user1234567' as UserId, role: 'dev' as const, name: 'Dana' };
    const issued = await tokens.issueUser(user);
    expect(issued.expiresAt).toBe(now + 3600_000);
    const link = await tokens.signLink(board, 'dev');
    expect(await tokens.check(issued.token)).toMatchObject({ ok: true, expiresAt: issued.expiresAt });
    const legacy = await new SignJWT({ kind: 'user', board, role: 'dev', userId: user.userId, name: 'Dana' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('refinement-board')
      .setIssuedAt(now / 1000 - 1800)
      .sign(secret);
    expect(await tokens.check(legacy)).toMatchObject({ ok: true, expiresAt: now + 1800_000 });
    now += 1800_000;
    expect(await tokens.check(legacy)).toEqual({ ok: false, reason: 'expired' });
    now += 1800_000 - 1;
    expect((await tokens.check(issued.token)).ok).toBe(true);
    now += 1;
    expect(await tokens.check(issued.token)).toEqual({ ok: false, reason: 'expired' });
    expect(await tokens.verify(issued.token)).toBeNull();
    // A shorter TTL also shortens tokens already issued (iat + TTL).
    now = Date.UTC(2025, 0, 1) + 120_000;
    const strict = new TokenService(secret, { personalTtlSeconds: 60, now: () => now });
    expect(await strict.check(issued.token)).toEqual({ ok: false, reason: 'expired' });
    // Link tokens have no expiry.
    now = Date.UTC(2035, 0, 1);
    expect(await tokens.check(link)).toEqual({ ok: true, claims: { kind: 'link', board, role: 'dev', generation: 0 }, expiresAt: null });
    // Only a genuine token is called expired; a forged one is invalid, whatever its times.
    const other = new TokenService(new TextEncoder().encode('another-secret-another-secret-0123456'), { now: () => 0 });
    expect(await tokens.check((await other.issueUser(user)).token)).toEqual({ ok: false, reason: 'invalid' });
    const timeless = await new SignJWT({ kind: 'user', board, role: 'dev', userId: user.userId, name: 'Dana' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('refinement-board')
      .sign(secret);
    expect(await tokens.check(timeless)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('generates the secret once into DATA_DIR/secret.key with mode 0600', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'secret-'));
    try {
      const first = await loadSecret(dir, null);
      const second = await loadSecret(dir, null);
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
      expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
      expect((await readFile(path.join(dir, 'secret.key'), 'utf8')).trim()).toHaveLength(64);
      const configured = await loadSecret(dir, 'configured-secret-configured-secret-00');
      expect(new TextDecoder().decode(configured)).toBe('configured-secret-configured-secret-00');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('link token generations', () => {
  it('[INV-4] a link token carries its generation; old tokens without one are generation 0; a bad one is invalid', async () => {
    const tokens = new TokenService(secret);
    expect(await tokens.verify(await tokens.signLink(board, 'dev', 4))).toEqual({ kind: 'link', board, role: 'dev', generation: 4 });
    const legacy = await new SignJWT({ kind: 'link', board, role: 'po' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('refinement-board')
      .setIssuedAt()
      .sign(secret);
    expect(await tokens.verify(legacy)).toEqual({ kind: 'link', board, role: 'po', generation: 0 });
    const bad = await new SignJWT({ kind: 'link', board, role: 'po', gen: -2 })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('refinement-board')
      .setIssuedAt()
      .sign(secret);
    expect(await tokens.verify(bad)).toBeNull();
  });
});
