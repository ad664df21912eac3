import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('reconnect backoff', () => {
  it('grows exponentially and stays within [nominal/2, nominal]', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    expect(backoffDelay(0, opts, () => 0)).toBe(250);
    expect(backoffDelay(0, opts, () => 0.999999)).toBe(500);
    expect(backoffDelay(3, opts, () => 0)).toBe(2000);
    expect(backoffDelay(3, opts, () => 0.999999)).toBe(4000);
  });

  it('is capped at maxMs however many attempts failed', () => {
    const opts = { baseMs: 500, maxMs: 30_000 };
    expect(backoffDelay(60, opts, () => 0.999999)).toBe(30_000);
    expect(backoffDelay(60, opts, () => 0)).toBe(15_000);
  });

  it('spreads simultaneous reconnects (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
