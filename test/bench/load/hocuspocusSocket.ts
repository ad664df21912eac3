/**
 * The y-websocket protocol made to fit Hocuspocus, so the same WebsocketProvider clients
 * load every server: a WebSocket look-alike for the provider that
 *  - on open, first sends Hocuspocus' Auth message (any token; the bench server has no
 *    auth hook), which Hocuspocus waits for before it handles a document's messages;
 *  - prefixes every outgoing frame with the document name (varString), as Hocuspocus
 *    multiplexes documents on one socket;
 *  - strips that prefix from incoming frames, maps SyncReply (4) to Sync (0), and drops
 *    what y-websocket has no use for (Auth replies, SyncStatus acks, Stateless).
 * The message bodies (sync, awareness, query awareness) are the same in both protocols.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocket } from 'ws';

const SYNC = 0;
const AWARENESS = 1;
const AUTH = 2;
const QUERY_AWARENESS = 3;
const SYNC_REPLY = 4;

type Handler = ((event: unknown) => void) | null;

/** A WebSocket class for one document; `onFrame` sees each frame as y-websocket would. */
export function hocuspocusSocket(documentName: string, onFrame?: (frame: Uint8Array) => void) {
  const prefix = (() => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentName);
    return encoding.toUint8Array(e);
  })();
  const withPrefix = (body: Uint8Array) => {
    const out = new Uint8Array(prefix.length + body.length);
    out.set(prefix, 0);
    out.set(body, prefix.length);
    return out;
  };

  return class HocuspocusSocket {
    readonly OPEN = WebSocket.OPEN;
    readonly CONNECTING = WebSocket.CONNECTING;
    readonly CLOSING = WebSocket.CLOSING;
    readonly CLOSED = WebSocket.CLOSED;
    binaryType = 'arraybuffer';
    onopen: Handler = null;
    onmessage: Handler = null;
    onclose: Handler = null;
    onerror: Handler = null;
    private ws: WebSocket;

    constructor(url: string, protocols?: string | string[]) {
      this.ws = new WebSocket(url, protocols);
      this.ws.binaryType = 'nodebuffer';
      this.ws.on('open', () => {
        const auth = encoding.createEncoder();
        encoding.writeVarString(auth, documentName);
        encoding.writeVarUint(auth, AUTH);
        encoding.writeVarUint(auth, 0); // AuthMessageType.Token
        encoding.writeVarString(auth, 'bench');
        this.ws.send(encoding.toUint8Array(auth));
        this.onopen?.({});
      });
      this.ws.on('message', (data: Buffer) => {
        const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
        const decoder = decoding.createDecoder(bytes);
        decoding.readVarString(decoder);
        const start = decoder.pos;
        const type = decoding.readVarUint(decoder);
        if (type !== SYNC && type !== SYNC_REPLY && type !== AWARENESS && type !== QUERY_AWARENESS) return;
        // A fresh copy: the provider keeps nothing of it, but the buffer is ws's.
        const body = bytes.slice(start);
        if (type === SYNC_REPLY) body[0] = SYNC; // a one-byte varUint either way
        onFrame?.(body);
        this.onmessage?.({ data: body.buffer });
      });
      this.ws.on('close', (code, reason) => this.onclose?.({ code, reason: reason.toString() }));
      this.ws.on('error', (err) => this.onerror?.(err));
    }

    get readyState(): number {
      return this.ws.readyState;
    }

    send(data: ArrayBuffer | Uint8Array): void {
      this.ws.send(withPrefix(data instanceof Uint8Array ? data : new Uint8Array(data)));
    }

    close(code?: number, reason?: string): void {
      this.ws.close(code, reason);
    }
  };
}
