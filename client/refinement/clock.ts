/**
 * The server clock, as the client estimates it. The timebox timer stores server-clock
 * times so every screen counts down the same remaining time whatever its own clock says.
 * The offset comes from the server's `welcome` control message (`serverTime`, server ms
 * when it was sent): offset = serverTime - local receive time (half a round trip early at
 * worst, far below the timer's one-second resolution). Without it the offset is 0.
 */
export function offsetFromWelcome(welcome: unknown, receivedAt: number): number {
  if (!welcome || typeof welcome !== 'object') return 0;
  const t = (welcome as { serverTime?: unknown }).serverTime;
  return typeof t === 'number' && Number.isFinite(t) ? t - receivedAt : 0;
}

/** mm:ss (or h:mm:ss) for a remaining time, rounded up so 0:00 means really done. */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", or a date, for comment times. */
export function relativeTime(at: number, now: number): string {
  const s = Math.round((now - at) / 1000);
  if (s < 45) return 'just now';
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  const d = Math.round(h / 24);
  if (d === 1) return 'yesterday';
  if (d < 7) return `${d} days ago`;
  return new Date(at).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: d > 300 ? 'numeric' : undefined });
}
