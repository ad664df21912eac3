/**
 * One accepted WebSocket: rate limit, keepalive, decoding each frame (shared/codec.ts) so
 * its room gets messages, and a buffer for those that arrive while its token is checked
 * and its board loads. Control messages go only to a socket that asked for them
 * (CONTROL_PARAM). Implements RoomClient.
 */
import type WebSocket from 'ws';
import { decodeFrame, encodeControl, type IncomingMessage, MalformedFrameError } from '../../shared/codec.ts';
import type { ControlMessage } from '../../shared/protocol.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { Limits } from '../config.ts';
import type { AuthUser } from '../extensions.ts';
import type { RoomClient } from '../rooms/client.ts';
import type { Room } from '../rooms/room.ts';

/** Token bucket: `rate` per second sustained, `burst` at once. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  take(): boolean {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.rate);
    this.last = t;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const MAX_BUFFERED_BEFORE_JOIN = 1000;

/** A frame received before the socket joined its room: decoded, or why it did not decode. */
type Buffered = { message: IncomingMessage } | { malformed: string };

export class Connection implements RoomClient {
  private _user: AuthUser | null = null;
  private room: Room | null = null;
  private buffered: Buffered[] = [];
  private closing = false;
  closedByServer = false;
  private readonly bucket: TokenBucket;
  private alive = true;
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ws: WebSocket,
    limits: Limits,
    pingIntervalMs: number,
    /** The client asked for control messages (CONTROL_PARAM); without it, it gets none. */
    private readonly wantsControl: boolean,
  ) {
    this.bucket = new TokenBucket(limits.messagesPerSecond, limits.messageBurst);
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => this.onClosed());
    // ws reports protocol errors (e.g. a frame over maxPayload) here and closes by itself.
    ws.on('error', () => {});
    ws.on('pong', () => {
      this.alive = true;
    });
    this.pingTimer = setInterval(() => {
      if (!this.alive) {
        ws.terminate();
        return;
      }
      this.alive = false;
      ws.ping();
    }, pingIntervalMs);
    this.pingTimer.unref();
  }

  get user(): AuthUser {
    if (!this._user) throw new Error('connection is not authenticated');
    return this._user;
  }

  /** The user once authenticated, else null. */
  get authenticatedUser(): AuthUser | null {
    return this._user;
  }

  get isOpen(): boolean {
    return !this.closing && this.ws.readyState === this.ws.OPEN;
  }

  authenticate(user: AuthUser): void {
    this._user = user;
  }

  /** Joins the room; frames buffered so far are handed over in order. */
  attach(room: Room): void {
    if (!this.isOpen) {
      room.removeClient(this);
      return;
    }
    this.room = room;
    const buffered = this.buffered;
    this.buffered = [];
    for (const item of buffered) this.deliver(room, item);
  }

  private deliver(room: Room, item: Buffered): void {
    if ('message' in item) room.receive(this, item.message);
    else room.receiveMalformed(this, item.malformed);
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(frame, (err) => {
      if (err) this.ws.terminate();
    });
  }

  control(message: ControlMessage): void {
    if (this.wantsControl) this.send(encodeControl(message));
  }

  close(code: number, reason: string, control?: ControlMessage): void {
    if (this.closing) return;
    if (control) this.control(control);
    this.closing = true;
    // A shutdown is not a verdict on what the socket sent: its queued updates still count.
    this.closedByServer = code !== CloseCode.serviceRestart;
    // Close reasons are limited to 123 bytes by the protocol.
    this.ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
    this.detach();
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.closing) return;
    if (!this.bucket.take()) {
      const reason = 'too many messages';
      this.close(CloseCode.rateLimited, reason, { type: 'error', code: CloseCode.rateLimited, reason });
      return;
    }
    if (!isBinary) {
      const reason = 'text frames are not part of the protocol';
      this.close(CloseCode.malformedFrame, reason, { type: 'error', code: CloseCode.malformedFrame, reason });
      return;
    }
    const item = decoded(toBytes(data));
    if (this.room) {
      this.deliver(this.room, item);
    } else if (this.buffered.length < MAX_BUFFERED_BEFORE_JOIN) {
      this.buffered.push(item);
    } else {
      const reason = 'too many messages before the board loaded';
      this.close(CloseCode.rateLimited, reason, { type: 'error', code: CloseCode.rateLimited, reason });
    }
  }

  private onClosed(): void {
    this.closing = true;
    this.detach();
  }

  private detach(): void {
    if (this.pingTimer) {
      clearInterval(this.pingTimer);
      this.pingTimer = null;
    }
    this.buffered = [];
    const room = this.room;
    this.room = null;
    room?.removeClient(this);
  }
}

/**
 * A malformed frame is not refused here but handed on in order: the room closes the socket
 * when it reaches it, so what the socket sent before it is still judged.
 */
function decoded(bytes: Uint8Array): Buffered {
  try {
    return { message: decodeFrame(bytes) };
  } catch (err) {
    return { malformed: err instanceof MalformedFrameError ? err.message : 'malformed frame' };
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
