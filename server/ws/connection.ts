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
import { TokenBucket } from '../limits/tokenBucket.ts';

const MAX_BUFFERED_BEFORE_JOIN = 1000;

/** Why a slow consumer was closed [LIM-2]. */
export type SlowReason = 'ceiling' | 'stalled';

export interface ConnectionObserver {
  /** The socket is being closed with 4008 for not reading what it is sent. */
  slow(reason: SlowReason, bufferedBytes: number): void;
}

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
  /** The close code this server sent, if it closed the socket (logs, OBS-2). */
  sentCloseCode: number | null = null;
  readonly openedAt = Date.now();
  /** Slow-consumer watch [LIM-2]: payload bytes handed to ws since the last check, and its timer. */
  private sentSinceCheck = 0;
  private bufferedAtCheck = 0;
  private lastDrainAt = 0;
  private stallTimer: NodeJS.Timeout | null = null;
  /** Found slow: nothing more is sent, and the close follows outside the send that found it. */
  private slowClosing = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly limits: Limits,
    pingIntervalMs: number,
    /** The client asked for control messages (CONTROL_PARAM); without it, it gets none. */
    private readonly wantsControl: boolean,
    private readonly observer?: ConnectionObserver,
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
    return !this.closing && !this.slowClosing && this.ws.readyState === this.ws.OPEN;
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

  /** Bytes queued in this socket and not yet sent. */
  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  send(frame: Uint8Array): void {
    if (this.slowClosing || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(frame, (err) => {
      if (err) this.ws.terminate();
    });
    this.sentSinceCheck += frame.byteLength;
    this.watchBuffer();
  }

  /**
   * A socket that stops reading must not cost the server unbounded memory [LIM-2]: past the
   * ceiling it is closed at once; above the stall size it is checked every so often, and
   * closed when nothing of its queue drained for slowSocketStallMs.
   */
  private watchBuffer(): void {
    const buffered = this.ws.bufferedAmount;
    if (buffered > this.limits.maxSocketBufferBytes) {
      this.closeSlow('ceiling', buffered);
      return;
    }
    if (buffered <= this.limits.slowSocketStallBytes || this.stallTimer || this.closing) return;
    this.bufferedAtCheck = buffered;
    this.sentSinceCheck = 0;
    this.lastDrainAt = Date.now();
    const every = Math.max(10, Math.min(1000, Math.floor(this.limits.slowSocketStallMs / 5)));
    this.stallTimer = setInterval(() => this.checkStall(), every);
    this.stallTimer.unref();
  }

  private checkStall(): void {
    const buffered = this.ws.bufferedAmount;
    // What was queued before plus what was added since, less what is queued now, left.
    const drained = this.bufferedAtCheck + this.sentSinceCheck - buffered;
    this.bufferedAtCheck = buffered;
    this.sentSinceCheck = 0;
    const now = Date.now();
    if (drained > 0) this.lastDrainAt = now;
    if (buffered <= this.limits.slowSocketStallBytes || this.closing) {
      this.stopStallWatch();
      return;
    }
    if (now - this.lastDrainAt >= this.limits.slowSocketStallMs) this.closeSlow('stalled', buffered);
  }

  private stopStallWatch(): void {
    if (this.stallTimer) clearInterval(this.stallTimer);
    this.stallTimer = null;
  }

  private closeSlow(reason: SlowReason, buffered: number): void {
    if (this.closing || this.slowClosing) return;
    this.slowClosing = true;
    this.stopStallWatch();
    this.observer?.slow(reason, buffered);
    // The board client shows the reason while it reconnects.
    const text = reason === 'ceiling' ? 'your connection fell too far behind' : 'your connection stopped receiving';
    // Not from inside the relay loop whose send found it: leaving changes the room's sockets.
    setImmediate(() => {
      this.close(CloseCode.slowConsumer, text);
      // The close frame waits behind what is queued; a peer that still does not read is cut
      // after one more stall period instead of holding the buffer for ws's 30 s close timeout.
      const cut = setTimeout(() => this.ws.terminate(), this.limits.slowSocketStallMs);
      cut.unref();
      this.ws.once('close', () => clearTimeout(cut));
    });
  }

  control(message: ControlMessage): void {
    if (this.wantsControl) this.send(encodeControl(message));
  }

  close(code: number, reason: string, control?: ControlMessage): void {
    if (this.closing) return;
    if (control) this.control(control);
    this.closing = true;
    this.sentCloseCode = code;
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
    this.stopStallWatch();
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
