import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import { CloseCode } from '../../shared/protocol.ts';
import { defineConfig } from '../config.ts';
import { Connection, type SlowReason } from './connection.ts';

/** A ws stand-in whose unsent bytes the test sets by hand (a peer that reads nothing). */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  closedWith: number | null = null;
  terminated = false;
  send(frame: Uint8Array): void {
    this.bufferedAmount += frame.byteLength;
  }
  ping(): void {}
  close(code: number): void {
    this.closedWith = code;
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close', 1006, Buffer.alloc(0));
  }
}

const MiB = 1024 * 1024;
const limits = defineConfig().limits;

function connection() {
  const ws = new FakeSocket();
  const slow: SlowReason[] = [];
  const conn = new Connection(ws as unknown as WebSocket, limits, 60_000, false, { slow: (r) => slow.push(r) });
  return { ws, conn, slow };
}

describe('slow consumer [LIM-2]', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('[LIM-2] past maxSocketBufferBytes unsent, the socket is closed with 4008 at once, then cut', () => {
    const { ws, conn, slow } = connection();
    const frame = new Uint8Array(512 * 1024);
    for (let i = 0; i < 16; i++) conn.send(frame); // 8 MiB: at the ceiling, not past it
    expect(ws.closedWith).toBeNull();
    conn.send(frame);
    // Nothing more goes to it at once; the close follows right after the send that found it.
    expect(conn.isOpen).toBe(false);
    expect(slow).toEqual(['ceiling']);
    const queued = ws.bufferedAmount;
    conn.send(frame);
    expect(ws.bufferedAmount).toBe(queued);
    vi.advanceTimersByTime(0);
    expect(ws.closedWith).toBe(CloseCode.slowConsumer);
    vi.advanceTimersByTime(limits.slowSocketStallMs);
    expect(ws.terminated).toBe(true);
  });

  it('[LIM-2] above slowSocketStallBytes with nothing drained for slowSocketStallMs, it is closed; draining keeps it', () => {
    const { ws, conn, slow } = connection();
    conn.send(new Uint8Array(2 * MiB));
    vi.advanceTimersByTime(limits.slowSocketStallMs - 1000);
    ws.bufferedAmount -= 256 * 1024; // the peer read a little: it is slow, not stuck
    vi.advanceTimersByTime(limits.slowSocketStallMs - 1000);
    expect(ws.closedWith).toBeNull();
    vi.advanceTimersByTime(2000);
    expect(slow).toEqual(['stalled']);
    vi.advanceTimersByTime(1);
    expect(ws.closedWith).toBe(CloseCode.slowConsumer);
  });

  it('[LIM-2] a queue that drains below slowSocketStallBytes stops the watch', () => {
    const { ws, conn } = connection();
    conn.send(new Uint8Array(2 * MiB));
    ws.bufferedAmount = 0;
    vi.advanceTimersByTime(limits.slowSocketStallMs * 3);
    expect(ws.closedWith).toBeNull();
    expect(conn.isOpen).toBe(true);
  });
});
