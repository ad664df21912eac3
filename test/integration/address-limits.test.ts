/**
 * Per-address limits [LIM-1]: board creation, join, REST writes and new sockets are each a
 * token bucket per client address; past one the answer is 429 with Retry-After (a socket's
 * upgrade too). X-Forwarded-For counts only with TRUST_PROXY.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { apiPaths } from '../../shared/api.ts';
import { addressKey, clientAddress } from '../../server/limits/clientAddress.ts';
import { configFromEnv, type Limits } from '../../server/config.ts';
import { api, createBoard, joinBoard, linkToken, setupBoard, startTestServer, type TestServer } from '../helpers/server.ts';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});
async function serverWith(limits: Partial<Limits>, trustProxy = 0): Promise<TestServer> {
  const srv = await startTestServer({ config: { limits, trustProxy } });
  servers.push(srv);
  return srv;
}

const createFrom = (srv: TestServer, headers: Record<string, string> = {}) =>
  fetch(srv.baseUrl + apiPaths.boards(), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ title: 'Limited' }),
  });

/** Opens a socket; resolves with the upgrade's HTTP status (101 when it went through). */
function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<{ status: number; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('upgrade', () => {
      resolve({ status: 101, retryAfter: null });
      ws.terminate();
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, retryAfter: (res.headers['retry-after'] as string | undefined) ?? null });
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}

describe('per-address limits [LIM-1]', () => {
  it('[LIM-1] board creation past its burst is 429 with Retry-After and a clear error', async () => {
    const srv = await serverWith({ boardCreateBurst: 3, boardCreatesPerMinute: 6 });
    for (let i = 0; i < 3; i++) expect((await createFrom(srv)).status).toBe(201);
    const res = await createFrom(srv);
    expect(res.status).toBe(429);
    // 6 per minute: the next token in 10 s.
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(9);
    expect(Number(res.headers.get('retry-after'))).toBeLessThanOrEqual(10);
    expect(await res.json()).toEqual({ code: 'rate_limited', error: expect.stringContaining('boards created') });
    const metrics = await (await fetch(`${srv.baseUrl}/metrics`)).text();
    expect(metrics).toContain('board_address_limited_total{limit="board-create"} 1');
  });

  it('[LIM-1] joins past their burst are 429; other REST reads still answer', async () => {
    const srv = await serverWith({ joinBurst: 2, joinsPerMinute: 1 });
    const board = await createBoard(srv.baseUrl);
    const link = linkToken(board, 'dev');
    const me = await joinBoard(srv.baseUrl, board.boardId, link, 'One');
    await joinBoard(srv.baseUrl, board.boardId, link, 'Two');
    const third = await api(srv.baseUrl, apiPaths.join(board.boardId), { token: link, body: { name: 'Three' } });
    expect(third.status).toBe(429);
    expect(third.body).toMatchObject({ code: 'rate_limited' });
    expect((await api(srv.baseUrl, apiPaths.board(board.boardId), { token: me.token })).status).toBe(200);
  });

  it('[LIM-1] REST writes past their burst are 429 whatever the route', async () => {
    const srv = await serverWith({ restWriteBurst: 8, restWritesPerMinute: 1 });
    const tb = await setupBoard(srv.baseUrl); // 1 creation + 5 joins = 6 writes
    const deck = (n: number) =>
      api(srv.baseUrl, `/api/boards/${tb.boardId}/deck`, { method: 'PUT', token: tb.people.po.token, body: { cards: [`${n}`, '?'] } });
    expect((await deck(1)).status).toBe(200);
    expect((await deck(2)).status).toBe(200);
    const refused = await deck(3);
    expect(refused.status).toBe(429);
  });

  it('[LIM-1] new sockets past their burst are refused at the upgrade with 429 and Retry-After', async () => {
    const srv = await serverWith({ socketBurst: 2, socketsPerMinute: 2 });
    const url = `${srv.wsUrl}/b0000000000000000?token=x`;
    expect((await upgradeStatus(url)).status).toBe(101);
    expect((await upgradeStatus(url)).status).toBe(101);
    const third = await upgradeStatus(url);
    expect(third.status).toBe(429);
    expect(Number(third.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('[LIM-1] X-Forwarded-For is ignored without TRUST_PROXY: a forged address does not get a fresh bucket', async () => {
    const srv = await serverWith({ boardCreateBurst: 1, boardCreatesPerMinute: 1 });
    expect((await createFrom(srv, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(201);
    expect((await createFrom(srv, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(429);
    const ws1 = await upgradeStatus(`${srv.wsUrl}/b0000000000000000?token=x`, { 'x-forwarded-for': '203.0.113.3' });
    expect(ws1.status).toBe(101);
  });

  it('[LIM-1] with TRUST_PROXY each client address behind the proxy has its own bucket', async () => {
    const srv = await serverWith({ boardCreateBurst: 1, boardCreatesPerMinute: 1, socketBurst: 1, socketsPerMinute: 1 }, 1);
    expect((await createFrom(srv, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(201);
    expect((await createFrom(srv, { 'x-forwarded-for': '203.0.113.1' })).status).toBe(429);
    expect((await createFrom(srv, { 'x-forwarded-for': '203.0.113.2' })).status).toBe(201);
    // The proxy appends what it saw; what the client wrote before it is not trusted.
    expect((await createFrom(srv, { 'x-forwarded-for': '203.0.113.2, 203.0.113.1' })).status).toBe(429);
    const url = `${srv.wsUrl}/b0000000000000000?token=x`;
    expect((await upgradeStatus(url, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(101);
    expect((await upgradeStatus(url, { 'x-forwarded-for': '198.51.100.7' })).status).toBe(429);
    expect((await upgradeStatus(url, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(101);
  });

  it('[LIM-1] addresses: IPv4-mapped as IPv4, IPv6 by its /64; TRUST_PROXY and ADDRESS_LIMITS from the environment', () => {
    expect(addressKey('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2::9')).toBe('2001:db8:1:2::/64');
    const req = (xff?: string) =>
      ({ socket: { remoteAddress: '10.9.9.9' }, headers: xff ? { 'x-forwarded-for': xff } : {} }) as unknown as Parameters<typeof clientAddress>[0];
    expect(clientAddress(req('1.1.1.1'), 0)).toBe('10.9.9.9');
    expect(clientAddress(req('6.6.6.6, 1.1.1.1'), 1)).toBe('1.1.1.1');
    expect(clientAddress(req('6.6.6.6, 1.1.1.1, 2.2.2.2'), 2)).toBe('1.1.1.1');
    expect(clientAddress(req(), 1)).toBe('10.9.9.9');
    expect(configFromEnv({ TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(configFromEnv({}).trustProxy).toBe(0);
    expect(configFromEnv({ ADDRESS_LIMITS: 'off' }).addressLimits).toBe(false);
    expect(configFromEnv({}).addressLimits).toBe(true);
  });
});
