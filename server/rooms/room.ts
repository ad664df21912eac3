/**
 * One loaded board: its Y.Doc, awareness, sockets, and a serial pipeline that makes
 * every accepted update durable before anyone can see it [SRV-2].
 *
 * Messages from all sockets (and server changes, and fan-out from other instances) go
 * through one inbox, handled in order. A client update is checked (missing dependencies,
 * viewer rule, size, UpdateGate) and applied to the doc, but what it added is only *staged*:
 * it is appended to storage in one group commit at the end of the batch, and relayed after
 * that. A sync step 1 (the only way to read the doc) first flushes what is staged. So no
 * byte reaches another socket, another instance or a sync reply before it is stored. An
 * update that fails to apply drops the room, which is loaded afresh from storage [SRV-11].
 *
 * Cold join: building the doc from stored bytes takes ~300 ms on a big board. Between reading
 * the store and building the doc, the room answers what needs no doc — welcomes, presence,
 * and a fresh joiner's sync step 1 (empty state vector), whose step 2 *is* the stored state
 * — as long as those tasks head the inbox; the first task that needs the doc ends this.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { BoardId } from '../../shared/ids.ts';
import type { ControlMessage } from '../../shared/protocol.ts';
import { CloseCode, MessageType, PROTOCOL_VERSION, ServerRule, SyncStep } from '../../shared/protocol.ts';
import { canWriteDocument } from '../../shared/roles.ts';
import type { Limits } from '../config.ts';
import type { Fanout } from '../fanout/types.ts';
import type { AuthUser, BoardHandle, UpdateGate } from '../hooks.ts';
import type { Storage, StoredBoardState } from '../storage/types.ts';
import {
  awarenessFrame,
  awarenessStatesFrame,
  controlFrame,
  syncStep1Frame,
  syncStep2Frame,
  syncUpdateFrame,
} from '../ws/frames.ts';
import { AwarenessOwners, filterAwarenessUpdate, MalformedAwareness } from './awareness.ts';
import { addsNothing, decodeUpdateSafe, missingDependency } from './updates.ts';
import { ClientIdOwners, newStructClients } from './clientIds.ts';

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

/**
 * Compaction re-merges the whole snapshot, so it waits for a quiet moment: once the log
 * passes the threshold, it runs after this long without new appends, or at once when the
 * log reaches COMPACT_NOW_FACTOR × threshold. A burst then costs one or two compactions
 * instead of one per threshold's worth of updates, each stealing the core from relaying.
 */
const COMPACT_QUIET_MS = 1000;
const COMPACT_NOW_FACTOR = 4;

/**
 * How long a load waits, before building the doc, for a just-joined socket's first frame
 * (its sync step 1), so a fresh joiner is answered from the stored bytes instead of after
 * the build. A y-websocket client sends step 1 as soon as the socket opens.
 */
const COLD_FIRST_FRAME_WAIT_MS = 25;

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
  /** Called when someone's presence on this instance ended (they left or timed out). */
  onPresenceLeft?: (room: Room) => void;
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

/** The stored state while the doc is not built yet (a room's first ~300 ms on a big board). */
interface ColdState {
  stored: StoredBoardState;
  /** Sync step 2 for an empty state vector, made from the stored bytes on first need. */
  fullStep2: Uint8Array | null;
  /** Set once the doc build has begun: no more tasks run before it. */
  building: boolean;
  /** Welcomed before the doc existed: their sync step 1 and presence go out after the build. */
  welcomed: RoomClient[];
  /** Joined but no frame received yet; the build waits briefly for their step 1. */
  silent: Set<RoomClient>;
  /** Wakes the load when something it waits on changes. */
  wake: (() => void) | null;
}

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
  /**
   * Resolves once the stored state is read (the doc may still be building): sockets may
   * join from then on. Rejects like `loaded` if the board cannot be read.
   */
  readonly joinable: Promise<void>;
  private readonly settleJoinable: { resolve(): void; reject(err: unknown): void };
  private cold: ColdState | null = null;

  private readonly clients = new Set<RoomClient>();
  /** Which socket and user may write which awareness id [AUTH-5, AUTH-7]; the server's own id is off limits. */
  private readonly awarenessOwners = new AwarenessOwners<RoomClient>({ reserved: [this.doc.clientID] });
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
  private compactTimer: NodeJS.Timeout | null = null;
  private lastAppendAt = 0;
  private unsubscribe: (() => Promise<void>) | null = null;
  private closedPromise: Promise<void> | null = null;
  private flushChain: Promise<void> = Promise.resolve();
  /** Set when an update failed to apply: the doc can no longer be trusted [SRV-11]. */
  private failedApply = false;
  /** Who owns which Yjs clientID [AUTH-6]; the doc's own is held for the server. */
  private readonly clientIds: ClientIdOwners;

  constructor(private readonly deps: RoomDeps) {
    this.boardId = deps.boardId;
    this.clientIds = new ClientIdOwners(deps.boardId, deps.storage);
    this.clientIds.reserveForServer(this.doc.clientID);
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server has no presence of its own.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onDocUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
    let settleJoinable: Room['settleJoinable'] | null = null;
    this.joinable = new Promise<void>((resolve, reject) => {
      settleJoinable = { resolve, reject };
    });
    this.settleJoinable = settleJoinable!;
    this.loaded = this.load();
    // Callers observe load failures through `loaded` and `joinable`; avoid an unhandled rejection here.
    this.loaded.catch(() => {});
    this.joinable.catch(() => {});
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
      this.storedBytes = (stored.snapshot?.length ?? 0) + stored.updates.reduce((n, u) => n + u.data.length, 0);
      this.pendingCount = stored.updates.length;
      const cold: ColdState = { stored, fullStep2: null, building: false, welcomed: [], silent: new Set(), wake: null };
      this.cold = cold;
      this.settleJoinable.resolve();
      await this.waitForColdJoiners(cold);
      cold.building = true;
      while (this.running) await this.running;
      this.doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
        for (const u of stored.updates) Y.applyUpdate(this.doc, u.data);
      }, ORIGIN_LOAD);
      // The doc now holds exactly the stored state: a step 2 made from it stays valid until
      // the next update.
      this.fullStep2 = cold.fullStep2;
      this.cold = null;
      for (const client of cold.welcomed) this.greet(client);
    } catch (err) {
      // Not loaded (unknown board, storage down, unreadable state): leave nothing behind —
      // awareness runs an interval timer and the fan-out a subscription. Sockets that
      // joined while the doc was building are told why.
      this.settleJoinable.reject(err);
      this.cold = null;
      this.unloading = true;
      this.closeClients(1011, 'board could not be loaded');
      await this.destroy();
      throw err;
    }
    if (this.state === 'loading') this.state = 'ready';
    this.kick();
  }

  /**
   * Lets sockets waiting on `joinable` attach and hand over their buffered frames, then
   * waits (briefly) for the first frame of any that sent nothing yet, unless a task that
   * needs the doc already blocks the inbox.
   */
  private async waitForColdJoiners(cold: ColdState): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const deadline = Date.now() + COLD_FIRST_FRAME_WAIT_MS;
    while (cold.silent.size > 0 && !this.coldBlocked() && this.state !== 'closed') {
      const left = deadline - Date.now();
      if (left <= 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        cold.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      cold.wake = null;
    }
  }

  /** True when the inbox's first task needs the doc, so nothing more runs before the build. */
  private coldBlocked(): boolean {
    const head = this.inbox[0];
    return head !== undefined && !runsWithoutDoc(head);
  }

  /** Sync step 2 for an empty state vector, from the stored bytes. */
  private coldStep2(cold: ColdState): Uint8Array {
    cold.fullStep2 ??= step2FrameOf(fullStateOf(cold.stored));
    return cold.fullStep2;
  }

  // ------------------------------------------------------------------ membership

  get clientCount(): number {
    return this.clients.size;
  }

  /** True while sockets or leases keep the room loaded. */
  get inUse(): boolean {
    return this.clients.size > 0 || this.leases > 0;
  }

  /**
   * Registers a socket (once the stored state is read): its welcome goes out in turn, its
   * sync step 1 and the presence states once the doc is built.
   */
  addClient(client: RoomClient): void {
    this.clients.add(client);
    if (this.cold && !this.cold.building) this.cold.silent.add(client);
    this.enqueue({ kind: 'join', client });
  }

  removeClient(client: RoomClient): void {
    if (!this.clients.delete(client)) return;
    if (this.cold?.silent.delete(client)) this.cold.wake?.();
    const owned = this.awarenessOwners.release(client);
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
    const cold = this.cold;
    if (cold && !cold.building && (task.kind === 'message' ? cold.silent.delete(task.client) : this.coldBlocked())) {
      cold.wake?.();
    }
    this.kick();
  }

  private kick(): void {
    if (this.running || this.state === 'closed' || this.inbox.length === 0) return;
    // While loading, only the tasks that need no doc run, and only before the build starts.
    if (this.state === 'loading' && (!this.cold || this.cold.building || this.coldBlocked())) return;
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
      let batch = this.inbox;
      if (this.cold) {
        // Before the doc exists: only the leading run of tasks that need no doc, and
        // nothing once the build is waiting for this drain to end.
        const n = this.cold.building ? 0 : batch.findIndex((task) => !runsWithoutDoc(task));
        if (n === 0) return;
        if (n > 0) batch = batch.slice(0, n);
      }
      this.inbox = this.inbox.slice(batch.length);
      for (const task of batch) {
        if (this.failedApply) {
          // Nothing more touches the doc. Sockets resend what they sent on reconnect.
          if (task.kind === 'change') task.done.reject(new Error(`board ${this.boardId} is reloading`));
          continue;
        }
        try {
          await this.run(task);
        } catch (err) {
          if (task.kind === 'change') task.done.reject(err);
          else this.deps.log(`board ${this.boardId}: ${task.kind} failed: ${String(err)}`);
        }
      }
      await this.flush();
      if (this.failedApply) {
        this.reloadAfterFailedApply();
        return;
      }
    }
  }

  /**
   * After a failed apply [SRV-11], once everything accepted before it is stored: drop this
   * room (and its doc). Its sockets reconnect, and the manager serves them, like any socket
   * arriving during an unload [SRV-10], from a fresh load of the stored board.
   */
  private reloadAfterFailedApply(): void {
    if (this.state === 'closed') return; // the flush failed: fail() already unloaded the room
    this.closeClients(CloseCode.serviceRestart, 'board is reloading, reconnect');
    this.state = 'closing';
    void this.destroy();
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
        // The server writes under a clientID of its own, claimed before it is first used [AUTH-6].
        await this.clientIds.serverClientId(this.doc);
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
    // The server's state vector needs the doc (reading it from the stored bytes costs about
    // a third of a build): a socket welcomed before the build gets it after.
    if (this.cold) this.cold.welcomed.push(client);
    else this.greet(client);
  }

  /** The server's sync step 1 and everyone's presence, for a welcomed socket. */
  private greet(client: RoomClient): void {
    if (!client.isOpen) return;
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
            if (this.cold) {
              // Only an empty state vector runs before the build (runsWithoutDoc).
              reply = this.coldStep2(this.cold);
            } else if (isEmptyStateVector(payload)) {
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
          await this.receiveUpdate(client, payload);
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

  private async receiveUpdate(client: RoomClient, update: Uint8Array): Promise<void> {
    const decoded = decodeUpdateSafe(update);
    if (!decoded) throw new MalformedFrame('not a Yjs update');
    // Resends (a reconnecting client's step 2) change nothing: ignore, don't judge them.
    if (addsNothing(this.doc, decoded)) return;
    // Structs Yjs would hold back as pending (unstored, unrelayed, uncounted) [SRV-12].
    const missing = missingDependency(this.doc, decoded);
    if (missing) {
      this.reject(client, ServerRule.missingDependency, `update depends on content the board lacks (${missing})`);
      return;
    }
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
    // [AUTH-6] New structs only under the sender's own clientIDs (deletions may name anyone's);
    // a never-seen clientID is claimed for them, one a socket showed in presence is its user's.
    let taken: number[];
    try {
      taken = await this.clientIds.foreign(user.userId, newStructClients(this.doc, decoded), (id) =>
        this.awarenessOwners.boundUser(id),
      );
    } catch (err) {
      this.deps.log(`board ${this.boardId}: clientID claim failed: ${String(err)}`);
      // Not applied; the client resends it when it reconnects.
      client.close(1011, 'storage error', { type: 'error', code: 1011, reason: 'storage error' });
      return;
    }
    if (this.state === 'closed') return;
    if (taken.length > 0) {
      this.reject(client, 'AUTH-6', `update writes under client id ${taken[0]}, which belongs to someone else`);
      return;
    }
    this.apply(client, update);
  }

  /**
   * Applies an admitted update. If Yjs throws, or keeps part of the update pending, the doc
   * may hold half of it and may never emit 'update' again [SRV-11]: the sender is refused,
   * nothing the apply emitted is staged, and the room stops taking work; the end of this
   * batch stores what was accepted before it, then the room unloads and the others
   * reconnect to a fresh load from storage (reloadAfterFailedApply).
   */
  private apply(client: RoomClient, update: Uint8Array): void {
    const { store } = this.doc;
    const stagedBefore = this.staged.length;
    // Pending before this apply came from elsewhere (fan-out): not this update's doing.
    const pendingBefore = { structs: store.pendingStructs !== null, ds: store.pendingDs !== null };
    let failure: string | null = null;
    try {
      Y.applyUpdate(this.doc, update, client);
    } catch (err) {
      failure = `Yjs threw ${String(err)}`;
    }
    if (failure === null && ((!pendingBefore.structs && store.pendingStructs) || (!pendingBefore.ds && store.pendingDs))) {
      failure = 'Yjs kept part of it pending';
    }
    if (failure === null) return;
    this.staged.length = stagedBefore;
    this.failedApply = true;
    this.unloading = true;
    this.deps.log(
      `board ${this.boardId}: update from ${client.user.userId} (${update.length} bytes) could not be applied: ${failure}; reloading the board from storage`,
    );
    this.reject(client, ServerRule.applyFailed, 'update could not be applied');
  }

  private reject(client: RoomClient, rule: string, reason: string): void {
    client.send(controlFrame({ type: 'update-rejected', rule, reason }));
    client.close(CloseCode.policyViolation, reason.slice(0, 100));
  }

  private receiveAwareness(client: RoomClient, update: Uint8Array): void {
    let admitted: Uint8Array | null;
    try {
      admitted = filterAwarenessUpdate(
        update,
        { socket: client, user: client.user },
        {
          owners: this.awarenessOwners,
          maxStateBytes: this.deps.limits.maxAwarenessStateBytes,
          known: (id) => {
            const meta = this.awareness.meta.get(id);
            return meta && { clock: meta.clock, hasState: this.awareness.states.has(id) };
          },
        },
      );
    } catch (err) {
      if (err instanceof MalformedAwareness) throw new MalformedFrame(err.message);
      throw err;
    }
    if (admitted) awarenessProtocol.applyAwarenessUpdate(this.awareness, admitted, client);
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
    // Only the instance the person was connected to reacts, so two instances never both do.
    if (removed.length > 0 && origin !== ORIGIN_FANOUT) this.deps.onPresenceLeft?.(this);
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
    for (const s of batch) this.storedBytes += s.update.length;
    this.relay(batch);
    this.pendingCount += batch.length;
    for (const c of changes) c.resolve();
    this.scheduleCompaction();
  }

  /**
   * Sends a stored batch on. Several updates go out merged into one frame to everyone who
   * wrote none of them (one send per socket instead of one per update: under load a batch
   * holds whatever arrived during the previous commit); a writer gets the others' updates
   * one by one, so nothing is echoed back to it.
   */
  private relay(batch: readonly Staged[]): void {
    if (batch.length === 1) {
      const only = batch[0]!;
      this.broadcast(syncUpdateFrame(only.update), only.from);
      this.deps.fanout.publish(this.boardId, 'update', only.update);
      return;
    }
    const merged = Y.mergeUpdates(batch.map((s) => s.update));
    const writers = new Set(batch.map((s) => s.from));
    const single = batch.map((s) => ({ from: s.from, frame: null as Uint8Array | null, update: s.update }));
    const mergedFrame = syncUpdateFrame(merged);
    for (const client of this.clients) {
      if (!client.isOpen) continue;
      if (!writers.has(client)) {
        client.send(mergedFrame);
        continue;
      }
      for (const s of single) {
        if (s.from === client) continue;
        s.frame ??= syncUpdateFrame(s.update);
        client.send(s.frame);
      }
    }
    this.deps.fanout.publish(this.boardId, 'update', merged);
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

  private scheduleCompaction(): void {
    const threshold = this.deps.compactionThreshold;
    if (this.pendingCount < threshold) return;
    if (this.pendingCount >= threshold * COMPACT_NOW_FACTOR) {
      void this.compact();
      return;
    }
    // One timer per quiet period, not one per update: it re-arms itself for what is left
    // of the quiet second if updates kept coming.
    this.lastAppendAt = Date.now();
    if (this.compactTimer) return;
    const wait = (ms: number) => {
      this.compactTimer = setTimeout(() => {
        const left = this.lastAppendAt + COMPACT_QUIET_MS - Date.now();
        if (left > 0) return wait(left);
        this.compactTimer = null;
        if (this.state === 'ready' && this.pendingCount >= threshold) void this.compact();
      }, ms);
      this.compactTimer.unref();
    };
    wait(COMPACT_QUIET_MS);
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
      if (opts.compact && (await this.logPending())) await this.compact();
      await this.destroy();
    })();
    return this.closedPromise;
  }

  /**
   * Whether the stored log has updates after the snapshot. Other instances' appends are not
   * in `pendingCount`; folding them too makes the next load a lone snapshot, which a fresh
   * joiner is sent as is.
   */
  private async logPending(): Promise<boolean> {
    if (this.pendingCount > 0) return true;
    try {
      return (await this.deps.storage.pendingUpdateCount(this.boardId)) > 0;
    } catch {
      return false;
    }
  }

  private async destroy(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.compactTimer) clearTimeout(this.compactTimer);
    this.compactTimer = null;
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

/** The v1 update of an empty doc (no structs, no deletions). */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

/** A v1 state vector with no clients: what a fresh y-websocket client sends in step 1. */
function isEmptyStateVector(sv: Uint8Array): boolean {
  return sv.length === 1 && sv[0] === 0;
}

/**
 * Whether a task can run before the doc is built: joins, presence, and a sync step 1 with
 * an empty state vector (answered from the stored bytes). Anything else reads or changes
 * the doc, and so does everything queued behind it.
 */
function runsWithoutDoc(task: Task): boolean {
  if (task.kind === 'join' || task.kind === 'fanout-awareness') return true;
  if (task.kind !== 'message') return false;
  try {
    const decoder = decoding.createDecoder(task.data);
    const type = decoding.readVarUint(decoder);
    if (type === MessageType.awareness || type === MessageType.queryAwareness) return true;
    if (type !== MessageType.sync || decoding.readVarUint(decoder) !== SyncStep.step1) return false;
    return isEmptyStateVector(decoding.readVarUint8Array(decoder)) && !decoding.hasContent(decoder);
  } catch {
    // Malformed: the normal path closes the socket, after the build.
    return false;
  }
}

/**
 * The stored state as one update. A lone snapshot (the usual state after an unload, which
 * compacts) already is it; merging a 2.3 MB snapshot with a few updates costs ~140 ms here,
 * less than building the doc (~200-300 ms) and encoding it (~45 ms).
 */
function fullStateOf(stored: StoredBoardState): Uint8Array {
  const parts = [...(stored.snapshot ? [stored.snapshot] : []), ...stored.updates.map((u) => u.data)];
  if (parts.length === 0) return EMPTY_UPDATE;
  if (parts.length === 1) return parts[0]!;
  return Y.mergeUpdates(parts);
}

/** A sync step 2 frame carrying `update` as is. */
function step2FrameOf(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, SyncStep.step2);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}
