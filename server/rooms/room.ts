/**
 * One loaded board: its Y.Doc, awareness, sockets, and a serial pipeline that makes
 * every accepted update durable before anyone can see it [SRV-2].
 *
 * Messages from all sockets (and server changes, and fan-out from other instances) go
 * through one inbox, handled in order. A client update is checked (viewer rule, size,
 * UpdateGate) and applied to the doc, but what it added is only *staged*: it is appended
 * to storage in one group commit at the end of the batch, and relayed after that. A sync
 * step 1 (the only way to read the doc) first flushes what is staged. So no byte reaches
 * another socket, another instance or a sync reply before it is stored.
 */
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import type { ControlMessage } from '../../shared/protocol.ts';
import { CloseCode, MessageType, PROTOCOL_VERSION, SyncStep } from '../../shared/protocol.ts';
import { canWriteDocument } from '../../shared/roles.ts';
import type { Limits } from '../config.ts';
import type { Fanout } from '../fanout/types.ts';
import type { AuthUser, BoardHandle, UpdateGate } from '../hooks.ts';
import type { Storage } from '../storage/types.ts';
import {
  awarenessFrame,
  awarenessStatesFrame,
  controlFrame,
  syncStep1Frame,
  syncStep2Frame,
  syncUpdateFrame,
} from '../ws/frames.ts';
import { decodeAwarenessUpdate, encodeAwarenessEntries, pinAwareness, pinnedUser } from './awareness.ts';
import { addsNothing, decodeUpdateSafe } from './updates.ts';

/** A socket as the room sees it (implemented by ws/connection.ts). */
export interface RoomClient {
  readonly user: AuthUser;
  readonly isOpen: boolean;
  /** True once the server closed this socket (refusal, bad frame): ignore what it sent after. */
  readonly closedByServer: boolean;
  send(frame: Uint8Array): void;
  /** Sends `control` (if given), then closes with `code`. */
  close(code: number, reason: string, control?: ControlMessage): void;
}

/** Transaction origins, so the update handler knows what to persist and relay. */
const ORIGIN_LOAD = Symbol('load');
const ORIGIN_FANOUT = Symbol('fanout');
const ORIGIN_SERVER = Symbol('server');

/** Each socket may speak for a few awareness client ids (a reloaded doc gets a new one). */
const MAX_AWARENESS_IDS_PER_SOCKET = 8;

export class BoardNotFoundError extends Error {}

export interface RoomDeps {
  boardId: BoardId;
  storage: Storage;
  fanout: Fanout;
  gate: UpdateGate | null;
  limits: Limits;
  compactionThreshold: number;
  log: (message: string) => void;
  /** Called whenever the room has no sockets and no leases left. */
  onIdle: (room: Room) => void;
}

type Task =
  | { kind: 'message'; client: RoomClient; data: Uint8Array }
  | { kind: 'join'; client: RoomClient }
  | { kind: 'change'; fn: (doc: Y.Doc) => void; done: { resolve(): void; reject(err: unknown): void } }
  | { kind: 'fanout-update'; payload: Uint8Array }
  | { kind: 'fanout-awareness'; payload: Uint8Array }
  | { kind: 'resync' };

interface Staged {
  update: Uint8Array;
  /** The socket it came from (not echoed back), or null for server changes. */
  from: RoomClient | null;
}

class MalformedFrame extends Error {}

export type RoomState = 'loading' | 'ready' | 'closing' | 'closed';

export class Room implements BoardHandle {
  readonly boardId: BoardId;
  readonly doc = new Y.Doc();
  /** Sync step 2 for an empty state vector; dropped on every doc update. */
  private fullStep2: Uint8Array | null = null;
  readonly awareness: awarenessProtocol.Awareness;
  state: RoomState = 'loading';
  /** Set as soon as an unload starts: the manager hands out no new work to this room. */
  unloading = false;
  /** Resolves once stored state is in the doc; rejects with BoardNotFoundError. */
  readonly loaded: Promise<void>;

  private readonly clients = new Set<RoomClient>();
  private readonly awarenessOwner = new Map<number, RoomClient>();
  private leases = 0;
  private inbox: Task[] = [];
  private running: Promise<void> | null = null;
  private staged: Staged[] = [];
  private pendingChanges: Array<{ resolve(): void; reject(err: unknown): void }> = [];
  /** Approximate stored size in bytes (snapshot + appended updates) for maxBoardBytes. */
  private storedBytes = 0;
  /** Updates appended since the last snapshot, to trigger background compaction. */
  private pendingCount = 0;
  private compacting: Promise<void> | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;
  private closedPromise: Promise<void> | null = null;
  private flushChain: Promise<void> = Promise.resolve();

  constructor(private readonly deps: RoomDeps) {
    this.boardId = deps.boardId;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    this.loaded = this.load();
    // Callers observe load failures through `loaded`; avoid an unhandled rejection here.
    this.loaded.catch(() => {});
  }

  // ------------------------------------------------------------------ loading

  private async load(): Promise<void> {
    // Subscribe before reading the store so no other instance's update falls in between;
    // what arrives meanwhile waits in the inbox.
    try {
      this.unsubscribe = await this.deps.fanout.subscribe(this.boardId, (kind, payload) => {
        this.enqueue(kind === 'update' ? { kind: 'fanout-update', payload } : { kind: 'fanout-awareness', payload });
      });
      const stored = await this.deps.storage.loadBoard(this.boardId);
      if (!stored) throw new BoardNotFoundError(`no board ${this.boardId}`);
      this.doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(this.doc, u.data);
      }, ORIGIN_LOAD);
      this.storedBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((n, u) => n + u.data.length, 0);
      this.pendingCount = stored.updates.length;
    } catch (err) {
      // Not loaded (unknown board, storage down): leave nothing behind — awareness runs
      // an interval timer and the fan-out a subscription.
      this.unloading = true;
      await this.destroy();
      throw err;
    }
    if (this.state === 'loading') this.state = 'ready';
    this.kick();
  }

  // ------------------------------------------------------------------ membership

  get clientCount(): number {
    return this.clients.size;
  }

  /** True while sockets or leases keep the room loaded. */
  get inUse(): boolean {
    return this.clients.size > 0 || this.leases > 0;
  }

  /** Registers a socket; its welcome and sync step 1 go out once the board is loaded. */
  addClient(client: RoomClient): void {
    this.clients.add(client);
    this.enqueue({ kind: 'join', client });
  }

  removeClient(client: RoomClient): void {
    if (!this.clients.delete(client)) return;
    const owned: number[] = [];
    for (const [id, owner] of this.awarenessOwner) {
      if (owner === client) owned.push(id);
    }
    for (const id of owned) this.awarenessOwner.delete(id);
    if (owned.length > 0 && this.state !== 'closed') {
      awarenessProtocol.removeAwarenessStates(this.awareness, owned, null);
    }
    if (!this.inUse) this.deps.onIdle(this);
  }

  /** Closes every socket (after a control 'error' saying why). */
  closeClients(code: number, reason: string): void {
    for (const client of [...this.clients]) client.close(code, reason, { type: 'error', code, reason });
  }

  /** Keeps the room loaded while the returned release function is not called. */
  lease(): () => void {
    this.leases++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.leases--;
      if (!this.inUse) this.deps.onIdle(this);
    };
  }

  /** A frame from one of this room's sockets. */
  receive(client: RoomClient, data: Uint8Array): void {
    this.enqueue({ kind: 'message', client, data });
  }

  /**
   * Fan-out may have dropped messages (a lost Redis connection): re-read the board from
   * storage, which holds every accepted update, and relay whatever this instance lacked.
   */
  resync(): void {
    this.enqueue({ kind: 'resync' });
  }

  /** BoardHandle: a server-originated change, persisted and relayed like a client's. */
  change(fn: (doc: Y.Doc) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.state === 'closed') {
        reject(new Error(`board ${this.boardId} is unloaded`));
        return;
      }
      this.enqueue({ kind: 'change', fn, done: { resolve, reject } });
    });
  }

  // ------------------------------------------------------------------ the pipeline

  private enqueue(task: Task): void {
    if (this.state === 'closed') return;
    this.inbox.push(task);
    this.kick();
  }

  private kick(): void {
    if (this.running || this.state === 'loading' || this.state === 'closed' || this.inbox.length === 0) return;
    this.running = this.drain()
      .catch((err: unknown) => this.deps.log(`board ${this.boardId}: pipeline error: ${String(err)}`))
      .finally(() => {
        this.running = null;
        // Tasks that arrived while the last flush finished.
        this.kick();
      });
  }

  private async drain(): Promise<void> {
    while (this.inbox.length > 0 && this.state !== 'closed') {
      const batch = this.inbox;
      this.inbox = [];
      for (const task of batch) {
        try {
          await this.run(task);
        } catch (err) {
          if (task.kind === 'change') task.done.reject(err);
          else this.deps.log(`board ${this.boardId}: ${task.kind} failed: ${String(err)}`);
        }
      }
      await this.flush();
    }
  }

  private async run(task: Task): Promise<void> {
    switch (task.kind) {
      case 'join':
        this.welcome(task.client);
        return;
      case 'message':
        // A socket that left on its own may still have sent updates before it went: they
        // were received, so they are judged and kept like any other. One we closed is not.
        if (task.client.closedByServer) return;
        try {
          await this.handleMessage(task.client, task.data);
        } catch (err) {
          const reason = err instanceof MalformedFrame ? err.message : 'malformed frame';
          task.client.close(CloseCode.malformedFrame, reason, {
            type: 'error',
            code: CloseCode.malformedFrame,
            reason,
          });
        }
        return;
      case 'change':
        this.doc.transact(() => task.fn(this.doc), ORIGIN_SERVER);
        this.pendingChanges.push(task.done);
        return;
      case 'fanout-update':
        // Stored by the instance that accepted it; here it is only applied and relayed.
        Y.applyUpdate(this.doc, task.payload, ORIGIN_FANOUT);
        return;
      case 'fanout-awareness':
        awarenessProtocol.applyAwarenessUpdate(this.awareness, task.payload, ORIGIN_FANOUT);
        return;
      case 'resync': {
        const stored = await this.deps.storage.loadBoard(this.boardId);
        if (!stored || this.state === 'closed') return;
        // Already stored, so applied like fan-out: relayed to this room's clients, not appended.
        this.doc.transact(() => {
          if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
          for (const u of stored.updates) Y.applyUpdate(this.doc, u.data);
        }, ORIGIN_FANOUT);
        return;
      }
    }
  }

  private welcome(client: RoomClient): void {
    if (!client.isOpen) return;
    const { user } = client;
    client.send(
      controlFrame({
        type: 'welcome',
        protocolVersion: PROTOCOL_VERSION,
        boardId: this.boardId,
        userId: user.userId,
        role: user.role,
        name: user.name,
        serverTime: Date.now(),
      }),
    );
    client.send(syncStep1Frame(this.doc));
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length > 0) client.send(awarenessStatesFrame(this.awareness, ids));
  }

  private async handleMessage(client: RoomClient, data: Uint8Array): Promise<void> {
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    // Only document updates outlive their socket; presence and queries do not.
    if (!client.isOpen && type !== MessageType.sync) return;
    switch (type) {
      case MessageType.sync: {
        const step = decoding.readVarUint(decoder);
        const payload = decoding.readVarUint8Array(decoder);
        if (step === SyncStep.step1) {
          let reply: Uint8Array;
          // Everything staged becomes durable before the doc is read for anyone [SRV-2].
          await this.flush();
          try {
            // A fresh joiner (empty state vector) needs the whole doc: encode it once per
            // doc version, not once per joiner.
            if (payload.length === 1 && payload[0] === 0) {
              this.fullStep2 ??= syncStep2Frame(this.doc, payload);
              reply = this.fullStep2;
            } else {
              reply = syncStep2Frame(this.doc, payload);
            }
          } catch {
            throw new MalformedFrame('bad state vector');
          }
          if (client.isOpen) client.send(reply);
        } else if (step === SyncStep.step2 || step === SyncStep.update) {
          this.receiveUpdate(client, payload);
        } else {
          throw new MalformedFrame(`unknown sync step ${step}`);
        }
        return;
      }
      case MessageType.awareness:
        this.receiveAwareness(client, decoding.readVarUint8Array(decoder));
        return;
      case MessageType.queryAwareness: {
        const ids = [...this.awareness.getStates().keys()];
        client.send(awarenessStatesFrame(this.awareness, ids));
        return;
      }
      default:
        throw new MalformedFrame(`unknown message type ${type}`);
    }
  }

  private receiveUpdate(client: RoomClient, update: Uint8Array): void {
    const decoded = decodeUpdateSafe(update);
    if (!decoded) throw new MalformedFrame('not a Yjs update');
    // Resends (a reconnecting client's step 2) change nothing: ignore, don't judge them.
    if (addsNothing(this.doc, decoded)) return;
    const { user } = client;
    if (!canWriteDocument(user.role)) {
      this.reject(client, 'AUTH-3', 'viewers cannot change the board');
      return;
    }
    const stagedBytes = this.staged.reduce((n, s) => n + s.update.length, 0);
    if (this.storedBytes + stagedBytes + update.length > this.deps.limits.maxBoardBytes) {
      const reason = `board would exceed ${this.deps.limits.maxBoardBytes} bytes`;
      client.close(CloseCode.boardTooLarge, reason, { type: 'error', code: CloseCode.boardTooLarge, reason });
      return;
    }
    if (this.deps.gate) {
      let verdict: ReturnType<UpdateGate['check']>;
      try {
        verdict = this.deps.gate.check({ doc: this.doc, user, update, decoded });
      } catch (err) {
        this.deps.log(`board ${this.boardId}: update gate threw: ${String(err)}`);
        verdict = { ok: false, rule: 'SRV-4', reason: 'update could not be checked' };
      }
      if (!verdict.ok) {
        this.reject(client, verdict.rule, verdict.reason);
        return;
      }
    }
    try {
      Y.applyUpdate(this.doc, update, client);
    } catch {
      throw new MalformedFrame('update could not be applied');
    }
  }

  private reject(client: RoomClient, rule: string, reason: string): void {
    client.send(controlFrame({ type: 'update-rejected', rule, reason }));
    client.close(CloseCode.policyViolation, reason.slice(0, 100));
  }

  private receiveAwareness(client: RoomClient, update: Uint8Array): void {
    let entries: ReturnType<typeof decodeAwarenessUpdate>;
    try {
      entries = decodeAwarenessUpdate(update);
    } catch {
      throw new MalformedFrame('bad awareness update');
    }
    const mayUse = (clientId: number): boolean => {
      const owner = this.awarenessOwner.get(clientId);
      if (owner) return owner === client;
      let owned = 0;
      for (const o of this.awarenessOwner.values()) if (o === client) owned++;
      if (owned >= MAX_AWARENESS_IDS_PER_SOCKET) return false;
      this.awarenessOwner.set(clientId, client);
      return true;
    };
    const pinned = pinAwareness(entries, pinnedUser(client.user), mayUse);
    if (pinned.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(pinned), client);
  }

  // ------------------------------------------------------------------ persist, relay

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullStep2 = null;
    if (origin === ORIGIN_LOAD) return;
    if (origin === ORIGIN_FANOUT) {
      this.broadcast(syncUpdateFrame(update), null);
      return;
    }
    this.staged.push({ update, from: origin === ORIGIN_SERVER ? null : (origin as RoomClient) });
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    // Echoed to the sender too: y-websocket treats 30 s of silence as a dead connection.
    this.broadcast(awarenessFrame(update), null);
    if (origin !== ORIGIN_FANOUT) this.deps.fanout.publish(this.boardId, 'awareness', update);
  };

  private broadcast(frame: Uint8Array, except: RoomClient | null): void {
    for (const client of this.clients) {
      if (client !== except && client.isOpen) client.send(frame);
    }
  }

  /**
   * Appends everything staged in one transaction, then relays it. Flushes never overlap,
   * so when one resolves, everything staged before it was called is stored.
   */
  flush(): Promise<void> {
    const next = this.flushChain.then(() => this.flushOnce());
    this.flushChain = next.catch(() => {});
    return next;
  }

  private async flushOnce(): Promise<void> {
    const batch = this.staged;
    const changes = this.pendingChanges;
    if (batch.length === 0) {
      this.pendingChanges = [];
      for (const c of changes) c.resolve();
      return;
    }
    this.staged = [];
    this.pendingChanges = [];
    try {
      await this.deps.storage.appendUpdates(
        this.boardId,
        batch.map((s) => s.update),
      );
    } catch (err) {
      for (const c of changes) c.reject(err);
      this.fail(err);
      return;
    }
    for (const s of batch) {
      this.storedBytes += s.update.length;
      this.broadcast(syncUpdateFrame(s.update), s.from);
      this.deps.fanout.publish(this.boardId, 'update', s.update);
    }
    this.pendingCount += batch.length;
    for (const c of changes) c.resolve();
    if (this.pendingCount >= this.deps.compactionThreshold) void this.compact();
  }

  /**
   * Storage refused a write: the doc now holds updates that are not stored. Drop the room
   * without relaying them; clients reconnect and resend what they have (sync step 2).
   */
  private fail(err: unknown): void {
    this.deps.log(`board ${this.boardId}: append failed, unloading: ${String(err)}`);
    this.closeClients(1011, 'storage error');
    this.unloading = true;
    this.state = 'closing';
    void this.destroy();
  }

  /** Folds the update log into a snapshot; at most one at a time per room. */
  compact(): Promise<void> {
    this.compacting ??= (async () => {
      const before = this.storedBytes;
      try {
        const result = await this.deps.storage.compact(this.boardId);
        this.pendingCount = Math.max(0, this.pendingCount - result.updatesFolded);
        this.storedBytes = result.snapshotBytes + (this.storedBytes - before);
      } catch (err) {
        this.deps.log(`board ${this.boardId}: compaction failed: ${String(err)}`);
      } finally {
        this.compacting = null;
      }
    })();
    return this.compacting;
  }

  // ------------------------------------------------------------------ unloading

  /** Waits for the pipeline to go quiet and for everything staged to be stored. */
  async settle(): Promise<void> {
    while (this.running || this.inbox.length > 0 || this.staged.length > 0) {
      if (this.running) await this.running;
      else if (this.state === 'loading') await this.loaded.catch(() => {});
      else await this.flush();
      if (this.state === 'closed') return;
    }
  }

  /** Flushes, optionally compacts, and frees the room. Idempotent. */
  close(opts: { compact: boolean }): Promise<void> {
    this.unloading = true;
    this.closedPromise ??= (async () => {
      await this.loaded.catch(() => {});
      if (this.state !== 'closed') this.state = 'closing';
      await this.settle();
      if (this.compacting) await this.compacting;
      if (opts.compact && this.pendingCount > 0) await this.compact();
      await this.destroy();
    })();
    return this.closedPromise;
  }

  private async destroy(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    const gone = new Error(`board ${this.boardId} is unloaded`);
    for (const c of this.pendingChanges) c.reject(gone);
    for (const task of this.inbox) if (task.kind === 'change') task.done.reject(gone);
    this.pendingChanges = [];
    this.inbox = [];
    this.doc.off('update', this.onDocUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    if (unsubscribe) await unsubscribe().catch(() => {});
  }
}
