/**
 * One loaded board: its Y.Doc, presence and sockets, and the coordinator of the modules
 * that do the work. Every accepted update is durable before anyone can see it [SRV-2]:
 *
 * - inbox.ts: every socket message (already decoded by ws/connection.ts), server change and
 *   fan-out message is a task, handled in order, one batch at a time.
 * - admission.ts, apply.ts: a client update is judged against the board, then applied; an
 *   update that fails to apply drops the room, which is loaded afresh from storage [SRV-11].
 * - groupCommit.ts, relay.ts: what an update added is only *staged*; it is appended to
 *   storage in one group commit at the end of the batch, and relayed after that. A sync
 *   step 1 (the only way to read the doc) first flushes what is staged. So no byte reaches
 *   another socket, another instance or a sync reply before it is stored.
 * - coldStart.ts: between reading the store and building the doc, what needs no doc is
 *   answered, a fresh joiner's sync step 1 from the stored bytes.
 * - awareness.ts (AwarenessGuard): presence, filtered and pinned to tokens.
 * - compaction.ts: folds the update log into the snapshot when the board is quiet.
 */
import * as Y from 'yjs';
import type { IncomingMessage } from '../../shared/codec.ts';
import { encodeAwareness, encodeAwarenessStates, encodeSyncStep1, encodeSyncUpdate } from '../../shared/codec.ts';
import type { BoardId } from '../../shared/ids.ts';
import { CloseCode, PROTOCOL_VERSION, ServerRule } from '../../shared/protocol.ts';
import type { Limits } from '../config.ts';
import type { BoardHandle, PresentUser, UpdateGate } from '../extensions.ts';
import type { Fanout } from '../fanout/types.ts';
import { HistoryRecorder, SERVER_AUTHOR } from '../history/recorder.ts';
import { errorField, type Logger } from '../log/logger.ts';
import { type ServerMetrics, secondsSince } from '../metrics/metrics.ts';
import { storageFaultReason } from '../storage/faults.ts';
import type { HistoryStore, Storage } from '../storage/types.ts';
import { type AdmissionContext, admitUpdate } from './admission.ts';
import { applyWhole } from './apply.ts';
import { type AwarenessChange, AwarenessGuard, MalformedAwareness } from './awareness.ts';
import type { RoomClient } from './client.ts';
import { ClientIdOwners } from './clientIds.ts';
import { type Clock, type RoomTimings, systemClock } from './clock.ts';
import { ColdStart, leadingWithoutDoc, runsWithoutDoc } from './coldStart.ts';
import { CompactionScheduler } from './compaction.ts';
import { GroupCommit } from './groupCommit.ts';
import { Inbox, type Task } from './inbox.ts';
import { broadcast, relayBatch, type Staged } from './relay.ts';
import { applyStoredState, storedBytesOf, storedParts } from './storedState.ts';
import { SyncAnswers } from './syncAnswers.ts';
import type { UpdateMerger } from './updateMerger.ts';

export type { RoomClient } from './client.ts';

/** Transaction origins, so the update handler knows what to persist and relay. */
const ORIGIN_LOAD = Symbol('load');
const ORIGIN_FANOUT = Symbol('fanout');
const ORIGIN_SERVER = Symbol('server');
/** One step of a server change made in steps: applied, held back, staged only as the merged whole. */
const ORIGIN_SERVER_STEP = Symbol('server-step');

export class BoardNotFoundError extends Error {}

export interface RoomDeps {
  boardId: BoardId;
  storage: Storage;
  fanout: Fanout;
  gate: UpdateGate | null;
  limits: Limits;
  timings: RoomTimings;
  /** Defaults to the system clock; tests pass a fake one. */
  clock?: Clock;
  log: (message: string) => void;
  /** Where the board's history is recorded (HIS-1); none: not recorded. */
  history?: HistoryStore;
  /** Called whenever the room has no sockets and no leases left. */
  onIdle: (room: Room) => void;
  /** Called when someone's presence on this instance ended (they left or timed out). */
  onPresenceLeft?: (room: Room) => void;
  /** The server's metrics (OBS-1); none in unit tests. */
  metrics?: ServerMetrics;
  /** Structured log (OBS-2), already bound to the board; none in unit tests. */
  logger?: Logger;
  /** Merges a stepped change's updates off the event loop; none: merged here. */
  merger?: UpdateMerger;
}

interface HeldUpdates {
  updates: Uint8Array[];
  bytes: number;
}
/** What one socket may send before its step 2 that waits for it; past this, SRV-12 as usual. */
const HOLD_BEFORE_STEP2 = { updates: 256, bytes: 256 * 1024 } as const;

/** A frame's handling went wrong in a way that is the frame's fault: close it as malformed. */
class MalformedFrame extends Error {}

export type RoomState = 'loading' | 'ready' | 'closing' | 'closed';

export class Room implements BoardHandle {
  readonly boardId: BoardId;
  readonly doc = new Y.Doc();
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
  private cold: ColdStart | null = null;

  private readonly clients = new Set<RoomClient>();
  private leases = 0;
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  private readonly inbox: Inbox;
  private readonly commit: GroupCommit;
  private readonly compaction: CompactionScheduler;
  private readonly answers: SyncAnswers;
  private readonly admission: AdmissionContext;
  /** Which socket and user may write which awareness id [AUTH-5, AUTH-7]. */
  private readonly presence: AwarenessGuard<RoomClient>;
  /** Who owns which Yjs clientID [AUTH-6]; the doc's own is held for the server. */
  private readonly clientIds: ClientIdOwners;
  private unsubscribe: (() => Promise<void>) | null = null;
  private closedPromise: Promise<void> | null = null;
  /** Set when an update failed to apply: the doc can no longer be trusted [SRV-11]. */
  private failedApply = false;
  /** While a change runs in steps: what its steps emitted, not yet staged. */
  private stepParts: Uint8Array[] | null = null;
  /** Sockets that sent their first sync step 1 (a y-websocket client does on open). */
  private readonly syncStarted = new WeakSet<RoomClient>();
  /**
   * [SRV-12] A reconnecting y-websocket client sends its step 1 and goes on sending each
   * edit as an update; the edits it made while away come only with its step 2, its answer
   * to our step 1. An update in between skips them and would be refused, and a client that
   * edits faster than that round trip would be refused on every reconnect. So, between a
   * socket's first step 1 and its step 2, such updates wait here (bounded), then run after
   * the step 2 (usually adding nothing by then).
   */
  private readonly beforeStep2 = new WeakMap<RoomClient, HeldUpdates>();
  /** Who changed what, when (HIS-1); told of every applied and every stored update. */
  readonly history: HistoryRecorder | null;

  constructor(private readonly deps: RoomDeps) {
    this.boardId = deps.boardId;
    this.clock = deps.clock ?? systemClock;
    this.log = (message) => deps.log(`board ${this.boardId}: ${message}`);
    this.clientIds = new ClientIdOwners(deps.boardId, deps.storage);
    this.clientIds.reserveForServer(this.doc.clientID);
    this.presence = new AwarenessGuard<RoomClient>(this.doc, {
      maxStateBytes: deps.limits.maxAwarenessStateBytes,
      onChange: this.onAwarenessChange,
    });
    const merger = deps.merger;
    this.answers = new SyncAnswers(this.doc, { clock: this.clock, merge: merger ? (parts) => merger.merge(parts) : undefined });
    this.history = deps.history ? new HistoryRecorder(deps.boardId, deps.history, () => this.clock.now(), this.log) : null;
    this.admission = {
      doc: this.doc,
      limits: deps.limits,
      gate: deps.gate,
      clientIds: this.clientIds,
      boardBytes: () => this.commit.storedBytes + this.commit.stagedBytes,
      awarenessUser: (id) => this.presence.boundUser(id),
      log: this.log,
    };
    this.inbox = new Inbox({
      runnable: (queue) => this.runnable(queue),
      run: (task) => this.runTask(task),
      endBatch: () => this.endBatch(),
      onError: (err) => this.log(`pipeline error: ${String(err)}`),
    });
    this.commit = new GroupCommit({
      append: (updates) => this.append(updates),
      stored: (batch) => this.onStored(batch),
      failed: (err) => this.fail(err),
    });
    this.compaction = new CompactionScheduler({
      timings: deps.timings,
      clock: this.clock,
      fold: () => this.foldLog(),
      live: () => this.state === 'ready',
      log: this.log,
    });
    this.doc.on('update', this.onDocUpdate);
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

  /** The board's presence (y-protocols Awareness); written only through the guard. */
  get awareness(): AwarenessGuard<RoomClient>['awareness'] {
    return this.presence.awareness;
  }

  // ------------------------------------------------------------------ loading

  private async load(): Promise<void> {
    const started = performance.now();
    // Subscribe before reading the store so no other instance's update falls in between;
    // what arrives meanwhile waits in the inbox.
    try {
      this.unsubscribe = await this.deps.fanout.subscribe(this.boardId, (kind, payload) => {
        if (kind === 'evict') this.closeUser(Buffer.from(payload).toString('utf8'));
        else this.enqueue(kind === 'update' ? { kind: 'fanout-update', payload } : { kind: 'fanout-awareness', payload });
      });
      const stored = await this.deps.storage.loadBoard(this.boardId);
      if (!stored) throw new BoardNotFoundError(`no board ${this.boardId}`);
      this.commit.storedBytes = storedBytesOf(stored);
      this.compaction.loaded(stored.updates.length);
      const cold = new ColdStart(stored, { clock: this.clock, firstFrameWaitMs: this.deps.timings.coldFirstFrameWaitMs });
      this.cold = cold;
      this.settleJoinable.resolve();
      await cold.waitForJoiners(
        () => this.coldBlocked(),
        () => this.state === 'closed',
      );
      cold.building = true;
      while (this.inbox.busy) await this.inbox.busy;
      applyStoredState(this.doc, stored, ORIGIN_LOAD);
      this.history?.loaded(this.doc);
      // The doc now holds exactly the stored state: a step 2 made from it stays valid until
      // the next update.
      if (cold.madeStep2) this.answers.adopt(cold.madeStep2);
      else this.answers.adoptStored(storedParts(stored));
      this.cold = null;
      for (const client of cold.welcomed) this.greet(client);
    } catch (err) {
      // Not loaded (unknown board, storage down, unreadable state): leave nothing behind —
      // awareness runs an interval timer and the fan-out a subscription. Sockets that
      // joined while the doc was building are told why.
      this.settleJoinable.reject(err);
      if (!(err instanceof BoardNotFoundError)) {
        this.deps.metrics?.storageFaults.inc();
        this.deps.logger?.error({ event: 'storage.fault', op: 'load', error: errorField(err) }, 'board could not be loaded');
      }
      this.cold = null;
      this.unloading = true;
      this.closeClients(CloseCode.internalError, `board could not be loaded: ${storageFaultReason(err)}`.slice(0, 120));
      await this.destroy();
      throw err;
    }
    if (this.state === 'loading') this.state = 'ready';
    this.deps.logger?.info({ event: 'board.load', ms: Math.round(performance.now() - started) }, 'board loaded');
    this.inbox.kick();
  }

  /** True when the inbox's first task needs the doc, so nothing more runs before the build. */
  private coldBlocked(): boolean {
    const head = this.inbox.head;
    return head !== undefined && !runsWithoutDoc(head);
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
    this.cold?.joined(client);
    this.enqueue({ kind: 'join', client });
  }

  removeClient(client: RoomClient): void {
    if (!this.clients.delete(client)) return;
    this.cold?.heard(client);
    if (this.state !== 'closed') this.presence.release(client);
    if (!this.inUse) this.deps.onIdle(this);
  }

  /** Closes every socket (after a control 'error' saying why). */
  closeClients(code: number, reason: string): void {
    for (const client of [...this.clients]) client.close(code, reason, { type: 'error', code, reason });
  }

  /** Closes the sockets of a person removed from the board (MEM-4), on this instance. */
  closeUser(userId: string): void {
    const code = CloseCode.unauthorized;
    const reason = 'you were removed from this board';
    for (const client of [...this.clients]) {
      if (client.user.userId === userId) client.close(code, reason, { type: 'error', code, reason });
    }
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

  /** A decoded frame from one of this room's sockets. */
  receive(client: RoomClient, message: IncomingMessage): void {
    this.enqueue({ kind: 'message', client, message });
  }

  /**
   * A frame from one of this room's sockets that did not decode: the socket is closed in
   * turn, so what it sent before is still judged.
   */
  receiveMalformed(client: RoomClient, reason: string): void {
    this.enqueue({ kind: 'malformed', client, reason });
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

  /** BoardHandle: a server change in several transactions that is stored and relayed as one update. */
  changeInSteps(steps: (doc: Y.Doc) => Iterable<(doc: Y.Doc) => void>): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.state === 'closed') {
        reject(new Error(`board ${this.boardId} is unloaded`));
        return;
      }
      this.enqueue({ kind: 'steps', steps, done: { resolve, reject } });
    });
  }

  /** BoardHandle: everyone present on the board, from the pinned awareness states. */
  presentUsers(): PresentUser[] {
    return this.presence.presentUsers();
  }

  // ------------------------------------------------------------------ the pipeline

  private enqueue(task: Task): void {
    if (this.state === 'closed') return;
    this.inbox.push(task);
    const cold = this.cold;
    if (cold && !cold.building) {
      if (task.kind === 'message' || task.kind === 'malformed') cold.heard(task.client);
      if (this.coldBlocked()) cold.nudge();
    }
    this.inbox.kick();
  }

  /** How many queued tasks may run now: while loading, only those that need no doc, before the build. */
  private runnable(queue: readonly Task[]): number {
    if (this.state === 'closed') return 0;
    if (this.cold) return this.cold.building ? 0 : leadingWithoutDoc(queue);
    if (this.state === 'loading') return 0;
    return queue.length;
  }

  private async runTask(task: Task): Promise<void> {
    if (this.failedApply) {
      // Nothing more touches the doc. Sockets resend what they sent on reconnect.
      if (task.kind === 'change' || task.kind === 'steps') task.done.reject(new Error(`board ${this.boardId} is reloading`));
      return;
    }
    try {
      await this.run(task);
    } catch (err) {
      if (task.kind === 'change' || task.kind === 'steps') task.done.reject(err);
      else this.log(`${task.kind} failed: ${String(err)}`);
    }
  }

  /** The end of a batch: the group commit. After a failed apply, the room goes. */
  private async endBatch(): Promise<boolean> {
    await this.commit.flush();
    if (!this.failedApply) return true;
    this.reloadAfterFailedApply();
    return false;
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
      case 'malformed':
        if (!task.client.closedByServer) this.closeMalformed(task.client, task.reason);
        return;
      case 'message':
        // A socket that left on its own may still have sent updates before it went: they
        // were received, so they are judged and kept like any other. One we closed is not.
        if (task.client.closedByServer) return;
        try {
          await this.handleMessage(task.client, task.message);
        } catch (err) {
          this.closeMalformed(task.client, err instanceof MalformedFrame ? err.message : 'malformed frame');
        }
        return;
      case 'change':
        // The server writes under a clientID of its own, claimed before it is first used [AUTH-6].
        await this.clientIds.serverClientId(this.doc);
        this.doc.transact(() => task.fn(this.doc), ORIGIN_SERVER);
        this.commit.whenStored(task.done);
        return;
      case 'steps':
        await this.clientIds.serverClientId(this.doc);
        await this.runSteps(task.steps, task.done);
        return;
      case 'fanout-update':
        // Stored by the instance that accepted it; here it is only applied and relayed.
        Y.applyUpdate(this.doc, task.payload, ORIGIN_FANOUT);
        return;
      case 'fanout-awareness':
        this.presence.applyRemote(task.payload, ORIGIN_FANOUT);
        return;
      case 'resync': {
        const stored = await this.deps.storage.loadBoard(this.boardId);
        if (!stored || this.state === 'closed') return;
        // Already stored, so applied like fan-out: relayed to this room's clients, not appended.
        applyStoredState(this.doc, stored, ORIGIN_FANOUT);
        return;
      }
    }
  }

  private closeMalformed(client: RoomClient, reason: string): void {
    client.close(CloseCode.malformedFrame, reason, { type: 'error', code: CloseCode.malformedFrame, reason });
  }

  private welcome(client: RoomClient): void {
    if (!client.isOpen) return;
    const { user } = client;
    client.control({
      type: 'welcome',
      protocolVersion: PROTOCOL_VERSION,
      boardId: this.boardId,
      userId: user.userId,
      role: user.role,
      name: user.name,
      serverTime: this.clock.now(),
    });
    // The server's state vector needs the doc (reading it from the stored bytes costs about
    // a third of a build): a socket welcomed before the build gets it after.
    if (this.cold) this.cold.welcomed.push(client);
    else this.greet(client);
  }

  /** The server's sync step 1 and everyone's presence, for a welcomed socket. */
  private greet(client: RoomClient): void {
    if (!client.isOpen) return;
    client.send(encodeSyncStep1(this.doc));
    const ids = this.presence.ids();
    if (ids.length > 0) client.send(encodeAwarenessStates(this.awareness, ids));
  }

  private async handleMessage(client: RoomClient, message: IncomingMessage): Promise<void> {
    // Only document updates outlive their socket; presence and queries do not.
    if (!client.isOpen && (message.type === 'awareness' || message.type === 'query-awareness')) return;
    switch (message.type) {
      case 'sync-step-1': {
        if (!this.syncStarted.has(client)) {
          this.syncStarted.add(client);
          this.beforeStep2.set(client, { updates: [], bytes: 0 });
        }
        let reply: Uint8Array;
        // Everything staged becomes durable before the doc is read for anyone [SRV-2].
        await this.commit.flush();
        try {
          // Only an empty state vector runs before the build (runsWithoutDoc).
          reply = this.cold ? this.cold.step2() : this.answers.answer(message.stateVector);
        } catch {
          throw new MalformedFrame('bad state vector');
        }
        if (client.isOpen) client.send(reply);
        return;
      }
      case 'sync-step-2': {
        await this.receiveUpdate(client, message.update);
        const held = this.beforeStep2.get(client);
        this.beforeStep2.delete(client);
        for (const update of held?.updates ?? []) await this.receiveUpdate(client, update);
        return;
      }
      case 'sync-update':
        await this.receiveUpdate(client, message.update, this.beforeStep2.get(client));
        return;
      case 'awareness':
        try {
          const ids = this.presence.receive(client, client.user, message.update);
          // A y-websocket client's awareness id is its doc's clientID: claim it for its user
          // now, off the pipeline, so that person's first edit needs no storage round trip [AUTH-6].
          for (const id of ids) if (this.presence.boundUser(id) === client.user.userId) this.clientIds.prefetch(client.user.userId, id);
        } catch (err) {
          if (err instanceof MalformedAwareness) throw new MalformedFrame(err.message);
          throw err;
        }
        return;
      case 'query-awareness':
        client.send(encodeAwarenessStates(this.awareness, this.presence.ids()));
        return;
    }
  }

  private async receiveUpdate(client: RoomClient, update: Uint8Array, holdUntilStep2?: HeldUpdates): Promise<void> {
    const verdict = await admitUpdate(this.admission, client.user, update);
    if (
      holdUntilStep2 &&
      verdict.kind === 'refuse' &&
      verdict.rule === ServerRule.missingDependency &&
      holdUntilStep2.updates.length < HOLD_BEFORE_STEP2.updates &&
      holdUntilStep2.bytes + update.length <= HOLD_BEFORE_STEP2.bytes
    ) {
      holdUntilStep2.updates.push(update);
      holdUntilStep2.bytes += update.length;
      return;
    }
    switch (verdict.kind) {
      case 'ignore':
        return;
      case 'malformed':
        throw new MalformedFrame(verdict.reason);
      case 'close':
        client.close(verdict.code, verdict.reason, { type: 'error', code: verdict.code, reason: verdict.reason });
        return;
      case 'refuse':
        if (this.state !== 'closed') this.reject(client, verdict.rule, verdict.reason);
        return;
      case 'admit':
        if (this.state !== 'closed') this.apply(client, update);
        return;
    }
  }

  /**
   * Applies an admitted update. If it does not go in whole [SRV-11], the sender is refused,
   * nothing the apply emitted is staged, and the room stops taking work; the end of this
   * batch stores what was accepted before it, then the room unloads and the others
   * reconnect to a fresh load from storage (reloadAfterFailedApply).
   */
  private apply(client: RoomClient, update: Uint8Array): void {
    const stagedBefore = this.commit.stagedCount;
    const failure = applyWhole(this.doc, update, client);
    if (failure === null) return;
    this.commit.truncate(stagedBefore);
    this.answers.invalidate();
    this.failedApply = true;
    this.unloading = true;
    this.log(
      `update from ${client.user.userId} (${update.length} bytes) could not be applied: ${failure}; reloading the board from storage`,
    );
    this.reject(client, ServerRule.applyFailed, 'update could not be applied');
  }

  private reject(client: RoomClient, rule: string, reason: string): void {
    // The rule and who, never the reason's details or the update: they may quote the document.
    this.deps.metrics?.updatesRefused.inc({ rule });
    this.deps.logger?.info({ event: 'update.refused', rule, userId: client.user.userId, role: client.user.role }, 'update refused');
    client.control({ type: 'update-rejected', rule, reason });
    client.close(CloseCode.policyViolation, reason.slice(0, 100));
  }

  // ------------------------------------------------------------------ persist, relay

  /**
   * A change in steps [SRV-2, XFER-1, XFER-7]: each step is its own transaction, with a
   * macrotask between steps so other boards are served, while this room's inbox waits (no
   * task of this board runs, no sync answer reads the doc). What the steps emit is held
   * back, merged off the event loop into one update, then staged like any change: stored
   * before it is relayed, and seen by every client as one update. A step that throws leaves
   * the doc holding what was never stored: nothing is staged, and the room reloads from
   * storage (as after a failed apply, SRV-11).
   */
  private async runSteps(steps: (doc: Y.Doc) => Iterable<(doc: Y.Doc) => void>, done: { resolve(): void; reject(err: unknown): void }): Promise<void> {
    const parts: Uint8Array[] = [];
    this.stepParts = parts;
    try {
      let first = true;
      for (const step of steps(this.doc)) {
        if (!first) await new Promise<void>((r) => setImmediate(r));
        first = false;
        this.doc.transact(() => step(this.doc), ORIGIN_SERVER_STEP);
      }
    } catch (err) {
      this.stepParts = null;
      this.history?.dropSteps();
      this.answers.invalidate();
      this.failedApply = true;
      this.unloading = true;
      this.log(`a server change in steps failed: ${String(err)}; reloading the board from storage`);
      done.reject(err);
      return;
    }
    this.stepParts = null;
    if (parts.length === 0) {
      done.resolve();
      return;
    }
    let update: Uint8Array;
    try {
      update = this.deps.merger ? await this.deps.merger.merge(parts) : Y.mergeUpdates(parts);
    } catch {
      update = Y.mergeUpdates(parts); // the worker failed: correct here, only slower
    }
    this.history?.steps(update, SERVER_AUTHOR);
    this.commit.stage(update, null);
    this.commit.whenStored(done);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction): void => {
    this.answers.applied(update, origin === ORIGIN_SERVER_STEP);
    if (origin === ORIGIN_LOAD) return;
    if (origin === ORIGIN_SERVER_STEP) {
      this.stepParts?.push(update);
      this.history?.step(this.doc, tr);
      return;
    }
    const author = origin === ORIGIN_FANOUT ? null : origin === ORIGIN_SERVER ? SERVER_AUTHOR : (origin as RoomClient).user;
    this.history?.applied(update, this.doc, tr, author);
    if (origin === ORIGIN_FANOUT) {
      broadcast(this.clients, encodeSyncUpdate(update), null);
      return;
    }
    if (origin !== ORIGIN_SERVER) this.deps.metrics?.updatesAccepted.inc();
    this.commit.stage(update, origin === ORIGIN_SERVER ? null : (origin as RoomClient));
  };

  private readonly onAwarenessChange = ({ update, origin, removed }: AwarenessChange): void => {
    // Echoed to the sender too: y-websocket treats a silent connection as a dead one.
    broadcast(this.clients, encodeAwareness(update), null);
    if (origin !== ORIGIN_FANOUT) this.deps.fanout.publish(this.boardId, 'awareness', update);
    // Only the instance the person was connected to reacts, so two instances never both do.
    if (removed && origin !== ORIGIN_FANOUT) this.deps.onPresenceLeft?.(this);
  };

  /** A batch is stored: now it may leave, to this room's sockets and to other instances. */
  private onStored(batch: readonly Staged[]): void {
    const published = relayBatch(this.clients, batch);
    const metrics = this.deps.metrics;
    if (metrics) {
      const now = performance.now();
      for (const s of batch) metrics.fanoutLatency.observe((now - s.at) / 1000);
    }
    this.deps.fanout.publish(this.boardId, 'update', published);
    this.compaction.appended(batch.length);
  }

  /** Appends everything staged in one transaction, then relays it. */
  flush(): Promise<void> {
    return this.commit.flush();
  }

  /**
   * Storage refused a write: the doc now holds updates that are not stored. Drop the room
   * without relaying them; clients reconnect and resend what they have (sync step 2).
   */
  private fail(err: unknown): void {
    this.deps.metrics?.storageFaults.inc();
    this.deps.logger?.error({ event: 'storage.fault', op: 'append', error: errorField(err) }, 'append failed, unloading the board');
    if (!this.deps.logger) this.log(`append failed, unloading: ${String(err)}`);
    this.closeClients(CloseCode.internalError, storageFaultReason(err));
    this.unloading = true;
    this.state = 'closing';
    void this.destroy();
  }

  /** Folds the update log into a snapshot; at most one at a time per room. */
  compact(): Promise<void> {
    return this.compaction.compact();
  }

  /** One compaction in storage, keeping the stored size up to date; resolves with how many updates it folded. */
  private async foldLog(): Promise<number> {
    const before = this.commit.storedBytes;
    const started = performance.now();
    const result = await this.deps.storage.compact(this.boardId);
    const seconds = secondsSince(started);
    this.deps.metrics?.compaction.observe(seconds);
    this.deps.logger?.info(
      { event: 'board.compact', updatesFolded: result.updatesFolded, snapshotBytes: result.snapshotBytes, ms: Math.round(seconds * 1000) },
      'board compacted',
    );
    this.commit.storedBytes = result.snapshotBytes + (this.commit.storedBytes - before);
    return result.updatesFolded;
  }

  /** One group commit's append, timed (OBS-1). */
  private async append(updates: Uint8Array[]): Promise<unknown> {
    const metrics = this.deps.metrics;
    // The history of these updates goes into the same transaction (HIS-7).
    const history = this.history?.take(updates) ?? null;
    if (!metrics) return this.deps.storage.appendUpdates(this.boardId, updates, history);
    const started = performance.now();
    const result = await this.deps.storage.appendUpdates(this.boardId, updates, history);
    metrics.storageAppend.observe(secondsSince(started));
    metrics.groupCommitBatch.observe(updates.length);
    return result;
  }

  // ------------------------------------------------------------------ unloading

  /** Waits for the pipeline to go quiet and for everything staged to be stored. */
  async settle(): Promise<void> {
    while (this.inbox.busy || this.inbox.size > 0 || this.commit.stagedCount > 0) {
      if (this.inbox.busy) await this.inbox.busy;
      else if (this.state === 'loading') await this.loaded.catch(() => {});
      else await this.commit.flush();
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
      await this.history?.settled();
      const compacting = this.compaction.inProgress;
      if (compacting) await compacting;
      if (opts.compact && (await this.logPending())) await this.compact();
      await this.destroy();
    })();
    return this.closedPromise;
  }

  /**
   * Whether the stored log has updates after the snapshot. Other instances' appends are not
   * in the scheduler's count; folding them too makes the next load a lone snapshot, which a
   * fresh joiner is sent as is.
   */
  private async logPending(): Promise<boolean> {
    if (this.compaction.pendingCount > 0) return true;
    try {
      return (await this.deps.storage.pendingUpdateCount(this.boardId)) > 0;
    } catch {
      return false;
    }
  }

  private async destroy(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.compaction.stop();
    this.answers.dispose();
    const gone = new Error(`board ${this.boardId} is unloaded`);
    this.commit.abandon(gone);
    for (const task of this.inbox.stop()) if (task.kind === 'change' || task.kind === 'steps') task.done.reject(gone);
    this.doc.off('update', this.onDocUpdate);
    this.presence.destroy();
    this.doc.destroy();
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    if (unsubscribe) await unsubscribe().catch(() => {});
  }
}
