/**
 * Stripe-style rate limits: one token bucket per API key (global budget) and one per API key
 * and endpoint. A bucket holds as many tokens as its rate (a one-second burst) and refills
 * continuously, which is how Stripe describes its limiter; a 1-second sliding window would
 * instead refuse everything for up to a second after a burst.
 */
export type Admission = "ok" | "global" | "endpoint";

export interface Budgets {
  globalPerSecond: number | null;
  endpointPerSecond: number | null;
}

interface Bucket {
  tokens: number;
  capacity: number;
  perSecond: number;
  atMs: number;
}

/** Buckets that have refilled completely carry no state worth keeping once there are many. */
const PRUNE_ABOVE = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** Takes a token from both buckets, or from neither when one is empty. */
  admit(apiKey: string, endpoint: string, budgets: Budgets, nowMs: number): Admission {
    const global = budgets.globalPerSecond === null ? null : this.refill(`g ${apiKey}`, budgets.globalPerSecond, nowMs);
    const perEndpoint =
      budgets.endpointPerSecond === null
        ? null
        : this.refill(`e ${apiKey} ${endpoint}`, budgets.endpointPerSecond, nowMs);
    if (global && global.tokens < 1) return "global";
    if (perEndpoint && perEndpoint.tokens < 1) return "endpoint";
    if (global) global.tokens -= 1;
    if (perEndpoint) perEndpoint.tokens -= 1;
    return "ok";
  }

  /** Budgets changed or the emulator was reset: every bucket starts full again. */
  clear(): void {
    this.buckets.clear();
  }

  private refill(key: string, perSecond: number, nowMs: number): Bucket {
    // A rate below 1/s still has to let one request through now and then.
    const capacity = Math.max(1, perSecond);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= PRUNE_ABOVE) this.pruneFull(nowMs);
      bucket = { tokens: capacity, capacity, perSecond, atMs: nowMs };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsedMs = Math.max(0, nowMs - bucket.atMs);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsedMs / 1000) * perSecond);
    bucket.atMs = nowMs;
    return bucket;
  }

  private pruneFull(nowMs: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.atMs) / 1000) * b.perSecond >= b.capacity) this.buckets.delete(key);
    }
  }
}
