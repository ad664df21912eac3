/**
 * The loaded boards of one server instance. Loads a board on first use, unloads it
 * (flushed and compacted) `idleUnloadMs` after its last socket or lease is gone [SRV-5],
 * and never hands out a room that is being unloaded: a socket arriving meanwhile waits
 * for the unload to finish and gets a freshly loaded room.
 */
import type { BoardId } from '../../shared/ids.ts';
import type { ServerConfig } from '../config.ts';
import type { Fanout } from '../fanout/types.ts';
import type { BoardHandle, UpdateGate } from '../extensions.ts';
import type { HistoryStore, Storage } from '../storage/types.ts';
import { errorField, type Logger } from '../log/logger.ts';
import type { ServerMetrics } from '../metrics/metrics.ts';
import type { RoomClient } from './client.ts';
import type { Clock } from './clock.ts';
import { BoardNotFoundError, Room } from './room.ts';
import { UpdateMerger } from './updateMerger.ts';

export interface RoomManagerDeps {
  config: ServerConfig;
  storage: Storage;
  fanout: Fanout;
  gate: UpdateGate | null;
  log: (message: string) => void;
  /** Someone's presence on a board ended (see RoomDeps.onPresenceLeft). */
  onPresenceLeft?: (room: Room) => void;
  /** The rooms' clock (tests); the system clock by default. */
  clock?: Clock;
  /** Where rooms record the boards' history (HIS-1). */
  history?: HistoryStore;
  /** Metrics (OBS-1) and structured log (OBS-2) of the server. */
  metrics?: ServerMetrics;
  logger?: Logger;
}

export type JoinResult = { ok: true; room: Room } | { ok: false; reason: 'not-found' | 'full' | 'closing' };

export class RoomManager {
  private readonly rooms = new Map<BoardId, Room>();
  private readonly unloadTimers = new Map<Room, NodeJS.Timeout>();
  private shuttingDown = false;

  /** One merge thread for every room's stepped changes (imports), started on first use. */
  private readonly merger = new UpdateMerger();

  constructor(private readonly deps: RoomManagerDeps) {}

  /** Boards currently in memory (tests and metrics). */
  loadedBoardIds(): BoardId[] {
    return [...this.rooms.keys()];
  }

  get(boardId: BoardId): Room | undefined {
    const room = this.rooms.get(boardId);
    return room && !room.unloading ? room : undefined;
  }

  /**
   * A person was removed from the board (MEM-4): their sockets close here and, through
   * fan-out, on every other instance that has the board loaded.
   */
  evictUser(boardId: BoardId, userId: string): void {
    this.get(boardId)?.closeUser(userId);
    this.deps.fanout.publish(boardId, 'evict', Buffer.from(userId, 'utf8'));
  }

  /** Fan-out may have missed messages for this board: reload it from storage if loaded. */
  resync(boardId: BoardId): void {
    this.get(boardId)?.resync();
  }

  /** A live (not unloading) room for the board, created if needed. */
  private async room(boardId: BoardId): Promise<Room> {
    for (;;) {
      const existing = this.rooms.get(boardId);
      if (!existing) break;
      if (!existing.unloading) {
        this.cancelUnload(existing);
        return existing;
      }
      await existing.close({ compact: false });
      if (this.rooms.get(boardId) === existing) this.rooms.delete(boardId);
    }
    const room = new Room({
      boardId,
      storage: this.deps.storage,
      fanout: this.deps.fanout,
      gate: this.deps.gate,
      limits: this.deps.config.limits,
      timings: {
        compactionThreshold: this.deps.config.compactionThreshold,
        compactQuietMs: this.deps.config.compactQuietMs,
        compactNowFactor: this.deps.config.compactNowFactor,
        coldFirstFrameWaitMs: this.deps.config.coldFirstFrameWaitMs,
      },
      clock: this.deps.clock,
      log: this.deps.log,
      history: this.deps.history,
      onIdle: (r) => this.scheduleUnload(r),
      onPresenceLeft: this.deps.onPresenceLeft,
      metrics: this.deps.metrics,
      logger: this.deps.logger?.child({ boardId }),
      merger: this.merger,
    });
    this.rooms.set(boardId, room);
    room.loaded.catch(() => {
      if (this.rooms.get(boardId) === room) this.rooms.delete(boardId);
    });
    return room;
  }

  /**
   * Adds a socket to its board's room once the board's stored state is read; the room
   * answers a fresh joiner from those bytes while it builds the doc.
   */
  async join(boardId: BoardId, client: RoomClient): Promise<JoinResult> {
    if (this.shuttingDown) return { ok: false, reason: 'closing' };
    const room = await this.room(boardId);
    // Hold the room while it loads so an idle timer cannot unload it under us.
    const release = room.lease();
    try {
      await room.joinable;
    } catch (err) {
      release();
      if (err instanceof BoardNotFoundError) return { ok: false, reason: 'not-found' };
      throw err;
    }
    if (room.clientCount >= this.deps.config.limits.maxConnectionsPerBoard) {
      release();
      return { ok: false, reason: 'full' };
    }
    room.addClient(client);
    release();
    return { ok: true, room };
  }

  /** Runs `fn` with the board loaded; 'not-found' for an unknown board. */
  async withBoard<T>(boardId: BoardId, fn: (board: BoardHandle) => Promise<T> | T): Promise<T | BoardNotFoundError> {
    if (this.shuttingDown) throw new Error('server is shutting down');
    const room = await this.room(boardId);
    const release = room.lease();
    try {
      await room.loaded;
      return await fn(room);
    } catch (err) {
      if (err instanceof BoardNotFoundError) return err;
      throw err;
    } finally {
      release();
    }
  }

  private cancelUnload(room: Room): void {
    const timer = this.unloadTimers.get(room);
    if (timer) {
      clearTimeout(timer);
      this.unloadTimers.delete(room);
    }
  }

  private scheduleUnload(room: Room): void {
    if (this.shuttingDown || room.unloading) return;
    this.cancelUnload(room);
    const timer = setTimeout(() => {
      this.unloadTimers.delete(room);
      if (room.inUse || room.unloading) return;
      void this.unload(room);
    }, this.deps.config.idleUnloadMs);
    timer.unref();
    this.unloadTimers.set(room, timer);
  }

  private async unload(room: Room): Promise<void> {
    try {
      await room.close({ compact: true });
      this.deps.logger?.info({ event: 'board.unload', boardId: room.boardId }, 'board unloaded');
    } catch (err) {
      this.deps.logger?.error({ event: 'storage.fault', op: 'unload', boardId: room.boardId, error: errorField(err) }, 'unload failed');
      if (!this.deps.logger) this.deps.log(`board ${room.boardId}: unload failed: ${String(err)}`);
    } finally {
      if (this.rooms.get(room.boardId) === room) this.rooms.delete(room.boardId);
    }
  }

  /** SIGTERM path [SRV-6]: close every socket with `code`, flush every board, unload all. */
  async shutdown(code: number, reason: string): Promise<void> {
    this.shuttingDown = true;
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    const rooms = [...this.rooms.values()];
    for (const room of rooms) room.closeClients(code, reason);
    await Promise.all(rooms.map((room) => room.close({ compact: false }).catch(() => {})));
    this.rooms.clear();
    await this.merger.close();
  }
}
