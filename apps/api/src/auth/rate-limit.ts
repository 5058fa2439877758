/**
 * Token bucket per principal, in memory: `perMinute` requests, refilled continuously; a burst may
 * use the whole minute's allowance at once. 0 turns limiting off.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; updated: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
    private readonly maxPrincipals = 100_000,
  ) {}

  /** Takes one token; when none is left, says how long until one is (ms). */
  take(principal: string): { allowed: true } | { allowed: false; retryAfterMs: number } {
    if (this.perMinute <= 0) return { allowed: true };
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    let bucket = this.buckets.get(principal);
    if (!bucket) {
      if (this.buckets.size >= this.maxPrincipals) this.evictFull(now, ratePerMs);
      bucket = { tokens: this.perMinute, updated: now };
      this.buckets.set(principal, bucket);
    }
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updated) * ratePerMs);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / ratePerMs) };
  }

  /** Buckets that have refilled completely carry no state worth keeping. */
  private evictFull(now: number, ratePerMs: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updated) * ratePerMs >= this.perMinute) this.buckets.delete(key);
    }
  }
}
