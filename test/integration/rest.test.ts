/**
 * The REST API and static files: shapes, JSON errors with stable codes, and no path
 * traversal (docs/protocol.md).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardInfoResponse, CreateBoardResponse } from '../../shared/api.ts';
import { apiPaths } from '../../shared/api.ts';
import type { UserId } from '../../shared/ids.ts';
import { newBoardId } from '../../shared/ids.ts';
import { ROLES } from '../../shared/roles.ts';
import { openSqliteStorage } from '../../server/storage/sqlite.ts';
import { api, joinBoard, linkToken, setupBoard, startTestServer } from '../helpers/server.ts';

/** A GET with the path sent exactly as written (fetch would normalise `..`). */
function rawGet(port: number, rawPath: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('REST API', () => {
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });
  const start = async (opts?: Parameters<typeof startTestServer>[0]) => {
    const s = await startTestServer(opts);
    cleanup.push(() => s.stop());
    return s;
  };

  it('creates a board with one join link per role, on the request host, token in the fragment', async () => {
    const server = await start();
    const res = await fetch(server.baseUrl + apiPaths.boards(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: '  Sprint 15  ' }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as CreateBoardResponse;
    expect(body.title).toBe('Sprint 15');
    expect(body.links.map((l) => l.role)).toEqual([...ROLES]);
    for (const link of body.links) {
      expect(link.url).toBe(`http://127.0.0.1:${server.port}/b/${body.boardId}#t=${link.token}`);
    }
    // Behind a proxy or on a LAN name, links follow the Host the browser used.
    const viaName = await new Promise<CreateBoardResponse>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          path: apiPaths.boards(),
          method: 'POST',
          headers: { host: 'board.example:8443', 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () => resolve(JSON.parse(text) as CreateBoardResponse));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ title: 'LAN' }));
    });
    expect(viaName.links[0]!.url.startsWith(`http://board.example:8443/b/${viaName.boardId}#t=`)).toBe(true);
  });

  it('join and info: personal token, role and title; the user id comes from the server', async () => {
    const server = await start();
    const { board, boardId, people } = await setupBoard(server.baseUrl, 'Planning');
    expect(people.dev).toMatchObject({ boardId, role: 'dev', name: 'Dana Dev' });
    const again = await joinBoard(server.baseUrl, boardId, linkToken(board, 'dev'), 'Dana Dev');
    expect(again.userId).not.toBe(people.dev.userId);
    const info = await api<BoardInfoResponse>(server.baseUrl, apiPaths.board(boardId), { token: people.sm.token });
    expect(info).toEqual({ status: 200, body: { boardId, title: 'Planning', role: 'sm' } });
  });

  it('answers bad requests with JSON errors and the documented statuses', async () => {
    const server = await start();
    const { board, boardId, people } = await setupBoard(server.baseUrl);
    const other = await setupBoard(server.baseUrl);
    const cases: Array<[string, Promise<{ status: number; body: unknown }>, number, string]> = [
      ['bad JSON', api(server.baseUrl, apiPaths.boards(), { rawBody: '{"title":' }), 400, 'bad_json'],
      ['array body', api(server.baseUrl, apiPaths.boards(), { body: ['x'] }), 400, 'bad_json'],
      ['missing title', api(server.baseUrl, apiPaths.boards(), { body: {} }), 400, 'invalid_field'],
      ['blank title', api(server.baseUrl, apiPaths.boards(), { body: { title: '   ' } }), 400, 'invalid_field'],
      ['long title', api(server.baseUrl, apiPaths.boards(), { body: { title: 'x'.repeat(121) } }), 400, 'invalid_field'],
      [
        'body too large',
        api(server.baseUrl, apiPaths.boards(), { body: { title: 'x', pad: 'p'.repeat(70_000) } }),
        413,
        'body_too_large',
      ],
      ['no token', api(server.baseUrl, apiPaths.board(boardId)), 401, 'unauthorized'],
      ['garbage token', api(server.baseUrl, apiPaths.board(boardId), { token: 'abc.def.ghi' }), 401, 'unauthorized'],
      [
        'join with a personal token',
        api(server.baseUrl, apiPaths.join(boardId), { token: people.dev.token, body: { name: 'x' } }),
        401,
        'link_token_required',
      ],
      [
        'join another board',
        api(server.baseUrl, apiPaths.join(other.boardId), { token: linkToken(board, 'dev'), body: { name: 'x' } }),
        403,
        'wrong_board',
      ],
      [
        'join without a name',
        api(server.baseUrl, apiPaths.join(boardId), { token: linkToken(board, 'dev'), body: { name: '' } }),
        400,
        'invalid_field',
      ],
      [
        'name with control characters',
        api(server.baseUrl, apiPaths.join(boardId), { token: linkToken(board, 'dev'), body: { name: 'a\u0007b' } }),
        400,
        'invalid_field',
      ],
      [
        'info for another board',
        api(server.baseUrl, apiPaths.board(other.boardId), { token: people.dev.token }),
        403,
        'wrong_board',
      ],
      ['wrong method', api(server.baseUrl, apiPaths.boards(), { method: 'DELETE' }), 405, 'method_not_allowed'],
      ['unknown endpoint', api(server.baseUrl, '/api/nope'), 404, 'not_found'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(res.body, what).toMatchObject({ code, error: expect.any(String) });
    }

    const ghost = newBoardId();
    const ghostToken = await server.server.tokens.signUser({
      boardId: ghost,
      userId: 'ghost12345' as UserId,
      role: 'po',
      name: 'G',
    });
    const missing = await api(server.baseUrl, apiPaths.board(ghost), { token: ghostToken });
    expect(missing).toMatchObject({ status: 404, body: { code: 'board_not_found' } });
  });

  it('healthz is 200 while storage answers and 503 when it does not', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'board-health-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const storage = openSqliteStorage(path.join(dir, 'b.sqlite'));
    const server = await start({ options: { storage } });
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
    await storage.close();
    const res = await fetch(`${server.baseUrl}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ code: 'storage_unavailable' });
  });

  it('serves the built client with content types, SPA fallback, and no path traversal', async () => {
    const clientDir = await mkdtemp(path.join(os.tmpdir(), 'board-client-'));
    cleanup.push(() => rm(clientDir, { recursive: true, force: true }));
    await mkdir(path.join(clientDir, 'assets'));
    await writeFile(path.join(clientDir, 'index.html'), '<!doctype html><title>board</title>');
    await writeFile(path.join(clientDir, 'assets', 'app-1234.js'), 'console.log(1)');
    await writeFile(path.join(clientDir, 'assets', 'app-1234.css'), 'body{}');
    const secretDir = path.dirname(clientDir);
    const server = await start({ config: { clientDir } });

    const home = await rawGet(server.port, '/');
    expect(home).toMatchObject({ status: 200, type: 'text/html; charset=utf-8' });
    expect(home.body).toContain('<title>board</title>');
    expect(await rawGet(server.port, '/b/abcdef123456')).toMatchObject({ status: 200, body: home.body });
    expect(await rawGet(server.port, '/assets/app-1234.js')).toMatchObject({
      status: 200,
      type: 'text/javascript; charset=utf-8',
    });
    expect((await rawGet(server.port, '/assets/app-1234.css')).type).toBe('text/css; charset=utf-8');
    expect((await rawGet(server.port, '/assets/missing.js')).status).toBe(404);

    await writeFile(path.join(secretDir, 'board-secret.txt'), 'TOP SECRET');
    cleanup.push(() => rm(path.join(secretDir, 'board-secret.txt'), { force: true }));
    for (const p of ['/../board-secret.txt', '/..%2fboard-secret.txt', '/assets/..%2f..%2fboard-secret.txt', '/%2e%2e/board-secret.txt']) {
      const res = await rawGet(server.port, p);
      expect(res.body, p).not.toContain('TOP SECRET');
    }
  });
});
