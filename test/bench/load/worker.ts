/**
 * A load worker: a child process hosting many real WebsocketProvider clients, driven by
 * the orchestrator over IPC. Run several, pinned away from the server's core, so the load
 * generator is not what limits the measurement.
 */
import { createHash } from 'node:crypto';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { UserId } from '../../../shared/ids.ts';
import { appendItems, boardRoots, initBoard } from '../../../shared/schema/board.ts';
import { openDotRound } from '../../../shared/schema/dots.ts';
import { hocuspocusSocket } from './hocuspocusSocket.ts';
import type { ClientSpec, FromWorker, KillOnDelivery, RecvLog, ToWorker } from './messages.ts';
import { type OpState, pickOp, runOp } from './ops.ts';

/** Milliseconds on a clock shared by every process on this machine. */
const now = () => performance.timeOrigin + performance.now();

interface Client {
  spec: ClientSpec;
  doc: Y.Doc;
  provider: WebsocketProvider;
  op: OpState;
  recv: RecvLog;
}

const LOCAL = Symbol('bench-local');

/** The socket class a client of `spec` uses; `onFrame` sees each incoming frame before the provider. */
function socketClass(spec: ClientSpec, onFrame?: (frame: Uint8Array) => void): typeof globalThis.WebSocket {
  if (spec.protocol === 'hocuspocus') return hocuspocusSocket(spec.room, onFrame) as unknown as typeof globalThis.WebSocket;
  if (!onFrame) return WebSocket as unknown as typeof globalThis.WebSocket;
  const seen = onFrame;
  // Registered before the provider's own onmessage, so it sees the frame before the apply.
  class TimedWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e) => seen(new Uint8Array(e.data as ArrayBuffer)));
    }
  }
  return TimedWebSocket as unknown as typeof globalThis.WebSocket;
}

class Worker {
  clients = new Map<number, Client>();
  recording = false;
  sends: [number, number, number][] = [];
  deliveries = 0;
  closes: Record<string, number> = {};
  /** Armed durability trigger: kill this pid on the next received update. */
  kill: { pid: number; armed: boolean; at?: number } | null = null;

  send(msg: FromWorker): void {
    process.send!(msg);
  }

  open(spec: ClientSpec): Promise<Client | null> {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(spec.serverUrl, spec.room, doc, {
      disableBc: true,
      WebSocketPolyfill: socketClass(spec),
      params: spec.token ? { token: spec.token } : {},
    });
    provider.awareness.setLocalStateField('user', { name: spec.name, color: '#3b82f6' });
    const client: Client = { spec, doc, provider, op: { userId: spec.userId as UserId, seq: 0, dotted: [] }, recv: {} };
    provider.on('connection-close', (event) => {
      // `none`: the provider closed it itself (its 30 s "no message received" watchdog).
      const code = String(event?.code ?? 'none');
      // Only inside a measured window: the teardown of the previous scenario closes too.
      if (this.recording) this.closes[code] = (this.closes[code] ?? 0) + 1;
      if (process.env.BENCH_DEBUG) {
        const silent = Date.now() - provider.wsLastMessageReceived;
        console.log(`[worker] ${new Date().toISOString()} client ${spec.idx} closed ${code}, ${silent} ms since last message`);
      }
    });
    // The transaction's state vectors say which writers' clocks advanced, without decoding
    // the update a second time (receiving is what limits the load generator).
    doc.on('update', (_update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
      if (origin !== provider || !this.recording) return;
      const t = now();
      this.deliveries++;
      if (this.kill?.armed) {
        // Right after this client received an update: whatever it saw, the server had sent.
        process.kill(this.kill.pid, 'SIGKILL');
        this.kill.armed = false;
        this.kill.at = t;
      }
      for (const [writer, clock] of tr.afterState) {
        if (clock === (tr.beforeState.get(writer) ?? 0)) continue;
        let log = client.recv[writer];
        if (!log) {
          log = { clocks: [], times: [] };
          client.recv[writer] = log;
        }
        log.clocks.push(clock);
        log.times.push(t);
      }
    });
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(null), 60_000);
      provider.once('sync', () => {
        clearTimeout(timer);
        this.clients.set(spec.idx, client);
        resolve(client);
      });
    });
  }

  async connect(specs: ClientSpec[], batch: number): Promise<void> {
    const t0 = performance.now();
    const clientIds: Record<number, number> = {};
    let failed = 0;
    for (let i = 0; i < specs.length; i += batch) {
      const opened = await Promise.all(specs.slice(i, i + batch).map((s) => this.open(s)));
      for (const c of opened) {
        if (c) clientIds[c.spec.idx] = c.doc.clientID;
        else failed++;
      }
      if (process.env.BENCH_DEBUG) {
        console.log(`[worker ${process.pid}] connected ${i + batch} of ${specs.length} at ${Math.round(performance.now() - t0)} ms, ${failed} failed`);
      }
    }
    this.send({ t: 'connected', clientIds, failed, ms: performance.now() - t0 });
  }

  /** One op, stamped before it starts; recorded only if it wrote something. */
  op(c: Client): boolean {
    const before = Y.getState(c.doc.store, c.doc.clientID);
    const t = now();
    runOp(c.doc, pickOp(Math.random()), c.op, LOCAL);
    const after = Y.getState(c.doc.store, c.doc.clientID);
    if (after === before) return false;
    if (this.recording) this.sends.push([c.doc.clientID, after, t]);
    return true;
  }

  async rate(idxs: number[], opsPerSec: number, durationMs: number): Promise<void> {
    const interval = 1000 / opsPerSec;
    const end = performance.now() + durationMs;
    let ops = 0;
    let skipped = 0;
    await Promise.all(
      idxs.map(async (idx) => {
        const c = this.clients.get(idx);
        if (!c) return;
        // Random phase so the clients do not write in lockstep.
        let next = performance.now() + Math.random() * interval;
        while (next < end) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          if (this.op(c)) ops++;
          else skipped++;
          next += interval;
        }
      }),
    );
    this.send({ t: 'ran', ops, skipped });
  }

  async burst(idxs: number[], opsEach: number, kill?: KillOnDelivery): Promise<void> {
    let ops = 0;
    let skipped = 0;
    // Armed after `afterMs` or once half the ops are written, whichever comes first, so
    // the kill lands while updates are still flowing even when the writers finish early.
    const k = kill ? { pid: kill.pid, armed: false, at: undefined as number | undefined } : null;
    this.kill = k;
    const timer = k && setTimeout(() => (k.armed = true), kill!.afterMs);
    const half = (idxs.length * opsEach) / 2;
    await Promise.all(
      idxs.map(async (idx) => {
        const c = this.clients.get(idx);
        if (!c) return;
        for (let i = 0; i < opsEach; i++) {
          if (this.op(c)) ops++;
          else skipped++;
          if (k && k.at === undefined && ops + skipped >= half) k.armed = true;
          // Let the socket flush and other clients run; otherwise one client hogs the loop.
          await yieldToIo();
        }
      }),
    );
    if (k) {
      // Wait for the trigger: the next update a client of this worker receives.
      const end = performance.now() + 15_000;
      if (k.at === undefined) k.armed = true;
      while (k.at === undefined && performance.now() < end) await new Promise((r) => setTimeout(r, 5));
      clearTimeout(timer!);
    }
    this.kill = null;
    this.send({ t: 'ran', ops, skipped, killedAt: k?.at });
  }

  /** A fresh client: what does the server hold now? */
  async probe(spec: ClientSpec): Promise<void> {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(spec.serverUrl, spec.room, doc, {
      disableBc: true,
      WebSocketPolyfill: socketClass(spec),
      params: spec.token ? { token: spec.token } : {},
    });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('probe did not sync within 60 s')), 60_000);
        provider.once('sync', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      // A server may answer before its stored state is in (y-websocket's persistence binds
      // asynchronously and sends the stored state as updates): wait until nothing new
      // arrives for a second (at most 15 s).
      let last = '';
      let stableSince = performance.now();
      const end = performance.now() + 15_000;
      while (performance.now() < end && performance.now() - stableSince < 1000) {
        await new Promise((r) => setTimeout(r, 100));
        const sv = Buffer.from(Y.encodeStateVector(doc)).toString('base64');
        if (sv !== last) {
          last = sv;
          stableSince = performance.now();
        }
      }
      const stateVector: Record<string, number> = {};
      for (const [id, clock] of Y.decodeStateVector(Y.encodeStateVector(doc))) stateVector[String(id)] = clock;
      this.send({ t: 'probed', stateVector });
    } finally {
      provider.destroy();
      doc.destroy();
    }
  }

  seed(idx: number, items: number, init: boolean, chunk: number): void {
    const c = this.clients.get(idx);
    if (!c) throw new Error(`no client ${idx}`);
    if (init) initBoard(c.doc, { title: 'Bench board', createdAt: Date.now() }, LOCAL);
    // The seeding person is a facilitator: the dot votes in the op mix need an open round.
    openDotRound(c.doc, { budget: 3 }, LOCAL);
    for (let done = 0; done < items; done += chunk) {
      const n = Math.min(chunk, items - done);
      appendItems(
        c.doc,
        Array.from({ length: n }, (_, i) => ({
          title: `Seeded story ${done + i}: as a team member I want a realistic title length`,
          createdBy: c.spec.userId as UserId,
          labels: (done + i) % 3 === 0 ? ['backend'] : [],
        })),
        LOCAL,
      );
    }
    this.send({ t: 'seeded' });
  }

  vectors(): void {
    const vectors: Record<number, string> = {};
    for (const [idx, c] of this.clients) vectors[idx] = Buffer.from(Y.encodeStateVector(c.doc)).toString('base64');
    this.send({ t: 'vectors', vectors });
  }

  digests(): void {
    const digests: Record<number, string> = {};
    for (const [idx, c] of this.clients) {
      digests[idx] = createHash('sha256').update(canonical(c.doc.toJSON())).digest('hex');
    }
    this.send({ t: 'digests', digests });
  }

  collect(): void {
    const recvs: Record<number, RecvLog> = {};
    for (const [idx, c] of this.clients) recvs[idx] = c.recv;
    this.send({ t: 'collected', sends: this.sends, recvs, deliveries: this.deliveries, closes: this.closes });
    this.sends = [];
    this.deliveries = 0;
    this.closes = {};
    for (const c of this.clients.values()) c.recv = {};
  }

  disconnect(): void {
    for (const c of this.clients.values()) {
      c.provider.destroy();
      c.doc.destroy();
    }
    this.clients.clear();
    this.send({ t: 'ok' });
  }

  /**
   * Sequential joins of a fresh client: provider created → socket open, → the server's
   * sync step 2 has arrived (server's share), → synced (the client applied it too).
   */
  async joins(spec: ClientSpec, count: number, expectItems: number): Promise<void> {
    const times: number[] = [];
    const openTimes: number[] = [];
    const step2Times: number[] = [];
    const contentTimes: number[] = [];
    for (let i = 0; i < count; i++) {
      const doc = new Y.Doc();
      const t0 = performance.now();
      let open = 0;
      let step2 = 0;
      const stamp = (data: Uint8Array) => {
        if (!step2 && data[0] === 0 && data[1] === 1) step2 = performance.now() - t0;
      };
      const provider = new WebsocketProvider(spec.serverUrl, spec.room, doc, {
        disableBc: true,
        WebSocketPolyfill: socketClass(spec, stamp),
        params: spec.token ? { token: spec.token } : {},
      });
      provider.on('status', ({ status }) => {
        if (status === 'connected' && !open) open = performance.now() - t0;
      });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('join timed out')), 60_000);
        provider.once('sync', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      times.push(performance.now() - t0);
      // "Synced" is not "has the board": a server may answer step 1 before its stored
      // state is loaded (y-websocket's persistence) and send the content after.
      const { items } = boardRoots(doc);
      if (items.size < expectItems) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`join: ${items.size} of ${expectItems} items after 60 s`)), 60_000);
          const check = () => {
            if (items.size < expectItems) return;
            clearTimeout(timer);
            doc.off('update', check);
            resolve();
          };
          doc.on('update', check);
        });
      }
      contentTimes.push(performance.now() - t0);
      openTimes.push(open);
      step2Times.push(step2);
      provider.destroy();
      doc.destroy();
      await new Promise((r) => setTimeout(r, 200));
    }
    this.send({ t: 'joined', times, openTimes, step2Times, contentTimes });
  }
}

/** JSON with sorted keys: Y.Map key order depends on the order updates arrived in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// Every Awareness adds a process 'exit' listener; thousands of clients are expected here.
process.setMaxListeners(0);
// An unmodified provider logs this for the project's control messages (type 100), which it
// is meant to ignore; one line per join would bury the bench's output.
const logError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  if (args[0] !== 'Unable to compute message') logError(...args);
};
const w = new Worker();
process.on('message', (msg: ToWorker) => {
  const fail = (e: unknown) => w.send({ t: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) });
  try {
    switch (msg.t) {
      case 'connect':
        w.connect(msg.clients, msg.batch).catch(fail);
        return;
      case 'seed':
        w.seed(msg.idx, msg.items, msg.init, msg.chunk);
        return;
      case 'record':
        w.recording = msg.on;
        w.send({ t: 'ok' });
        return;
      case 'rate':
        w.rate(msg.idxs, msg.opsPerSec, msg.durationMs).catch(fail);
        return;
      case 'burst':
        w.burst(msg.idxs, msg.ops, msg.kill).catch(fail);
        return;
      case 'vectors':
        w.vectors();
        return;
      case 'digests':
        w.digests();
        return;
      case 'collect':
        w.collect();
        return;
      case 'disconnect':
        w.disconnect();
        return;
      case 'probe':
        w.probe(msg.spec).catch(fail);
        return;
      case 'joins':
        w.joins(msg.spec, msg.count, msg.expectItems ?? 0).catch(fail);
        return;
      case 'exit':
        process.exit(0);
    }
  } catch (e) {
    fail(e);
  }
});
w.send({ t: 'ready' });
