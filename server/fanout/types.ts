/**
 * Fan-out between server instances that share one PostgreSQL store. With a single
 * instance this is a no-op; with several, Redis pub/sub carries each accepted update and
 * awareness change to the other instances' clients.
 */
import type { BoardId } from '../../shared/ids.ts';

/** `evict`: payload is a user id (UTF-8) removed from the board (MEM-4); close their sockets. */
export type FanoutKind = 'update' | 'awareness' | 'evict';

export type FanoutHandler = (kind: FanoutKind, payload: Uint8Array) => void;

export interface Fanout {
  /** Sends to every other instance subscribed to the board (never back to this one). */
  publish(boardId: BoardId, kind: FanoutKind, payload: Uint8Array): void;
  /** Starts receiving a board's messages; resolves once subscribed, with an unsubscribe. */
  subscribe(boardId: BoardId, handler: FanoutHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}
