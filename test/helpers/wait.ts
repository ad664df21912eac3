/**
 * Waiting for conditions with a deadline instead of sleeping (STYLE habit 9).
 */
export interface WaitOptions {
  /** Give up after this many milliseconds (default 5000). */
  timeout?: number;
  /** Poll interval in milliseconds (default 10). */
  interval?: number;
  /** Added to the timeout error so a failing test says what it waited for. */
  message?: string;
}

/**
 * Polls `cond` until it returns a truthy value (which is returned) or the deadline passes.
 * Exceptions thrown by `cond` count as "not yet"; the last one is reported on timeout.
 */
export async function waitFor<T>(cond: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeout = opts.timeout ?? 5000;
  const interval = opts.interval ?? 10;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const detail = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`waitFor timed out after ${timeout} ms${opts.message ? ` (${opts.message})` : ''}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Rejects if `promise` does not settle within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what = 'operation'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
