/**
 * Merges the updates of a server change made in steps (Room.changeInSteps) into the one
 * update that is stored and relayed [SRV-2, XFER-1], off the event loop: a worker thread
 * (mergeWorker.mjs), started on first use and unref'd while idle so it never holds a
 * process open. Where no worker can run, the merge runs here (correct, only slower).
 * One per RoomManager, not a module global, so servers in one process stay apart.
 */
import { Worker } from 'node:worker_threads';
import * as Y from 'yjs';
import { workerExecArgv } from '../storage/sqlite.ts';

const WORKER_URL = new URL('./mergeWorker.mjs', import.meta.url);
/** Below this many bytes in all, a merge takes a few ms: done here, without the thread hop. */
const MERGE_HERE_BYTES = 256 * 1024;

export class UpdateMerger {
  private worker: Worker | null = null;
  private broken = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(v: Uint8Array): void; reject(err: Error): void }>();
  /** How many merges the thread has answered (tests check the thread, not the fallback, ran). */
  mergedOnThread = 0;

  async merge(parts: readonly Uint8Array[]): Promise<Uint8Array> {
    if (parts.length === 1) return parts[0]!;
    const bytes = parts.reduce((n, p) => n + p.length, 0);
    const worker = this.broken || bytes < MERGE_HERE_BYTES ? null : this.start();
    if (!worker) return Y.mergeUpdates([...parts]);
    // Copies, transferred: the parts may be views into buffers Yjs still uses.
    const buffers = parts.map((p) => p.slice().buffer);
    const id = ++this.nextId;
    return new Promise<Uint8Array>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, parts: buffers }, buffers);
    });
  }

  /** Ends the worker; merges asked for afterwards run on this thread. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.broken = true;
    if (worker) await worker.terminate();
  }

  private start(): Worker | null {
    if (this.worker) return this.worker;
    try {
      const worker = new Worker(WORKER_URL, { execArgv: workerExecArgv() });
      worker.unref();
      worker.on('message', (msg: { id: number; ok: boolean; value: ArrayBuffer | string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (msg.ok) {
          this.mergedOnThread++;
          p.resolve(new Uint8Array(msg.value as ArrayBuffer));
        }
        else p.reject(new Error(`merging updates failed: ${String(msg.value)}`));
        if (this.pending.size === 0) worker.unref();
      });
      const fail = (err: Error) => {
        this.broken = true;
        this.worker = null;
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      };
      worker.on('error', (err) => fail(new Error(`update merge worker failed: ${err.message}`, { cause: err })));
      worker.on('exit', (code) => {
        if (this.pending.size > 0) fail(new Error(`update merge worker exited (code ${code})`));
        this.worker = null;
      });
      this.worker = worker;
      return worker;
    } catch {
      this.broken = true;
      return null;
    }
  }
}
