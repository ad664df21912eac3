/**
 * Fan-out between server instances through Redis pub/sub: one channel per board, one
 * publisher and one subscriber connection per instance.
 *
 * A message is binary: [version, kind, idLength, ...instanceId, ...payload]. The instance
 * id lets an instance drop its own messages (Redis echoes them to every subscriber).
 *
 * Pub/sub is at-most-once: whatever is published while a connection is down is gone. The
 * store is the source of truth (every update is appended before it is published), so
 * after a lost connection the affected instances are told to reload boards from storage:
 * - this instance's subscriber reconnected → `onResync(board)` for each board it follows,
 *   called only once the channels are subscribed again, so nothing falls in between;
 * - this instance's publisher reconnected → a `resync` message on each followed board, so
 *   other instances reload whatever this one may have failed to publish.
 */
import { Redis } from 'ioredis';
import { type BoardId, randomId } from '../../shared/ids.ts';
import type { Fanout, FanoutHandler, FanoutKind } from './types.ts';

export interface RedisFanoutOptions {
  /** Channel name prefix; a board's channel is `${prefix}${boardId}`. */
  channelPrefix?: string;
  /** Identifies this instance in its messages; random by default. */
  instanceId?: string;
  /**
   * Messages for `boardId` may have been missed: reload it from storage and apply the
   * result (Yjs updates are idempotent, so applying known state is harmless).
   */
  onResync?: (boardId: BoardId) => void;
  /** Connection and publish errors (ioredis retries by itself). */
  onError?: (err: Error) => void;
}

export interface RedisFanout extends Fanout {
  readonly instanceId: string;
}

const VERSION = 1;
const KIND_CODE = { update: 0, awareness: 1, resync: 2, evict: 3 } as const;
// An instance of an older version drops kinds it does not know (KIND_BY_CODE[code] undefined).
const KIND_BY_CODE: readonly (FanoutKind | 'resync')[] = ['update', 'awareness', 'resync', 'evict'];

function encode(instanceId: Buffer, kind: keyof typeof KIND_CODE, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(3 + instanceId.length + payload.byteLength);
  out[0] = VERSION;
  out[1] = KIND_CODE[kind];
  out[2] = instanceId.length;
  instanceId.copy(out, 3);
  out.set(payload, 3 + instanceId.length);
  return out;
}

export async function createRedisFanout(url: string, opts: RedisFanoutOptions = {}): Promise<RedisFanout> {
  const prefix = opts.channelPrefix ?? 'refinement-board:';
  const instanceId = opts.instanceId ?? randomId(16);
  const idBytes = Buffer.from(instanceId, 'utf8');
  if (idBytes.length === 0 || idBytes.length > 255) throw new Error('instanceId must be 1..255 bytes');
  const onError = opts.onError ?? (() => {});

  const common = {
    lazyConnect: true,
    // Give up a single command after a few retries instead of queueing it forever.
    maxRetriesPerRequest: 3,
    retryStrategy: (attempt: number) => Math.min(50 * 2 ** attempt, 2_000) + Math.floor(Math.random() * 100),
  };
  const pub = new Redis(url, { ...common, connectionName: `rb-pub-${instanceId}` });
  // Resubscribing is done by hand below, so resync is signalled only once it took effect.
  const sub = new Redis(url, { ...common, connectionName: `rb-sub-${instanceId}`, autoResubscribe: false });
  pub.on('error', onError);
  sub.on('error', onError);

  /** Handlers per board id. */
  const handlers = new Map<string, Set<FanoutHandler>>();
  /** Per-board chain of subscribe/unsubscribe commands, so they apply in call order. */
  const chains = new Map<string, Promise<void>>();
  let closed = false;

  function enqueue(boardId: string, op: () => Promise<void>): Promise<void> {
    const next = (chains.get(boardId) ?? Promise.resolve()).then(op, op);
    const tail = next.catch(() => {});
    chains.set(boardId, tail);
    void tail.then(() => {
      if (chains.get(boardId) === tail) chains.delete(boardId);
    });
    return next;
  }

  sub.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    const name = channel.toString('utf8');
    if (!name.startsWith(prefix) || message.length < 3 || message[0] !== VERSION) return;
    const boardId = name.slice(prefix.length);
    const set = handlers.get(boardId);
    if (!set) return;
    const idLength = message[2]!;
    if (message.length < 3 + idLength) return;
    if (message.subarray(3, 3 + idLength).equals(idBytes)) return; // our own echo
    const kind = KIND_BY_CODE[message[1]!];
    if (kind === undefined) return;
    if (kind === 'resync') {
      opts.onResync?.(boardId as BoardId);
      return;
    }
    // A copy: handlers queue the payload, and it must not share memory with parser buffers.
    const payload = Uint8Array.prototype.slice.call(message, 3 + idLength);
    for (const h of set) {
      try {
        h(kind, payload);
      } catch (err) {
        onError(err as Error);
      }
    }
  });

  // 'ready' fires on the first connect too; only later ones are reconnects.
  let subWasReady = false;
  sub.on('ready', () => {
    if (!subWasReady) {
      subWasReady = true;
      return;
    }
    const boards = [...handlers.keys()];
    if (boards.length === 0) return;
    sub.subscribe(...boards.map((b) => prefix + b)).then(
      () => {
        for (const b of boards) if (handlers.has(b)) opts.onResync?.(b as BoardId);
      },
      (err: Error) => onError(err),
    );
  });
  let pubWasReady = false;
  pub.on('ready', () => {
    if (!pubWasReady) {
      pubWasReady = true;
      return;
    }
    for (const b of handlers.keys()) {
      pub.publish(prefix + b, encode(idBytes, 'resync', new Uint8Array(0))).catch(onError);
    }
  });

  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    pub.disconnect();
    sub.disconnect();
    throw err;
  }

  return {
    instanceId,

    publish(boardId: BoardId, kind: FanoutKind, payload: Uint8Array): void {
      if (closed) return;
      pub.publish(prefix + boardId, encode(idBytes, kind, payload)).catch(onError);
    },

    async subscribe(boardId: BoardId, handler: FanoutHandler): Promise<() => Promise<void>> {
      if (closed) throw new Error('fanout is closed');
      let set = handlers.get(boardId);
      const first = !set;
      if (!set) {
        set = new Set();
        handlers.set(boardId, set);
      }
      set.add(handler);
      // Later subscribers still wait for the first one's SUBSCRIBE to be acknowledged.
      await enqueue(boardId, async () => {
        if (first) await sub.subscribe(prefix + boardId);
      });
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        const current = handlers.get(boardId);
        if (!current) return;
        current.delete(handler);
        if (current.size > 0) return;
        handlers.delete(boardId);
        if (closed) return;
        await enqueue(boardId, async () => {
          // A subscribe may have come in while this waited in the chain.
          if (!handlers.has(boardId)) await sub.unsubscribe(prefix + boardId);
        });
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      handlers.clear();
      await Promise.allSettled([...chains.values()]);
      const quit = async (r: Redis) => {
        try {
          await Promise.race([r.quit(), new Promise((_, reject) => setTimeout(reject, 1_000).unref())]);
        } catch {
          r.disconnect();
        }
      };
      await Promise.all([quit(pub), quit(sub)]);
    },
  };
}
