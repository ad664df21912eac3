/**
 * Reconnect delays: exponential with "equal jitter" (half fixed, half random), so after a
 * server restart hundreds of browsers spread their reconnects instead of arriving at once,
 * while nobody waits less than half the nominal delay. y-websocket's own backoff has no
 * jitter, which is why the connection manages reconnects itself.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

/** Delay before reconnect attempt number `attempt` (0-based); `random` returns [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF, random = Math.random): number {
  const nominal = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
