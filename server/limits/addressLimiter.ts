/**
 * Per-address token buckets for one kind of request (board creation, join, REST write,
 * new socket) [LIM-1]. Buckets that have refilled are forgotten, so many addresses seen
 * once cost nothing after a while.
 */
import { TokenBucket } from './tokenBucket.ts';

export interface BucketSpec {
  perMinute: number;
  burst: number;
}

/** Refused: retry after this many whole seconds (the Retry-After header). */
export interface Refusal {
  retryAfterSeconds: number;
}

/** Sweep full buckets once the map holds this many (and at most once per sweep interval). */
const SWEEP_AT = 10_000;

export class AddressLimiter {
  private readonly buckets = new Map<string, TokenBucket>();
  private lastSweep = 0;

  constructor(
    private readonly spec: BucketSpec,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `address`; null when allowed, else when to retry. */
  take(address: string): Refusal | null {
    let bucket = this.buckets.get(address);
    if (!bucket) {
      this.sweep();
      bucket = new TokenBucket(this.spec.perMinute / 60, this.spec.burst, this.now);
      this.buckets.set(address, bucket);
    }
    if (bucket.take()) return null;
    return { retryAfterSeconds: Math.max(1, Math.ceil(bucket.msUntilToken() / 1000)) };
  }

  /** Addresses currently tracked (tests). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(): void {
    if (this.buckets.size < SWEEP_AT) return;
    const t = this.now();
    if (t - this.lastSweep < 1000) return;
    this.lastSweep = t;
    for (const [key, bucket] of this.buckets) if (bucket.isFull) this.buckets.delete(key);
  }
}
