/**
 * Sending what a room has stored on to its sockets. Only ever called with updates that
 * are durably stored [SRV-2] (GroupCommit calls it after the append).
 */
import * as Y from 'yjs';
import { encodeSyncUpdate } from '../../shared/codec.ts';
import type { RoomClient } from './client.ts';

/** An accepted update and the socket it came from (not echoed back), or null for server changes. */
export interface Staged {
  update: Uint8Array;
  from: RoomClient | null;
  /** performance.now() when it was accepted (fan-out latency, OBS-1). */
  at: number;
}

/** Sends `frame` to every open socket but `except`. */
export function broadcast(clients: Iterable<RoomClient>, frame: Uint8Array, except: RoomClient | null): void {
  for (const client of clients) {
    if (client !== except && client.isOpen) client.send(frame);
  }
}

/**
 * Sends a stored batch on, and returns what to publish to other instances. Several updates
 * go out merged into one frame to everyone who wrote none of them (one send per socket
 * instead of one per update: under load a batch holds whatever arrived during the previous
 * commit); a writer gets the others' updates one by one, so nothing is echoed back to it.
 */
export function relayBatch(clients: Iterable<RoomClient>, batch: readonly Staged[]): Uint8Array {
  if (batch.length === 1) {
    const only = batch[0]!;
    broadcast(clients, encodeSyncUpdate(only.update), only.from);
    return only.update;
  }
  const merged = Y.mergeUpdates(batch.map((s) => s.update));
  const writers = new Set(batch.map((s) => s.from));
  const single = batch.map((s) => ({ from: s.from, frame: null as Uint8Array | null, update: s.update }));
  const mergedFrame = encodeSyncUpdate(merged);
  for (const client of clients) {
    if (!client.isOpen) continue;
    if (!writers.has(client)) {
      client.send(mergedFrame);
      continue;
    }
    for (const s of single) {
      if (s.from === client) continue;
      s.frame ??= encodeSyncUpdate(s.update);
      client.send(s.frame);
    }
  }
  return merged;
}
