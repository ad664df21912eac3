/**
 * Encoders for the frames the server sends (y-websocket protocol plus JSON control),
 * using the constants of shared/protocol.ts so no wire constant is declared twice.
 */
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { ControlMessage } from '../../shared/protocol.ts';
import { MessageType, SyncStep } from '../../shared/protocol.ts';

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

export const controlFrame = (message: ControlMessage): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.control);
    encoding.writeVarString(e, JSON.stringify(message));
  });

export const syncStep1Frame = (doc: Y.Doc): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.step1);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(doc));
  });

export const syncStep2Frame = (doc: Y.Doc, stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.step2);
    encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(doc, stateVector));
  });

export const syncUpdateFrame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, SyncStep.update);
    encoding.writeVarUint8Array(e, update);
  });

export const awarenessFrame = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, update);
  });

export const awarenessStatesFrame = (awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array =>
  awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
