/**
 * One board's live connection: the Y.Doc, the y-websocket provider and the connection state
 * the header shows. A plain class (not a hook) so it has one owner and one destroy().
 *
 * Reconnects are managed here rather than by the provider: `shouldReconnect` returns false
 * for every server-side close, the provider then emits `closed`, and we reconnect after a
 * jittered exponential delay (backoff.ts) unless the code is final (bad token, wrong board,
 * missing board), in which case we stop and say why.
 */
import type * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  type AwarenessUser,
  CloseCode,
  CONTROL_PARAM,
  type ControlMessage,
  FINAL_CLOSE_CODES,
  MessageType,
  WS_PATH,
} from '../../shared/protocol.ts';
import type { UserId } from '../../shared/ids.ts';
import type { Role } from '../../shared/roles.ts';
import { isInitialised } from '../../shared/schema/board.ts';
import { readControlMessage } from '../../shared/codec.ts';
import { colorForUser } from '../../shared/colors.ts';
import { backoffDelay } from './backoff.ts';
import { attachOfflineCache } from './offlineCache.ts';
import { refusalAction } from './refusal.ts';
import { ServerAck, type StructId } from './serverAck.ts';

export type ConnectionState =
  /** First connection attempt, nothing synced yet. */
  | { kind: 'connecting' }
  /** Socket open and the document is in sync with the server. */
  | { kind: 'live' }
  /** Lost the socket; `retryAt` is when the next attempt starts. */
  | { kind: 'reconnecting'; attempt: number; retryAt: number | null; reason?: string }
  /** The browser says it has no network; we retry when it comes back. */
  | { kind: 'offline' }
  /** The server refused us for good (FINAL_CLOSE_CODES); reconnecting cannot help. */
  | { kind: 'closed'; code: number; reason: string };

export interface BoardIdentity {
  boardId: string;
  userId: string;
  name: string;
  role: Role;
  token: string;
}

export interface ConnectionSnapshot {
  state: ConnectionState;
  /** True once the first sync with the server completed (the board's content is here). */
  everSynced: boolean;
  /** Who the server says we are (its `welcome` message), once it arrived. */
  welcome: Extract<ControlMessage, { type: 'welcome' }> | null;
  /** The latest update the server refused, for a short notice. */
  rejected: Extract<ControlMessage, { type: 'update-rejected' }> | null;
  /**
   * The server could not store our edits (closed with 1011: storage full, read-only or
   * unreachable) and has not acknowledged them since: "Not saved" / "Saving…".
   */
  unsaved: boolean;
}

/** ws(s)://host/ws, from the page's own origin (the server serves both). */
export function socketBaseUrl(loc: { protocol: string; host: string } = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${WS_PATH}`;
}

/** Shown while reconnecting after 4431: the person can fix it themselves. */
const TOO_MANY_SOCKETS = 'this board is open in too many of your tabs or devices; close one and this tab reconnects';

export class BoardConnection {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  /**
   * Transaction origin of this user's own edits. Pass it to every shared/schema operation;
   * a Y.UndoManager with `trackedOrigins: new Set([connection.origin])` then undoes only
   * this person's changes (issue 3).
   */
  readonly origin: object = { local: true };
  /** What the server has stored of our edits ("not sent yet", serverAck.ts). */
  readonly serverAck: ServerAck;
  private snapshot: ConnectionSnapshot = {
    state: { kind: 'connecting' },
    everSynced: false,
    welcome: null,
    rejected: null,
    unsaved: false,
  };
  /** Our last edit when the server failed to store it; cleared once ServerAck has it. */
  private unsavedEdit: StructId | null = null;
  private readonly listeners = new Set<() => void>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private lastError: { code: number; reason: string } | null = null;
  private destroyed = false;
  private readonly cleanups: (() => void)[] = [];

  constructor(readonly identity: BoardIdentity) {
    this.provider = new WebsocketProvider(socketBaseUrl(), identity.boardId, this.doc, {
      connect: false,
      // CONTROL_PARAM: this client reads control messages (welcome, refusals, errors).
      params: { token: identity.token, [CONTROL_PARAM.name]: CONTROL_PARAM.value },
      // Tabs must not sync with each other behind the server's back: the server is the
      // one that checks every update against the write policy.
      disableBc: true,
      shouldReconnect: () => false,
    });
    this.provider.messageHandlers[MessageType.control] = (_enc, dec) => this.onControl(dec);
    this.serverAck = new ServerAck(this.doc, this.provider);
    this.cleanups.push(
      this.serverAck.subscribe(() => {
        if (this.unsavedEdit && this.serverAck.has(this.unsavedEdit)) {
          this.unsavedEdit = null;
          this.update({ unsaved: false });
        }
      }),
    );
    this.provider.awareness.setLocalStateField('user', {
      id: identity.userId as UserId,
      name: identity.name,
      role: identity.role,
      color: colorForUser(identity.userId),
    } satisfies AwarenessUser);

    const onStatus = ({ status }: { status: string }) => {
      if (status === 'connected') this.lastError = null;
    };
    const onSync = (synced: boolean) => {
      if (!synced) return;
      this.attempt = 0;
      this.update({ state: { kind: 'live' }, everSynced: true });
    };
    const onClosed = (ev: { code: number; reason: string }) => this.onServerClose(ev.code, ev.reason);
    const onConnectionClose = (ev: CloseEvent | null) => {
      // Local closes (our own disconnect, the provider's silence watchdog) never reach
      // `closed`; the provider reconnects those itself. Show them as reconnecting.
      if (ev === null && !this.destroyed && this.provider.shouldConnect) {
        this.update({ state: { kind: 'reconnecting', attempt: this.attempt, retryAt: null } });
      }
    };
    this.provider.on('status', onStatus);
    this.provider.on('sync', onSync);
    this.provider.on('closed', onClosed);
    this.provider.on('connection-close', onConnectionClose);

    const onOnline = () => this.reconnectSoon();
    const onOffline = () => {
      if (this.snapshot.state.kind !== 'closed') this.update({ state: { kind: 'offline' } });
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    this.cleanups.push(() => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
    });

    // Offline cache (issue 3): attached before connecting; once a cached copy of the board
    // is loaded, its content is here even if the server is not reachable.
    const cache = attachOfflineCache(this.doc, identity, () => {
      if (!this.destroyed && !this.snapshot.everSynced && isInitialised(this.doc)) this.update({ everSynced: true });
    });
    this.cleanups.push(() => cache.destroy());
    if (navigator.onLine === false) this.update({ state: { kind: 'offline' } });
    else this.provider.connect();
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): ConnectionSnapshot => this.snapshot;

  /** Try now (e.g. the user pressed "Retry"), resetting any pending timer. */
  reconnectNow = (): void => {
    if (this.destroyed || this.snapshot.state.kind === 'closed') return;
    this.clearRetry();
    this.provider.connect();
    if (this.snapshot.state.kind !== 'live') this.update({ state: { kind: 'reconnecting', attempt: this.attempt, retryAt: null } });
  };

  destroy(): void {
    this.destroyed = true;
    this.clearRetry();
    for (const c of this.cleanups) c();
    this.serverAck.destroy();
    this.provider.awareness.setLocalState(null);
    this.provider.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }

  private onControl(decoder: decoding.Decoder): void {
    let msg: ControlMessage;
    try {
      msg = readControlMessage(decoder);
    } catch {
      return; // A control message we cannot read is not worth dropping the connection for.
    }
    if (msg.type === 'welcome') this.update({ welcome: msg });
    // Missing dependencies (SRV-12): refusalAction drops the structs held back as pending and
    // we reconnect with every edit of ours; any other refusal makes the owner resync [POL-R].
    else if (msg.type === 'update-rejected' && refusalAction(this.doc, msg) === 'resync') this.update({ rejected: msg });
    else if (msg.type === 'error') this.lastError = { code: msg.code, reason: msg.reason };
  }

  private onServerClose(code: number, reason: string): void {
    if (this.destroyed) return;
    if (FINAL_CLOSE_CODES.has(code)) {
      this.clearRetry();
      this.update({ state: { kind: 'closed', code, reason: reason || this.lastError?.reason || '' } });
      return;
    }
    if (navigator.onLine === false) {
      this.update({ state: { kind: 'offline' } });
      return;
    }
    if (code === CloseCode.internalError) this.markUnsaved();
    // 4431 [SRV-13]: not final (closing another tab frees a slot), but say what to do.
    if (code === CloseCode.tooManySockets) this.scheduleRetry(TOO_MANY_SOCKETS);
    else this.scheduleRetry(reason || this.lastError?.reason);
  }

  /**
   * 1011: the server could not store what we sent (storage full, read-only, unreachable).
   * Our edits stay in the doc and are resent on reconnect; until the server acknowledges
   * the latest of them (ServerAck), the header says they are not saved.
   */
  private markUnsaved(): void {
    const next = Y.getState(this.doc.store, this.doc.clientID);
    if (next === 0) return;
    const edit = { client: this.doc.clientID, clock: next - 1 };
    if (this.serverAck.has(edit)) return;
    this.unsavedEdit = edit;
    this.serverAck.track(edit);
    if (!this.snapshot.unsaved) this.update({ unsaved: true });
  }

  private scheduleRetry(reason?: string): void {
    this.clearRetry();
    const delay = backoffDelay(this.attempt);
    this.attempt++;
    this.update({ state: { kind: 'reconnecting', attempt: this.attempt, retryAt: Date.now() + delay, reason } });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.destroyed) this.provider.connect();
    }, delay);
  }

  /** After the network returns: a short random delay so a whole office doesn't reconnect at once. */
  private reconnectSoon(): void {
    if (this.destroyed || this.snapshot.state.kind === 'closed') return;
    if (this.provider.wsconnected) {
      // The socket survived the blip: nothing to reconnect, just say we're live again.
      this.update({ state: this.provider.synced ? { kind: 'live' } : { kind: 'reconnecting', attempt: this.attempt, retryAt: null } });
      return;
    }
    this.clearRetry();
    this.update({ state: { kind: 'reconnecting', attempt: this.attempt, retryAt: null } });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.destroyed) this.provider.connect();
    }, Math.random() * 1000);
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private update(patch: Partial<ConnectionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }
}
