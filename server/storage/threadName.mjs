/**
 * Names the calling thread (Linux: a thread may rename itself through /proc/thread-self),
 * so per-thread CPU in `top -H`, /proc and the bench's record tells the storage threads
 * apart from V8's helpers, which Node all calls "node". Elsewhere it does nothing.
 * @param {string} name at most 15 characters (the kernel's limit)
 */
import { writeFileSync } from 'node:fs';

export function nameThisThread(name) {
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // not Linux, or /proc is not mounted: the name is only a convenience
  }
}
