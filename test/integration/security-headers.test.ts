/**
 * Security headers on every HTTP answer [LIM-3]: a CSP allowing only the app's own scripts,
 * nosniff, and no Referer (join links carry tokens in the fragment).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../server/http/securityHeaders.ts';
import type { CreateBoardResponse } from '../../shared/api.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';

let srv: TestServer;
let board: CreateBoardResponse;
beforeAll(async () => {
  // One board creation allowed, so the next one shows the headers on a 429 too.
  srv = await startTestServer({ config: { limits: { boardCreateBurst: 1, boardCreatesPerMinute: 1 } } });
  board = await createBoard(srv.baseUrl);
});
afterAll(async () => {
  await srv.stop();
});

describe('security headers [LIM-3]', () => {
  it('[LIM-3] every kind of answer carries CSP, nosniff and Referrer-Policy: no-referrer', async () => {
    const answers = await Promise.all([
      fetch(`${srv.baseUrl}/`), // the app (or the "not built" page)
      fetch(`${srv.baseUrl}/b/${board.boardId}`),
      fetch(`${srv.baseUrl}/assets/missing.js`), // 404 static
      fetch(`${srv.baseUrl}/api/nope`), // 404 API
      fetch(`${srv.baseUrl}/api/boards`), // 405
      fetch(`${srv.baseUrl}/api/boards/${board.boardId}`), // 401
      fetch(`${srv.baseUrl}/healthz`),
      fetch(`${srv.baseUrl}/readyz`),
      fetch(`${srv.baseUrl}/metrics`),
      fetch(`${srv.baseUrl}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' }), // 429
      fetch(`${srv.baseUrl}/api/boards/x/join`, { method: 'POST', body: 'not json' }),
    ]);
    const statuses = answers.map((r) => r.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(404);
    expect(statuses).toContain(405);
    for (const res of answers) {
      expect(res.headers.get('content-security-policy'), res.url).toBe(CONTENT_SECURITY_POLICY);
      expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), res.url).toBe('no-referrer');
      await res.arrayBuffer();
    }
  });

  it("[LIM-3] the CSP allows scripts from the app's origin only: no inline, no eval, no other host", () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name!, values] as const;
    }));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  });

  it('[LIM-3] a join link keeps its token in the fragment, which no request or Referer carries', async () => {
    expect(board.links.length).toBeGreaterThan(0);
    for (const link of board.links) {
      const url = new URL(link.url);
      expect(url.search).toBe('');
      expect(url.hash.startsWith('#t=')).toBe(true);
    }
  });
});
