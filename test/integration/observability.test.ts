/**
 * Operations (issue 15) [OBS-1, OBS-2, OBS-3]: /metrics after real traffic and who may read
 * it, JSON logs of a whole poker round that hold no token, vote value or item title, and
 * /healthz and /readyz for a load balancer.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { ItemId } from '../../shared/ids.ts';
import { addItem, getItem } from '../../shared/schema/board.ts';
import { readPoker } from '../../shared/schema/estimation.ts';
import { assertMayScrape } from '../../server/metrics/route.ts';
import type { HttpError } from '../../server/http/errors.ts';
import { api, connectSynced, setupBoard, startTestServer, type TestClient, type TestServer } from '../helpers/server.ts';
import { waitFor } from '../helpers/wait.ts';

const servers: TestServer[] = [];
const clients: TestClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  for (const s of servers.splice(0)) await s.stop();
});
const track = (s: TestServer) => {
  servers.push(s);
  return s;
};

/** A metric's value from the text exposition (first sample whose name and labels match). */
function sample(text: string, name: string, labels = ''): number {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  if (!line) throw new Error(`no sample ${name}${labels} in:\n${text.slice(0, 2000)}`);
  return Number(line.split(' ').pop());
}

/** Log lines written to memory, parsed. */
function captureLogs() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    stream,
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe('GET /metrics [OBS-1]', () => {
  it('[OBS-1] counters, gauges and histograms move with real client traffic', async () => {
    const srv = track(await startTestServer());
    const tb = await setupBoard(srv.baseUrl, 'Metrics');
    const po = await connectSynced(srv.wsUrl, tb.boardId, tb.people.po.token);
    const dev = await connectSynced(srv.wsUrl, tb.boardId, tb.people.dev.token);
    const viewer = await connectSynced(srv.wsUrl, tb.boardId, tb.people.viewer.token);
    clients.push(po, dev, viewer);
    const before = await (await fetch(`${srv.baseUrl}/metrics`)).text();
    const accepted0 = sample(before, 'board_updates_accepted_total');

    for (let i = 0; i < 5; i++) addItem(po.doc, { title: `Story ${i}`, createdBy: tb.people.po.userId });
    await waitFor(() => (dev.doc.getMap('items').size ?? 0) >= 5, { message: 'dev sees the items' });
    // A viewer's edit is refused under AUTH-3.
    viewer.doc.getMap('items').set('x', new Y.Map());
    await viewer.firstClose;

    const res = await fetch(`${srv.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'board_updates_accepted_total')).toBeGreaterThanOrEqual(accepted0 + 5);
    expect(sample(text, 'board_updates_refused_total', '{rule="AUTH-3"}')).toBe(1);
    expect(sample(text, 'board_sockets_open')).toBe(2);
    expect(sample(text, 'board_boards_loaded')).toBe(1);
    expect(sample(text, 'board_fanout_latency_seconds_count')).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'board_storage_append_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'board_group_commit_batch_size_sum')).toBeGreaterThanOrEqual(5);
    // The process's own: memory and event-loop lag.
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('[OBS-1] compaction duration is observed', async () => {
    const srv = track(await startTestServer({ config: { compactionThreshold: 3, compactQuietMs: 10, compactNowFactor: 2 } }));
    const tb = await setupBoard(srv.baseUrl, 'Compacting');
    const po = await connectSynced(srv.wsUrl, tb.boardId, tb.people.po.token);
    clients.push(po);
    for (let i = 0; i < 8; i++) {
      addItem(po.doc, { title: `Story ${i}`, createdBy: tb.people.po.userId });
      await new Promise((r) => setTimeout(r, 5));
    }
    await waitFor(async () => sample(await (await fetch(`${srv.baseUrl}/metrics`)).text(), 'board_compaction_seconds_count') >= 1, {
      message: 'a compaction ran',
    });
  });

  it('[OBS-1] two servers in one process keep their own counts', async () => {
    const a = track(await startTestServer());
    const b = track(await startTestServer());
    await setupBoard(a.baseUrl, 'A');
    const tb = await setupBoard(a.baseUrl, 'A2');
    const client = await connectSynced(a.wsUrl, tb.boardId, tb.people.po.token);
    clients.push(client);
    expect(sample(await (await fetch(`${a.baseUrl}/metrics`)).text(), 'board_sockets_open')).toBe(1);
    expect(sample(await (await fetch(`${b.baseUrl}/metrics`)).text(), 'board_sockets_open')).toBe(0);
  });

  it('[OBS-1] with METRICS_TOKEN set, only the bearer token gets in (401 otherwise)', async () => {
    const secret = 'metrics-secret-0123456789';
    const srv = track(await startTestServer({ config: { metricsToken: secret } }));
    expect((await fetch(`${srv.baseUrl}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${srv.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope-nope-nope-nope-nope' } });
    expect(wrong.status).toBe(401);
    const ok = await fetch(`${srv.baseUrl}/metrics`, { headers: { authorization: `Bearer ${secret}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('board_sockets_open');
  });

  it('[OBS-1] without METRICS_TOKEN only loopback peers get in (403 otherwise; X-Forwarded-For does not help)', () => {
    const req = (remoteAddress: string, headers: Record<string, string> = {}) =>
      ({ socket: { remoteAddress }, headers }) as unknown as Parameters<typeof assertMayScrape>[0];
    const status = (r: ReturnType<typeof req>, token: string | null = null) => {
      try {
        assertMayScrape(r, token);
        return 200;
      } catch (err) {
        return (err as HttpError).status;
      }
    };
    expect(status(req('127.0.0.1'))).toBe(200);
    expect(status(req('::1'))).toBe(200);
    expect(status(req('::ffff:127.0.0.1'))).toBe(200);
    expect(status(req('10.1.2.3'))).toBe(403);
    expect(status(req('10.1.2.3', { 'x-forwarded-for': '127.0.0.1' }))).toBe(403);
    expect(status(req('127.0.0.1'), 'a-token-of-some-length')).toBe(401);
  });
});

describe('JSON logs [OBS-2]', () => {
  it('[OBS-2] a full poker round logged at debug holds no token, vote value or item title', async () => {
    const logs = captureLogs();
    const srv = track(await startTestServer({ config: { logLevel: 'debug' }, options: { logDestination: logs.stream } }));
    const tb = await setupBoard(srv.baseUrl, 'Poker logs');
    const title = 'Kumquat ledger reconciliation';
    const vote = 'qx-77';
    const po = await connectSynced(srv.wsUrl, tb.boardId, tb.people.po.token, { awareness: { viewing: null } });
    const dev = await connectSynced(srv.wsUrl, tb.boardId, tb.people.dev.token, { awareness: { viewing: null } });
    const viewer = await connectSynced(srv.wsUrl, tb.boardId, tb.people.viewer.token);
    clients.push(po, dev);
    const itemId: ItemId = addItem(po.doc, { title, createdBy: tb.people.po.userId });
    await waitFor(() => {
      const doc = srv.server.rooms.get(tb.boardId)?.doc;
      return doc !== undefined && getItem(doc, itemId) !== null;
    });
    const post = (path: string, token: string, body: unknown, method = 'POST') =>
      api<Record<string, unknown>>(srv.baseUrl, `/api/boards/${tb.boardId}${path}`, { token, body, method });
    expect((await post('/deck', tb.people.po.token, { cards: ['1', '2', vote, '?'] }, 'PUT')).status).toBe(200);
    const start = await post('/estimation/start', tb.people.sm.token, { itemId });
    expect(start.status).toBe(200);
    const round = start.body.round as number;
    expect((await post('/estimation/vote', tb.people.dev.token, { round, value: vote })).status).toBe(200);
    expect((await post('/estimation/vote', tb.people.po.token, { round, value: '2' })).status).toBe(200);
    expect((await post('/estimation/reveal', tb.people.po.token, { round })).status).toBe(200);
    await waitFor(() => readPoker(dev.doc).state === 'revealed', { message: 'dev sees the reveal' });
    // A refused edit (viewer) and a closed socket, so those lines are in the capture too.
    viewer.doc.getMap('items').set('x', new Y.Map());
    await viewer.firstClose;
    viewer.destroy();
    await waitFor(() => logs.lines().some((l) => l.event === 'socket.close' && l.role === 'viewer'));
    await srv.stop();

    const text = logs.text();
    const lines = logs.lines();
    const events = new Set(lines.map((l) => l.event));
    for (const e of ['socket.open', 'socket.close', 'update.refused', 'board.load', 'http.request']) expect(events).toContain(e);
    const refused = lines.find((l) => l.event === 'update.refused')!;
    expect(refused).toMatchObject({ boardId: tb.boardId, rule: 'AUTH-3', userId: tb.people.viewer.userId, role: 'viewer' });
    const closed = lines.find((l) => l.event === 'socket.close' && l.role === 'viewer')!;
    expect(closed).toMatchObject({ boardId: tb.boardId, userId: tb.people.viewer.userId, code: 4422, by: 'server' });
    expect(typeof closed.durationMs).toBe('number');
    // Nothing secret or of the document's content.
    expect(text).not.toContain(vote);
    expect(text).not.toContain(title);
    expect(text).not.toContain('Kumquat');
    for (const person of Object.values(tb.people)) expect(text).not.toContain(person.token);
    for (const link of tb.board.links) expect(text).not.toContain(link.token);
  });

  it('[OBS-2] tests are quiet by default: nothing is logged at the default test level', async () => {
    const logs = captureLogs();
    const srv = track(await startTestServer({ options: { logDestination: logs.stream } }));
    await setupBoard(srv.baseUrl, 'Quiet');
    await srv.stop();
    expect(logs.text()).toBe('');
  });
});

describe('faults in the log and the metrics [OBS-1, OBS-2]', () => {
  it('[OBS-2] a failed storage append is one storage.fault line and a counted fault; the writer is closed with 1011', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { createSqliteStorage } = await import('../../server/storage/sqlite.ts');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'board-fault-'));
    const real = await createSqliteStorage(path.join(dir, 'boards.sqlite'));
    let failAppends = false;
    // The adapter itself, with appends that fail on demand (a full disk, a lost database).
    const storage = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'appendUpdates' && failAppends) return () => Promise.reject(new Error('disk I/O error'));
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const logs = captureLogs();
    const srv = track(await startTestServer({ config: { logLevel: 'info' }, options: { storage, logDestination: logs.stream } }));
    try {
      const tb = await setupBoard(srv.baseUrl, 'Faulty');
      const po = await connectSynced(srv.wsUrl, tb.boardId, tb.people.po.token);
      clients.push(po);
      failAppends = true;
      addItem(po.doc, { title: 'Secret roadmap item', createdBy: tb.people.po.userId });
      expect(await po.firstClose).toBe(1011);
      await waitFor(() => logs.lines().some((l) => l.event === 'storage.fault'), { message: 'fault logged' });
      const fault = logs.lines().find((l) => l.event === 'storage.fault')!;
      expect(fault).toMatchObject({ level: 50, boardId: tb.boardId, op: 'append', error: { type: 'Error', message: 'disk I/O error' } });
      expect(logs.text()).not.toContain('Secret roadmap item');
      const text = await (await fetch(`${srv.baseUrl}/metrics`)).text();
      expect(sample(text, 'board_storage_faults_total')).toBe(1);
    } finally {
      failAppends = false;
      await srv.stop();
      await real.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('/healthz and /readyz [OBS-3]', () => {
  it('[OBS-3] /healthz reports storage; /readyz is 200, then 503 from the moment shutdown begins', async () => {
    const srv = track(await startTestServer({ config: { drainMs: 400 } }));
    const health = await api<Record<string, unknown>>(srv.baseUrl, '/healthz');
    expect(health).toEqual({ status: 200, body: { ok: true, storage: 'ok' } });
    expect((await api(srv.baseUrl, '/readyz')).status).toBe(200);
    // A keep-alive connection, as a load balancer holds, sees the change.
    const stopping = srv.server.stop();
    const during = await api<Record<string, unknown>>(srv.baseUrl, '/readyz');
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ code: 'shutting_down', ready: false });
    // Still serving while draining: health answers.
    expect((await api(srv.baseUrl, '/healthz')).status).toBe(200);
    await stopping;
  });
});

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.log('skipped: REDIS_URL not set, Redis metrics and health not checked');

describe.skipIf(!redisUrl)('Redis: health, lag and reconnects [OBS-1, OBS-3]', () => {
  it('[OBS-3] /healthz reports Redis, and 503 redis_unavailable once it does not answer', async () => {
    const { createRedisFanout } = await import('../../server/fanout/redis.ts');
    const fanout = await createRedisFanout(redisUrl!, { channelPrefix: `rbtest:${Date.now()}:` });
    const srv = track(await startTestServer({ options: { fanout } }));
    expect(await api(srv.baseUrl, '/healthz')).toEqual({ status: 200, body: { ok: true, storage: 'ok', redis: 'ok' } });
    await fanout.close();
    const down = await api<Record<string, unknown>>(srv.baseUrl, '/healthz');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ code: 'redis_unavailable', storage: 'ok', redis: 'down' });
  });

  it('[OBS-1] publish round trip and receive lag are timed; a killed connection counts as a reconnect', async () => {
    const { createRedisFanout } = await import('../../server/fanout/redis.ts');
    const { Redis } = await import('ioredis');
    const published: number[] = [];
    const echoed: number[] = [];
    const reconnects: string[] = [];
    const fanout = await createRedisFanout(redisUrl!, {
      channelPrefix: `rbtest:${Date.now()}:`,
      timing: { published: (s) => published.push(s), echoed: (s) => echoed.push(s) },
      onReconnect: (c) => reconnects.push(c),
    });
    const admin = new Redis(redisUrl!);
    try {
      const board = 'b0123456789abcdef' as Parameters<typeof fanout.subscribe>[0];
      const unsubscribe = await fanout.subscribe(board, () => {});
      for (let i = 0; i < 5; i++) fanout.publish(board, 'update', new Uint8Array([1, 2, 3]));
      await waitFor(() => published.length === 5 && echoed.length === 5, { message: 'timings of 5 publishes' });
      for (const s of [...published, ...echoed]) expect(s).toBeGreaterThanOrEqual(0);
      const list = (await admin.client('LIST')) as string;
      const line = list.split('\n').find((l) => l.includes(` name=rb-sub-${fanout.instanceId} `));
      const id = /\bid=(\d+)/.exec(line ?? '')?.[1];
      expect(id).toBeDefined();
      await admin.client('KILL', 'ID', id!);
      await waitFor(() => reconnects.includes('sub'), { message: 'subscriber reconnect seen' });
      await unsubscribe();
    } finally {
      admin.disconnect();
      await fanout.close();
    }
  });
});
