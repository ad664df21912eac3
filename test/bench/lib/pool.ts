/**
 * A pool of load workers (child processes on the load core). Each worker answers every
 * command with exactly one message, so a command is a request/response pair.
 */
import type { ChildProcess } from 'node:child_process';
import type { ClientSpec, FromWorker, ToWorker } from '../load/messages.ts';
import { cpuMicros } from './proc.ts';
import { LOAD_CORES, spawnNode } from './servers.ts';

type Reply<T extends FromWorker['t']> = Extract<FromWorker, { t: T }>;

class WorkerHandle {
  private waiting: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | null = null;
  private ready: Promise<void>;

  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`load worker exited with ${code}`)));
      child.on('message', (m: FromWorker) => {
        if (m.t === 'ready') return resolve();
        const w = this.waiting;
        this.waiting = null;
        if (m.t === 'error') w?.reject(new Error(`load worker: ${m.message}`));
        else w?.resolve(m);
      });
    });
  }

  async ask<T extends FromWorker['t']>(msg: ToWorker, expect: T): Promise<Reply<T>> {
    await this.ready;
    if (this.waiting) throw new Error('worker busy');
    return new Promise((resolve, reject) => {
      this.waiting = {
        resolve: (m) => (m.t === expect ? resolve(m as Reply<T>) : reject(new Error(`expected ${expect}, got ${m.t}`))),
        reject,
      };
      this.child.send(msg);
    });
  }
}

export class LoadPool {
  readonly workers: WorkerHandle[];
  /** Which worker hosts each client index. */
  private home = new Map<number, WorkerHandle>();

  constructor(size: number) {
    const file = new URL('../load/worker.ts', import.meta.url).pathname;
    this.workers = Array.from({ length: size }, () => new WorkerHandle(spawnNode(file, LOAD_CORES, { ipc: true })));
  }

  /** Spreads clients round-robin so each board's clients live in different processes. */
  async connect(specs: ClientSpec[], batch = 50): Promise<{ clientIds: Map<number, number>; failed: number }> {
    const parts = this.workers.map(() => [] as ClientSpec[]);
    specs.forEach((s, i) => {
      const k = i % this.workers.length;
      parts[k]!.push(s);
      this.home.set(s.idx, this.workers[k]!);
    });
    const replies = await Promise.all(
      this.workers.map((w, k) => w.ask({ t: 'connect', clients: parts[k]!, batch }, 'connected')),
    );
    const clientIds = new Map<number, number>();
    let failed = 0;
    for (const r of replies) {
      for (const [idx, id] of Object.entries(r.clientIds)) clientIds.set(Number(idx), id);
      failed += r.failed;
    }
    return { clientIds, failed };
  }

  /** CPU time of all load workers so far (to tell whether the load generator was the limit). */
  cpuMicros(): number {
    return this.workers.reduce((n, w) => n + (w.child.pid ? cpuMicros(w.child.pid) : 0), 0);
  }

  workerOf(idx: number): WorkerHandle {
    const w = this.home.get(idx);
    if (!w) throw new Error(`client ${idx} not connected`);
    return w;
  }

  /** Groups client indexes by the worker hosting them. */
  byWorker(idxs: number[]): Map<WorkerHandle, number[]> {
    const out = new Map<WorkerHandle, number[]>();
    for (const idx of idxs) {
      const w = this.workerOf(idx);
      const list = out.get(w) ?? [];
      list.push(idx);
      out.set(w, list);
    }
    return out;
  }

  all<T extends FromWorker['t']>(msg: ToWorker, expect: T): Promise<Reply<T>[]> {
    return Promise.all(this.workers.map((w) => w.ask(msg, expect)));
  }

  async disconnect(): Promise<void> {
    await this.all({ t: 'disconnect' }, 'ok');
    this.home.clear();
  }

  async close(): Promise<void> {
    for (const w of this.workers) {
      w.child.send({ t: 'exit' } satisfies ToWorker);
    }
    await Promise.all(
      this.workers.map((w) => (w.child.exitCode === null ? new Promise((r) => w.child.once('exit', r)) : null)),
    );
  }
}
