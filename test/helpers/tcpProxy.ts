/**
 * A tiny TCP proxy for fault tests: put it between a server and PostgreSQL (pause it: the
 * database is unreachable, without touching the real one), between a server and Redis
 * (its upstream addresses name exactly our connections for CLIENT KILL), or in front of
 * several instances (each new connection goes to the first target that accepts it, like
 * a load balancer failing over).
 */
import net from 'node:net';

export interface Target {
  host: string;
  port: number;
}

export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones (accepted, then reset at once). */
  pause(): void;
  resume(): void;
  /** `ip:port` of each open upstream socket, as the target sees its client. */
  upstreamAddrs(): string[];
  /** How many connections were forwarded to each target port so far. */
  forwardedTo(port: number): number;
  close(): Promise<void>;
}

export async function startTcpProxy(targets: () => readonly Target[]): Promise<TcpProxy> {
  const pairs = new Set<{ down: net.Socket; up: net.Socket }>();
  const forwarded = new Map<number, number>();
  let paused = false;

  const connectFirst = (list: readonly Target[], i: number, onUp: (up: net.Socket, t: Target) => void, onNone: () => void) => {
    const t = list[i];
    if (!t) return onNone();
    const up = net.connect(t.port, t.host);
    const failed = () => connectFirst(list, i + 1, onUp, onNone);
    up.once('error', failed);
    up.once('connect', () => {
      up.off('error', failed);
      onUp(up, t);
    });
  };

  const server = net.createServer((down) => {
    down.on('error', () => {});
    if (paused) {
      down.resetAndDestroy();
      return;
    }
    down.pause();
    connectFirst(
      targets(),
      0,
      (up, t) => {
        if (paused || down.destroyed) {
          up.destroy();
          down.destroy();
          return;
        }
        forwarded.set(t.port, (forwarded.get(t.port) ?? 0) + 1);
        const pair = { down, up };
        pairs.add(pair);
        up.on('error', () => {});
        const end = () => {
          pairs.delete(pair);
          up.destroy();
          down.destroy();
        };
        up.on('close', end);
        down.on('close', end);
        down.pipe(up);
        up.pipe(down);
        down.resume();
      },
      () => down.resetAndDestroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const dropAll = () => {
    for (const { down, up } of pairs) {
      down.resetAndDestroy();
      up.resetAndDestroy();
    }
    pairs.clear();
  };
  return {
    port,
    pause() {
      paused = true;
      dropAll();
    },
    resume() {
      paused = false;
    },
    upstreamAddrs: () => [...pairs].map(({ up }) => `${up.localAddress}:${up.localPort}`),
    forwardedTo: (p) => forwarded.get(p) ?? 0,
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
