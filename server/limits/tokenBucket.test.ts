import { describe, expect, it } from 'vitest';
import { TokenBucket } from './tokenBucket.ts';

describe('token bucket', () => {
  it('[SRV-7] allows the burst, then the sustained rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 5, () => now);
    const taken = Array.from({ length: 7 }, () => bucket.take());
    expect(taken).toEqual([true, true, true, true, true, false, false]);
    now += 100; // 10/s → one more token after 100 ms
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    now += 10_000; // refills to the burst, not beyond
    expect(Array.from({ length: 6 }, () => bucket.take()).filter(Boolean)).toHaveLength(5);
  });
});
