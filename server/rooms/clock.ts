/**
 * Time as a room sees it, injected so tests can drive it (a fake clock) instead of
 * sleeping. The system clock's timers never keep the process alive.
 */
export interface Clock {
  now(): number;
  /** Runs `fn` once after `ms`; the returned function cancels it. */
  setTimer(fn: () => void, ms: number): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const timer = setTimeout(fn, ms);
    timer.unref();
    return () => clearTimeout(timer);
  },
};

/** How long a room waits for what (ServerConfig carries the defaults). */
export interface RoomTimings {
  /** Updates appended since the last snapshot that make compaction due. */
  compactionThreshold: number;
  /** Once due, compaction runs after this long without new appends... */
  compactQuietMs: number;
  /** ...or at once when the log reaches this many times the threshold. */
  compactNowFactor: number;
  /** How long a cold load waits, before building the doc, for a just-joined socket's first frame. */
  coldFirstFrameWaitMs: number;
}
