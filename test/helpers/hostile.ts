/**
 * Building what a modified client could send: Yjs structs under a chosen clientID, merged
 * as one update, sent as one sync frame over a bare socket.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import type { ControlMessage } from '../../shared/protocol.ts';
import { controlMessages, rawSocket, updateFrame } from './server.ts';
import { withTimeout } from './wait.ts';

/** A scratch doc holding `state` (the server's), writing under `clientID`. */
export function scratchDoc(state: Uint8Array, clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  Y.applyUpdate(doc, state);
  return doc;
}

/** Runs `fn` on `doc` in one transaction and returns what it added, as an update. */
export function diffOf(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => fn(doc));
  return Y.encodeStateAsUpdate(doc, before);
}

/** A v1 update of hand-made structs of one client from `clock` on, with no delete set. */
export function encodeStructs(client: number, clock: number, items: readonly Y.Item[]): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, 1);
  encoding.writeVarUint(encoder.restEncoder, items.length);
  encoder.writeClient(client);
  encoding.writeVarUint(encoder.restEncoder, clock);
  for (const item of items) item.write(encoder, 0);
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

export interface RawVerdict {
  code: number;
  controls: ControlMessage[];
  rejection: Extract<ControlMessage, { type: 'update-rejected' }> | undefined;
}

/** Sends `update` as one sync frame from a bare socket and waits for the server to close it. */
export async function sendRaw(wsUrl: string, boardId: string, token: string, update: Uint8Array, timeout = 10_000): Promise<RawVerdict> {
  const sock = rawSocket(wsUrl, boardId, token);
  await sock.opened;
  sock.ws.send(updateFrame(update));
  const { code } = await withTimeout(sock.closed, timeout, 'server closes the hostile socket');
  const controls = controlMessages(sock.messages);
  const rejection = controls.find((c): c is Extract<ControlMessage, { type: 'update-rejected' }> => c.type === 'update-rejected');
  return { code, controls, rejection };
}
