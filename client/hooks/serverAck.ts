/**
 * What the server has stored of this client's edits, for "not sent yet" (issue 14).
 *
 * The y-websocket protocol has no acknowledgement, so we ask: a sync step 1 whose state
 * vector claims, for each client id we wait on, only the clocks before the oldest struct
 * we wait for. The server answers step 1 only after everything staged is durable [SRV-2],
 * from its doc, so the answer's structs of that client end at the server's clock for it
 * (Y.parseUpdateMeta `to`). A struct is acknowledged once that clock is past it. Every
 * state vector or update from the server raises what we know; nothing ever lowers it, and
 * nothing but the server's own answers counts.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** A struct's id (Y.Item.id): the client that made it and its clock. */
export interface StructId {
  client: number;
  clock: number;
}

const MESSAGE_SYNC = 0;
const STEP1 = 0;
const STEP2 = 1;
const UPDATE = 2;
/** Re-ask this often while something waits (an answer can race the update it follows). */
const REPROBE_MS = 1500;

export class ServerAck {
  private readonly serverClock = new Map<number, number>();
  private readonly waiting = new Map<string, StructId>();
  private readonly listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private version = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly provider: WebsocketProvider,
  ) {
    const handle = provider.messageHandlers[MESSAGE_SYNC]!;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, prov, emitSynced, messageType) => {
      this.observe(decoding.clone(decoder));
      handle(encoder, decoder, prov, emitSynced, messageType);
    };
    provider.on('sync', this.onSync);
  }

  /** Whether the server has stored the struct `id`. */
  has(id: StructId): boolean {
    return (this.serverClock.get(id.client) ?? 0) > id.clock;
  }

  /** Wait for `id` (no-op when already acknowledged); the server is asked soon. */
  track(id: StructId): void {
    if (this.has(id)) return;
    const key = `${id.client}:${id.clock}`;
    if (this.waiting.has(key)) return;
    this.waiting.set(key, id);
    this.schedule(50);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever what we know grows (for useSyncExternalStore). */
  getVersion = (): number => this.version;

  destroy(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.provider.off('sync', this.onSync);
    this.listeners.clear();
  }

  private readonly onSync = (synced: boolean): void => {
    if (synced) this.schedule(0);
  };

  private schedule(ms: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probe();
    }, ms);
  }

  private probe(): void {
    if (this.waiting.size === 0) return;
    const ws = this.provider.ws;
    if (this.provider.wsconnected && this.provider.synced && ws && ws.readyState === ws.OPEN) {
      const sv = Y.decodeStateVector(Y.encodeStateVector(this.doc));
      for (const { client, clock } of this.waiting.values()) sv.set(client, Math.min(sv.get(client) ?? 0, clock));
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      encoding.writeVarUint(encoder, STEP1);
      encoding.writeVarUint8Array(encoder, Y.encodeStateVector(sv));
      ws.send(encoding.toUint8Array(encoder));
    }
    this.schedule(REPROBE_MS);
  }

  private observe(decoder: decoding.Decoder): void {
    let raised = false;
    const raise = (client: number, clock: number) => {
      if (clock > (this.serverClock.get(client) ?? 0)) {
        this.serverClock.set(client, clock);
        raised = true;
      }
    };
    try {
      const type = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (type === STEP1) for (const [client, clock] of Y.decodeStateVector(payload)) raise(client, clock);
      else if (type === STEP2 || type === UPDATE) for (const [client, clock] of Y.parseUpdateMeta(payload).to) raise(client, clock);
    } catch {
      return; // Not ours to judge: the provider's own handler deals with bad frames.
    }
    if (!raised) return;
    for (const [key, id] of this.waiting) if (this.has(id)) this.waiting.delete(key);
    this.version++;
    for (const l of this.listeners) l();
  }
}

/** The struct id of a Y type that is inside a document (its Y.Item), if any. */
export function structIdOf(type: { _item: Y.Item | null }): StructId | null {
  const item = type._item;
  return item ? { client: item.id.client, clock: item.id.clock } : null;
}
