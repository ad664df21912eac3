/**
 * The one codec of the wire (docs/protocol.md): every frame the server reads is decoded
 * here, every frame it writes is encoded here, and the tests build and read theirs with
 * the same functions. Built on y-protocols' own encoders (the sync sub-message numbers are
 * y-protocols/sync's), with the frame types of shared/protocol.ts in front.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { ControlMessage } from './protocol.ts';
import { MessageType } from './protocol.ts';

/** A frame a client sends, decoded. */
export type IncomingMessage =
  | {
      /** Sync step 1: what the sender has; the answer is a step 2 with everything else. */
      type: 'sync-step-1';
      /** A v1 state vector (checked to decode). */
      stateVector: Uint8Array;
    }
  | {
      /** Sync step 2: the answer to the other side's step 1. */
      type: 'sync-step-2';
      /** A v1 update, not yet checked (the room decodes it once, fully). */
      update: Uint8Array;
    }
  | {
      /** A live document update. */
      type: 'sync-update';
      /** A v1 update, not yet checked. */
      update: Uint8Array;
    }
  | {
      /** Presence. */
      type: 'awareness';
      /** A y-protocols awareness update, not yet checked. */
      update: Uint8Array;
    }
  | {
      /** Asks for every awareness state. */
      type: 'query-awareness';
    };

/** A frame the server sends, decoded (tests and tools that read what a socket got). */
export type OutgoingMessage =
  | Exclude<IncomingMessage, { type: 'query-awareness' }>
  | {
      type: 'control';
      message: ControlMessage;
    };

/** A frame that is not a message of this protocol; `message` says why, for the close reason. */
export class MalformedFrameError extends Error {}

/** Decodes a frame a client sent; throws MalformedFrameError for anything else. */
export function decodeFrame(bytes: Uint8Array): IncomingMessage {
  return readFrame(bytes, (type) => {
    if (type === MessageType.queryAwareness) return { type: 'query-awareness' };
    return null;
  });
}

/**
 * The body of a control message, for a WebsocketProvider `messageHandlers[MessageType.control]`
 * (which is handed the decoder past the message type).
 */
export function readControlMessage(decoder: decoding.Decoder): ControlMessage {
  return JSON.parse(decoding.readVarString(decoder)) as ControlMessage;
}

/** Decodes a frame the server sent; throws MalformedFrameError for anything else. */
export function decodeServerFrame(bytes: Uint8Array): OutgoingMessage {
  return readFrame<OutgoingMessage>(bytes, (type, decoder) => {
    if (type !== MessageType.control) return null;
    return { type: 'control', message: readControlMessage(decoder) };
  });
}

/** The sync and awareness messages both directions share; `other` reads the rest. */
function readFrame<M>(
  bytes: Uint8Array,
  other: (type: number, decoder: decoding.Decoder) => M | null,
): M | Exclude<IncomingMessage, { type: 'query-awareness' }> {
  const decoder = decoding.createDecoder(bytes);
  const type = read(() => decoding.readVarUint(decoder), 'unreadable message type');
  switch (type) {
    case MessageType.sync: {
      const step = read(() => decoding.readVarUint(decoder), 'truncated sync message');
      if (step === syncProtocol.messageYjsSyncStep1) {
        const stateVector = read(() => decoding.readVarUint8Array(decoder), 'truncated state vector');
        read(() => Y.decodeStateVector(stateVector), 'bad state vector');
        return { type: 'sync-step-1', stateVector };
      }
      if (step === syncProtocol.messageYjsSyncStep2 || step === syncProtocol.messageYjsUpdate) {
        const update = read(() => decoding.readVarUint8Array(decoder), 'truncated update');
        return { type: step === syncProtocol.messageYjsSyncStep2 ? 'sync-step-2' : 'sync-update', update };
      }
      throw new MalformedFrameError(`unknown sync step ${step}`);
    }
    case MessageType.awareness:
      return { type: 'awareness', update: read(() => decoding.readVarUint8Array(decoder), 'truncated awareness message') };
    default: {
      const message = read(() => other(type, decoder), `malformed message of type ${type}`);
      if (message === null) throw new MalformedFrameError(`unknown message type ${type}`);
      return message;
    }
  }
}

function read<T>(fn: () => T, reason: string): T {
  try {
    return fn();
  } catch {
    throw new MalformedFrameError(reason);
  }
}

function frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Sync step 1 carrying `doc`'s state vector. */
export const encodeSyncStep1 = (doc: Y.Doc): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    syncProtocol.writeSyncStep1(e, doc);
  });

/** Sync step 2: what `doc` has beyond `stateVector`. */
export const encodeSyncStep2 = (doc: Y.Doc, stateVector: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    syncProtocol.writeSyncStep2(e, doc, stateVector);
  });

/** Sync step 2 carrying ready update bytes as they are (e.g. a board's stored state). */
export const encodeSyncStep2Update = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, update);
  });

/** A live document update. */
export const encodeSyncUpdate = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.sync);
    syncProtocol.writeUpdate(e, update);
  });

/** An awareness message carrying an encoded awareness update. */
export const encodeAwareness = (update: Uint8Array): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.awareness);
    encoding.writeVarUint8Array(e, update);
  });

/** An awareness message with the current states of `clients`. */
export const encodeAwarenessStates = (awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array =>
  encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));

/** Asks the other side for every awareness state. */
export const encodeQueryAwareness = (): Uint8Array => frame((e) => encoding.writeVarUint(e, MessageType.queryAwareness));

/** A JSON control message (sent only to sockets that opted in: CONTROL_PARAM). */
export const encodeControl = (message: ControlMessage): Uint8Array =>
  frame((e) => {
    encoding.writeVarUint(e, MessageType.control);
    encoding.writeVarString(e, JSON.stringify(message));
  });
